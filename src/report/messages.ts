// Every note, warning and error the report and the sweep print, as functions in one place (STYLE.md 6).
// Plain text: callers escape for HTML or Markdown.

export const reportMsg = {
  noFactors: () => 'Skipped: every pipeline serves exactly the offline view (no staleness, identity or channel factor), so there is no gap to decompose.',
  noWindowData: () =>
    'Skipped: no conversion-delay data for this run. Save an audit next to the results (recgap audit <scenario> --json > <run dir>/audit.json), then re-render with recgap report <run dir>.',
  windowUnknown: (reason: string) => `Skipped: check 04 (conversion window alignment) is ${reason}.`,
  noLagData: () =>
    'Skipped: no request has a served view with both a measurable lag and a gap (every served view is empty or equals the offline one), so there is no curve to draw.',
  oneModel: () => 'Skipped: the scenario has one model; add model versions to see whether their offline ranking survives serving.',
  noRequestsCsv: () => 'requests.parquet and requests.csv are missing or do not match results.json: money figures are point estimates without intervals.',
  whatIfHint: () =>
    'What-if curves (metric against refresh cadence, login rate, ...) come from a sweep: recgap sweep <scenario.yaml> --set pipelines.0.refresh=1h,6h,1d,7d --set world.identity.loginRate=0.2,0.5,0.9',
  runDirMissing: (dir: string) => `run folder not found: ${dir}`,
  resultsMissing: (dir: string) => `no results.json in ${dir}: expected a folder written by recgap run`,
  auditUnreadable: (file: string, detail: string) => `${file} is not an audit report (recgap audit --json): ${detail}`,
  requestsParquetUnreadable: (file: string, detail: string) =>
    `${file} is not a requests.parquet that recgap run writes: ${detail}; delete it to use requests.csv instead`,
  auditMissing: (file: string) => `audit file not found: ${file}`,
  unsafeRunDir: (dir: string) => `cannot re-render ${dir}: its folder name must be letters, digits, dot, dash or underscore (as recgap run writes it)`,
  renderWarning: (chart: string, text: string) => `chart ${chart}: ${text}`,
  requestsNoPerson: () => 'requests.csv has no person column',
  requestsOpenQuote: () => 'requests.csv: unterminated quoted field',
};

export const sweepMsg = {
  pointWarning: (warning: string, points: readonly number[], total: number) =>
    points.length === total ? `every point: ${warning}` : `point${points.length > 1 ? 's' : ''} ${points.map((p) => p + 1).join(', ')} of ${total}: ${warning}`,
  noGrid: () => 'recgap sweep needs at least one --set path=v1,v2,... with two or more values to sweep',
  emptyValue: (text: string) => `--set ${JSON.stringify(text)}: empty value in the list; write values separated by commas, e.g. pipelines.0.refresh=1h,1d,7d`,
  duplicatePath: (path: string) => `--set ${path} is given twice; list all its values in one --set`,
  tooLarge: (points: number, max: number) =>
    `the sweep grid has ${points.toLocaleString('en-US')} points; at most ${max.toLocaleString('en-US')} are allowed (every point is a full run)`,
  notScalar: (text: string) => `--set ${JSON.stringify(text)}: a sweep takes scalar values (numbers, durations, words); lists and mappings cannot be swept`,
  duplicateValue: (text: string, value: string) => `--set ${JSON.stringify(text)}: the value ${value} is listed twice; list each value once`,
  /** Progress: the stage of one grid point. */
  pointStage: (index: number, points: number, settings: string) => `point ${index + 1}/${points} (${settings})`,
  /** Progress: what a grid point ran and what it took from the point before. */
  pointDone: (requests: number, fitted: boolean, replayed: number, tables: number) =>
    `${requests.toLocaleString('en-US')} requests; models ${fitted ? 'fitted' : 'reused'}; ${replayed} of ${tables} per-request tables replayed`,
  /** The pair of axes the interaction charts draw when more than two are swept. */
  interactionPair: (first: string, second: string, fixed: string) =>
    `The interaction charts draw ${first} against ${second}, with ${fixed}; every grid point is in the table below and in sweep.csv.`,
  /** Progress: the sweep's report and what-if page are built. */
  reportDone: (charts: number, whatIfBytes: number) => `${charts} charts; whatif.html ${(whatIfBytes / 1e6).toFixed(2)} MB`,
  /** whatif.html is larger than its budget (a large grid or many models and pipelines). */
  whatIfTooLarge: (bytes: number, max: number) =>
    `whatif.html is ${(bytes / 1e6).toFixed(1)} MB, over its ${(max / 1e6).toFixed(1)} MB budget: sweep fewer values or fewer models and pipelines for a page that opens quickly`,
};
