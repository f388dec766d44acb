// The library: what `import { ... } from 'recgap'` gives. A curated, stable surface over the same modules
// the CLI calls; anything not exported here is internal and may change between versions.
//   scenario -> (log) -> runScenario (or prepareRun / replayRequests / finishRun) -> Results
//   runJob / reportJob / runAudit / compareRuns / runSweep: what each CLI command does, with files written
//
// Models: a scenario names its models by type (popularity, itemknn, ease, mf, gru4rec, random, saved,
// tfjs); there is no registry for a model class written in TypeScript. The Model interface is exported
// for code that scores with a run's fitted models (runScenario with keepModels) or reads saved ones
// (loadModel); a model trained elsewhere comes in as a saved recgap model or a TensorFlow.js graph
// (`type: saved` / `type: tfjs` in the scenario).
//
// @example
// import { parseScenario, runScenario } from 'recgap';
// const scenario = parseScenario('name: tiny\nworld: { persons: 500 }\nmodels: [{ name: pop, type: popularity }]\n' +
//   'pipelines: [{ name: weekly, refresh: 7d, latency: 6h, identity: key }]');
// const { results } = await runScenario(scenario, { reporter: silentReporter() });

// Errors: InputError (exit code 2: bad input, one line) and RunError (1: the run failed).
export { InputError, RunError } from './errors.ts';
export { packageVersion } from './util/version.ts';
export { createReporter, silentReporter, type Reporter, type ReporterOptions, type StageHandle } from './util/progress.ts';

// Scenarios: YAML text or file -> validated, normalized Scenario.
export { loadScenario, parseScenario } from './scenario/load.ts';
export { scenarioSchema, scenarioJsonSchema, type ScenarioInput } from './scenario/schema.ts';
export type {
  BusinessSpec,
  ColumnMap,
  DataFormat,
  DataSpec,
  EvalSpec,
  ExcludeSeen,
  IdentityResolver,
  ModelSpec,
  PipelineSpec,
  Refresh,
  Scenario,
  TimeRange,
  TrainUntil,
} from './scenario/types.ts';
export { DATA_FORMATS } from './scenario/types.ts';

// Event logs: read a file (csv, jsonl, parquet, arrow or an adapter format) into the columnar EventLog.
export { readLog, type IngestReport, type ReadOptions, type DropReason } from './ingest/readLog.ts';
export { CHANNELS, EVENT_TYPES, type Channel, type EventLog, type LogDictionaries } from './log/eventLog.ts';

// Models.
export type { Model, Profile, FitContext } from './models/model.ts';
export type { SavedModel } from './models/artifacts.ts';
export { disposeModels } from './models/model.ts';
export { loadModel, saveModel } from './models/persist.ts';
export { METRICS, metricKeys, type Metric } from './eval/metrics.ts';

// Run stages.
export { runScenario, replayRequests, finishRun, type RunOutput, type RunOptions } from './run/run.ts';
export { prepareRun, fitRun, planRun, type PreparedRun, type RunFrame, type FittedRun } from './run/prepare.ts';
export { summaryText } from './run/summary.ts';
export { requestTableCsv } from './run/requestTable.ts';
export { readRequestsParquet, REQUESTS_PARQUET_COLUMNS, type ParquetRequestColumns } from './run/requestParquet.ts';

// Results: the shape of results.json and sweep.json, their zod schemas and readers.
export type {
  Comparison,
  Decomposition,
  LagStats,
  LogProvenance,
  MetricResult,
  ModelDifference,
  ModelPipelineResult,
  ModelRanking,
  PipelineSummary,
  Results,
  SignalAgeStats,
} from './results/results.ts';
export { RESULTS_VERSION } from './results/results.ts';
export { resultsSchema, resultsJsonSchema } from './results/schema.ts';
export { resultsFromJson, jsonText } from './results/json.ts';
export { SWEEP_VERSION, type SweepTable, type SweepRow, type SweepAxis } from './results/sweep.ts';

// Jobs: what the CLI commands do, writing their output folders.
export { runJob, mergeJob, generateJob, prepareScenario, resolveScenarioPath, type RunJobOptions, type MergeJobOptions } from './jobs/runJob.ts';
export { reportJob, type ReportJobOptions } from './jobs/report.ts';
export { runAudit, auditText, auditJson, type AuditOptions, type AuditReport } from './jobs/audit.ts';
export { compareRuns, compareText, type CompareReport, type CompareRow } from './jobs/compare.ts';
export { runSweep, type SweepOptions } from './jobs/sweep.ts';
export { runGate, gateJob, gateText, gateMarkdown, GATE_EXIT, type GateOptions, type GateReport, type GateDecision } from './jobs/gate.ts';
