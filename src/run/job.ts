// Library entry points behind the CLI commands: each takes plain options, does the work, and returns
// what the CLI prints. Usable without the CLI.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import { runScenario, type RunOutput } from './run.ts';
import { writeAtomically } from './output.ts';
import { requestTableCsv } from './requestTable.ts';
import { summaryText } from './summary.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';
import { loadLog } from './loadLog.ts';
import { runReportFiles } from '../report/forRun.ts';
import { guardMemory } from './resources.ts';
import { writeLogCsv } from '../log/writeCsv.ts';
import { savedFiles } from '../models/persist.ts';
import { disposeModels } from '../models/model.ts';

/** The package root (for the built-in default scenario). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_SCENARIO = 'scenarios/quickstart.yaml';

/** Resolve a scenario path; without one, the built-in quickstart (found from any working directory). */
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
  outDir: string;
  reporter?: Reporter;
  /** Run even when the memory estimate exceeds free memory. */
  force?: boolean;
}

/**
 * Run a scenario and write `outDir/<name>/results.json`, `requests.csv`, the report (report.html,
 * summary.md, charts/, audit.json with check 04) and the fitted models (models/<model>/) atomically.
 *
 * @example
 * const { dir, summary } = runJob({ scenario: prepareScenario('scenarios/quickstart.yaml'), outDir: 'reports' });
 */
export async function runJob(opts: RunJobOptions): Promise<{ dir: string; run: RunOutput; summary: string; reportWarnings: string[] }> {
  const reporter = opts.reporter ?? silentReporter();
  guardMemory(opts.scenario, opts.force ?? false);
  const { log, provenance } = await loadLog(opts.scenario, reporter);
  const run = await runScenario(opts.scenario, { reporter, log, provenance, keepModels: true });
  // Fitted models go under models/<name>/ so a later scenario can load them (type: saved).
  const modelFiles = run.models.flatMap((m) => (m.toSaved ? savedFiles(m).map((f) => ({ name: `models/${m.name}/${f.name}`, content: f.content })) : []));
  disposeModels(run.models);
  run.results.models = run.results.models.map((m, i) => ({ ...m, saved: run.models[i].toSaved ? `models/${m.name}` : null }));
  const resultsJson = JSON.stringify(run.results, jsonNumbers, 2) + '\n';
  const requestsCsv = requestTableCsv(run);
  const rep = reporter.stage('report');
  const report = await runReportFiles(run, resultsJson, requestsCsv);
  rep.end(`${report.charts.filter((c) => c.spec).length} charts, report.html, summary.md`);
  const write = reporter.stage('write output');
  const dir = writeAtomically(opts.outDir, opts.scenario.name, [
    { name: 'results.json', content: resultsJson },
    { name: 'requests.csv', content: requestsCsv },
    ...report.files,
    ...modelFiles,
  ]);
  write.end(dir);
  return { dir, run, summary: summaryText(run.results), reportWarnings: report.warnings };
}

/**
 * Write the scenario's log as canonical CSV: its synthetic world, or its data file after the
 * fragmentation and drift it injects (so the exact log a run evaluates can be inspected or shared).
 */
export async function generateJob(scenario: Scenario, outFile: string, reporter: Reporter = silentReporter()): Promise<{ events: number; file: string }> {
  const { log } = await loadLog(scenario, reporter);
  const w = reporter.stage('write csv');
  writeLogCsv(log, outFile);
  w.end(outFile);
  return { events: log.length, file: outFile };
}

/** JSON has no NaN or Infinity: write them as null (documented in docs/results.md). */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
