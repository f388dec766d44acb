// Library entry points behind the CLI commands: each takes plain options, does the work, and returns
// what the CLI prints. Usable without the CLI.
import { jsonText } from '../results/json.ts';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { jobMsg } from './messages.ts';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import { finishRun, replayRequests, runScenario, type RunOutput } from '../run/run.ts';
import { prepareRun } from '../run/prepare.ts';
import { claimOutput, type OutputClaim, type OutputFile } from '../results/output.ts';
import { requestRows, requestsCsvChunks } from '../run/requestTable.ts';
import { roiColumns } from '../report/roi.ts';
import { requestsParquet } from '../run/requestParquet.ts';
import { summaryText } from '../run/summary.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';
import { loadLog } from '../run/loadLog.ts';
import type { LogProvenance } from '../results/results.ts';
import { ingestWarnings } from '../ingest/summary.ts';
import { windowAudit } from '../report/windowCheck.ts';
import { guardMemory, guardMerge, guardOncePlanned } from './resources.ts';
import type { MemoryBudget } from './memoryBudget.ts';
import { memoryInput } from './memoryEstimate.ts';
import { writeLogCsv } from '../log/writeCsv.ts';
import { savedFiles } from '../models/save.ts';
import { disposeModels, type Model } from '../models/model.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { Results } from '../results/results.ts';
import { requestShards, selectRequests, type ShardSpec } from '../eval/partition.ts';
import { checkShardSet, mergeShards, readShardHeader, readShardTables, shardFiles, shardFolderName, type ShardHeader } from './shard.ts';
import { scenarioInputs } from './outputs.ts';
import { readFitFolder, type LoadedFit } from './fitFolder.ts';

/** The package root (for the built-in default scenario). */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_SCENARIO = 'scenarios/quickstart.yaml';

/** Resolve a scenario path; without one, the built-in quickstart (found from any working directory). */
// The report (Vega, fonts) loads only when a command writes one. At module level: TypeScript does not rewrite
// the `.ts` of an import() inside a function that declares `using`, and the compiled package needs `.js`.
const reportModule = () => import('../report/forRun.ts');

export function resolveScenarioPath(file: string | undefined): string {
  if (file) return file;
  return existsSync(DEFAULT_SCENARIO) ? DEFAULT_SCENARIO : join(PACKAGE_ROOT, DEFAULT_SCENARIO);
}

/** Load a scenario file with `--set` overrides and an optional seed override. */
export function prepareScenario(file: string, overrides: readonly string[] = [], seed?: number): Scenario {
  const scenario = loadScenario(file, overrides);
  return seed === undefined ? scenario : { ...scenario, seed };
}

export interface RunJobOptions {
  scenario: Scenario;
  /** The scenario's file, when it came from one: an input the output folder may not hold. */
  scenarioFile?: string;
  outDir: string;
  reporter?: Reporter;
  /** Run even when the memory estimate exceeds the available memory (--force). */
  force?: boolean;
  /**
   * Worker threads for the replay (default 1), also used by the bootstrap of results.json and of the report's
   * money intervals. Results are identical for any count.
   */
  workers?: number;
  /** Replay only this shard's persons and write a shard folder for `recgap merge`. */
  shard?: ShardSpec;
  /** A fit folder written by `recgap fit` for this scenario: load its models and identity quality instead of computing them. */
  fitted?: string;
}

/**
 * Run a scenario and write `outDir/<name>/results.json`, `requests.csv`, `requests.parquet`, the report (report.html,
 * summary.md, charts/, audit.json with check 04) and the fitted models (models/<model>/) atomically.
 * With a shard of n > 1, write `outDir/<name>.shard-<i>-of-<n>/` instead (see shard.ts).
 *
 * @example
 * const { dir, summary } = runJob({ scenario: prepareScenario('scenarios/quickstart.yaml'), outDir: 'reports' });
 */
