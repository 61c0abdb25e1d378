/**
 * metatune's public API. Explicit named exports only. Nothing reachable from here loads TensorFlow.js
 * (only running a bandit lifetime does) or Vega (the report writer is `metatune/report`, src/report/index.ts).
 */
export { MetatuneError, InputError, StateError, StudyChangedError, LockError, BackendError, TrialError, InterruptedError, NumericalError } from './core/errors.js';
export { Rng } from './core/rng.js';
export type { Space, Param, Params, ParamValue, FloatParam, IntParam, CategoricalParam, FixedParam } from './core/space.js';
export { dimensions, encode, decode, toUnit, fromUnit, gridValues } from './core/space.js';
export type { ObjectiveFunction, ObjectiveContext, ObjectiveResult } from './objectives/objective.js';
export type { Searcher, AskRequest, AskResult, Proposal, SearcherTrial, Direction } from '../searchers/searcher.js';
export { Study } from './study/study.js';
export type { OpenOptions, AskedTrial } from './study/study.js';
export type { TellResult } from './study/run/end-record.js';
export { openStudyFile } from './study/open.js';
export { runStudy } from './study/run/runner.js';
export type { RunOptions, RunSummary, RunEvent } from './study/run/runner.js';
export { parseStudySpec } from './study/spec/spec.js';
export { studyFileSchema, type StudyFile } from './study/spec/schema.js';
export { loadStudyFile } from './study/spec/file.js';
export type { StudySpec, ParamsOf, Arm, ObjectiveSpec } from './study/spec/spec.js';
export type { JournalRecord, StudyRecord, AskedRecord, RunningRecord, CompleteRecord, FailedRecord } from './study/journal/journal.js';
export type { Outcome } from './study/run/evaluate.js';
export { loadStoredStudy } from './study/stored.js';
export type { StoredStudy, LoadOptions } from './study/stored.js';
export { comparisonRows } from './report/compare.js';
export { formatComparison } from './report/compare-format.js';
export type { ComparisonRow } from './report/compare.js';
export type { CompareFormat, ExportFormat } from './report/formats.js';
export { lifetimeRows, formatExport } from './report/export.js';
export type { LifetimeRow } from './report/export.js';
export { createSearcher } from '../searchers/index.js';
export type { SearcherConfig, GridConfig, RandomConfig, GpConfig } from '../searchers/config.js';
export type { TunerConfig, MetagradientConfig } from './tuners/config.js';
export type { Recommendation, SearcherKind } from '../searchers/searcher.js';
