/** metatune's public API. Explicit named exports only. */
export { MetatuneError, InputError, StateError, StudyChangedError, LockError, BackendError, TrialError, InterruptedError, NumericalError } from './errors.js';
export { Rng } from './rng.js';
export type { Space, Param, Params, ParamValue, FloatParam, IntParam, CategoricalParam, FixedParam } from './space.js';
export { dimensions, encode, decode, toUnit, fromUnit, gridValues } from './space.js';
export type { ObjectiveFunction, ObjectiveContext, ObjectiveResult } from './objectives/objective.js';
export type { Searcher, AskRequest, AskResult, Proposal, SearcherTrial, Direction } from '../searchers/searcher.js';