export async function runJob(opts: RunJobOptions): Promise<{ dir: string; run: RunOutput | null; summary: string; reportWarnings: string[] }> {
  const reporter = opts.reporter ?? silentReporter();
  const shard = opts.shard && opts.shard.count > 1 ? opts.shard : null;
  // The output folder before any work: one recgap may not replace, or one another recgap is writing, fails now.
  using out = claimOutput({
    outDir: opts.outDir,
    name: shard ? shardFolderName(opts.scenario.name, shard) : opts.scenario.name,
    kind: shard ? 'shard' : 'run',
    inputs: [...scenarioInputs(opts.scenario, opts.scenarioFile), ...(opts.fitted ? [{ what: 'the fit folder', path: opts.fitted }] : [])],
  });
  // A fit of another scenario (or of a changed data file) is refused before the log is generated or read.
  const loaded = opts.fitted ? readFitFolder(opts.fitted, opts.scenario) : null;
  const guard = { workers: opts.workers, force: opts.force, shard: shard ?? undefined };
  guardMemory(memoryInput(opts.scenario), guard);
  const { log, provenance } = await loadLog(opts.scenario, reporter);
  // A read log's events were estimated from its file, and its items were unknown: check again before fitting.
  if (opts.scenario.log) guardMemory(memoryInput(opts.scenario), { ...guard, loaded: { events: log.length, items: log.dict.item.length } });
  // Awaited here: the claim is released when this function returns.
  if (shard) return await runShardJob(opts, shard, log, provenance, reporter, out, loaded);
  // Planned, the run's requests are known: its per-request tables are checked before the replay holds them.
  const loadedSize = { events: log.length, items: log.dict.item.length };
  const beforeReplay = guardOncePlanned(memoryInput(opts.scenario), { ...guard, loaded: loadedSize });
  const run = await runScenario(opts.scenario, { reporter, log, provenance, keepModels: true, workers: opts.workers, beforeReplay, ...loaded?.fit });
  // Fitted models go under models/<name>/ so a later scenario can load them (type: saved); external models
  // (command, http) and random have no fitted state of recgap's to save and are left out. A fit folder's
  // model files are carried over as the fit wrote them.
  let modelFiles: OutputFile[];
  try {
    modelFiles = loaded ? loaded.modelFiles : savedModelFiles(run.models);
  } finally {
    disposeModels(run.models);
  }
  run.results.models = run.results.models.map((m) => ({ ...m, saved: hasModelFiles(modelFiles, m.name) ? `models/${m.name}` : null }));
  const resultsJson = jsonText(run.results);
  const rows = requestRows(run.log, run.requests);
  const { ks } = run.results.config;
  const pq = reporter.stage('requests.parquet');
  const parquet = await requestsParquet(rows, ks, run.models, run.sources, run.plans);
  pq.end(`${(parquet.length / 1e6).toFixed(1)} MB`);
  const rep = reporter.stage('report');
  // The chart renderer (vega, resvg) loads here, after the run, not when the command starts.
  const { runReportFiles } = await reportModule();
  const report = await runReportFiles(run, resultsJson, rows, opts.workers ?? 1);
  rep.end(`${report.charts.filter((c) => c.spec).length} charts, report.html, summary.md`);
  const write = reporter.stage('write output');
  const dir = out.write([
    { name: 'results.json', content: resultsJson },
    // Written from the tables in chunks while the folder is written: never one string of the whole table.
    { name: 'requests.csv', chunks: () => requestsCsvChunks(rows, ks, run.models, run.sources, run.plans) },
    { name: 'requests.parquet', content: parquet },
    ...report.files,
    ...modelFiles,
  ]);
  write.end(dir);
  return { dir, run, summary: summaryText(run.results), reportWarnings: [...logWarnings(provenance), ...report.warnings] };
}

/** Warnings about a data file's log (stray events at its ends), printed with the run's other warnings. */
function logWarnings(provenance: LogProvenance): string[] {
  return provenance.ingest === null ? [] : ingestWarnings(provenance.ingest);
}

async function runShardJob(
  opts: RunJobOptions,
  shard: ShardSpec,
  log: EventLog,
  provenance: LogProvenance,
  reporter: Reporter,
  out: OutputClaim,
  loaded: LoadedFit | null,
) {
  const prep = await prepareRun(opts.scenario, { log, provenance, ...loaded?.fit }, reporter);
  const part = selectRequests(prep.requests, requestShards(prep.requests, prep.log.dict.person, shard.count), shard.index);
  let sources: Awaited<ReturnType<typeof replayRequests>>;
  let modelFiles: OutputFile[];
  try {
    guardMemory(memoryInput(opts.scenario), {
      workers: opts.workers,
      force: opts.force,
      shard,
      loaded: { events: log.length, items: log.dict.item.length },
      replay: { requests: part.length, views: prep.configs.length + 1, models: prep.models.length },
      built: prep.frame.config.sampledFrom,
    });
    sources = await replayRequests(prep, part, { reporter, workers: opts.workers ?? 1 });
    // Shard 0 carries the fitted models (the same in every shard) for the merged output.
    modelFiles = shard.index === 0 ? (loaded ? loaded.modelFiles : savedModelFiles(prep.models)) : [];
  } finally {
    // An external model's process ends with the replay, also when it fails.
    disposeModels(prep.models);
  }
  const audit = windowAudit(prep.log, prep.frame);
  const files = [...shardFiles(prep.frame, shard, part, sources, prep.log, audit), ...modelFiles];
  const dir = out.write(files);
  const n = prep.requests.length;
  const summary = `${opts.scenario.name}: shard ${shard.index}/${shard.count}: ${part.length.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} requests (${((100 * part.length) / Math.max(1, n)).toFixed(1)}%); merge all ${shard.count} shards with recgap merge`;
  return { dir, run: null, summary, reportWarnings: logWarnings(provenance) };
}

