/**
 * `metatune/report`: the HTML report writer. A subpath of its own because drawing figures loads Vega
 * (vega, vega-lite), which the package root (src/index.ts) must not load for programs that only run
 * or read studies.
 */
export { writeReport } from './html.js';
export type { ReportOptions, ReportResult } from './html.js';