export interface MergeJobOptions {
  /** Shard folders written by runJob with a shard. */
  dirs: readonly string[];
  outDir: string;
  reporter?: Reporter;
  /** Merge even when the memory estimate exceeds the available memory (--force). */
  force?: boolean;
  /** The memory to compare the estimate with (default: measured now; tests pass a fixture). */
  budget?: MemoryBudget;
}

/**
 * Merge the n shard folders of a run into `outDir/<name>/`: the same results.json, requests.csv,
 * requests.parquet, report and models a single run writes.
 *
 * @example
 * await mergeJob({ dirs: ['reports/quickstart.shard-0-of-2', 'reports/quickstart.shard-1-of-2'], outDir: 'reports' });
 */
export async function mergeJob(opts: MergeJobOptions): Promise<{ dir: string; results: Results; summary: string; reportWarnings: string[] }> {
  const reporter = opts.reporter ?? silentReporter();
  const read = reporter.stage('read shards');
  // shard.json first (checked as untrusted input): it names the output, which is claimed before the tables are read.
  const headers = opts.dirs.map(readShardHeader);
  const name = checkShardSet(headers).scenario.name;
  using out = claimOutput({ outDir: opts.outDir, name, kind: 'merge', inputs: opts.dirs.map((d) => ({ what: 'shard folder', path: d })) });
  // Before the tables are read: their rows, views and models are in shard.json.
  const { frame: first } = headers[0];
  const requests = headers.reduce((s, h) => s + h.json.personIds.length, 0);
  guardMerge({ requests, views: first.sources, models: first.models.length, shards: headers.length }, { force: opts.force, budget: opts.budget });
  const shards = headers.map(readShardTables);
  const { frame, audit, rows, sources } = mergeShards(shards);
  read.end(`${shards.length} shards, ${rows.length.toLocaleString('en-US')} requests`);
  const modelFiles = shardModelFiles(headers.find((s) => s.shard.index === 0)!, frame.models);
  const results = finishRun(frame, rows, sources, reporter);
  results.models = results.models.map((m) => ({ ...m, saved: hasModelFiles(modelFiles, m.name) ? `models/${m.name}` : null }));
  const resultsJson = jsonText(results);
  const { ks } = frame.config;
  const parquet = await requestsParquet(rows, ks, frame.models, sources, frame.plans);
  const rep = reporter.stage('report');
  const { reportFiles, tableColumns } = await reportModule();
  const report = await reportFiles(audit, 0, resultsJson, tableColumns(rows, ks, frame.models, sources, frame.plans, roiColumns(results)));
  rep.end();
  const dir = out.write([
    { name: 'results.json', content: resultsJson },
    { name: 'requests.csv', chunks: () => requestsCsvChunks(rows, ks, frame.models, sources, frame.plans) },
    { name: 'requests.parquet', content: parquet },
    ...report.files,
    ...modelFiles,
  ]);
  return { dir, results, summary: summaryText(results), reportWarnings: report.warnings };
}

/**
 * Shard 0 saved the fitted models (the same in every shard): its models/<name>/ files as they are. Only
 * regular files: a link in a shard folder must not copy a file from elsewhere into the output.
 */
function shardModelFiles(first: ShardHeader, models: ReadonlyArray<{ name: string }>): OutputFile[] {
  return models.flatMap((m) => {
    const dir = join(first.dir, 'models', m.name);
    if (!existsSync(dir)) return [];
    for (const d of [join(first.dir, 'models'), dir]) if (!lstatSync(d).isDirectory()) throw new InputError(jobMsg.shardModelFile(d));
    return readdirSync(dir).map((f) => {
      const path = join(dir, f);
      if (!lstatSync(path).isFile()) throw new InputError(jobMsg.shardModelFile(path));
      return { name: `models/${m.name}/${f}`, content: readFileSync(path) };
    });
  });
}

/** Whether an output carries a saved model's files (models/<name>/...). */
function hasModelFiles(files: readonly OutputFile[], model: string): boolean {
  return files.some((f) => f.name.startsWith(`models/${model}/`));
}

function savedModelFiles(models: readonly Model[]): OutputFile[] {
  return models.flatMap((m) => (m.toSaved ? savedFiles(m).map((f) => ({ name: `models/${m.name}/${f.name}`, content: f.content })) : []));
}

/**
 * Write the scenario's log as canonical CSV: its synthetic world, or its data file after the
 * fragmentation and drift it injects (so the exact log a run evaluates can be inspected or shared). Refuses
 * (unless `force`) a log that would not fit in memory.
 *
 * @example
 * await generateJob(prepareScenario('scenarios/quickstart.yaml'), 'events.csv');
 */
export async function generateJob(
  scenario: Scenario,
  outFile: string,
  reporter: Reporter = silentReporter(),
  opts: { force?: boolean } = {},
): Promise<{ events: number; file: string }> {
  guardMemory(memoryInput(scenario), { command: 'generate', force: opts.force });
  const { log } = await loadLog(scenario, reporter);
  const w = reporter.stage('write csv');
  writeLogCsv(log, outFile);
  w.end(outFile);
  return { events: log.length, file: outFile };
}
