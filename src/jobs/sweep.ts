// `recgap sweep`: a grid over scalar settings. Each `--set path=v1,v2,...` is an axis; every combination is
// a full run of the scenario with those overrides (same seed at every point: common random numbers, so
// differences come from the settings, not from new draws). One row per grid point x model x pipeline with
// the primary metric's frozen, served and gap and the pipeline's identity resolution quality at that point,
// each point's own results.json, and what-if charts, written atomically to <out>/<name>-sweep/.
//   1. parse the axes and fixed overrides; build the grid; name each axis in words
//   2. load and validate every point's scenario before running any (a typo fails in a second, not an hour)
//   3. run each point. Points are taken grouped by log and by fit (fitSignature): the log is generated once
//      per distinct world or data settings, models are fitted once per distinct fit, and a point that
//      differs from the one before only in pipelines, K or replay settings reuses its fitted models and the
//      per-request tables of every configuration the two share (identical results: see run/prepare.ts)
//   4. table (CSV + JSON), points/<index>-<values>/results.json, report files, and whatif.html (a page with one
//      control per setting showing the chosen point's results: report/whatIfPage.ts)
import { jsonText } from '../results/json.ts';
import { InputError, msg } from '../errors.ts';
import type { Scenario } from '../scenario/types.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';
import type { EventLog } from '../log/eventLog.ts';
import { loadLog } from '../run/loadLog.ts';
import type { LogProvenance } from '../results/results.ts';
import { prepareScenario } from './runJob.ts';
import { claimOutput, type OutputFile } from '../results/output.ts';
import { scenarioInputs } from './outputs.ts';
import { runScenario } from '../run/run.ts';
import { fitRun, fitSignature, type FittedRun } from '../run/prepare.ts';
import { disposeModels } from '../models/model.ts';
import { SWEEP_VERSION, sweepCsv, sweepIdentity, type SweepAxisInput, type SweepPoint, type SweepRow, type SweepTable } from '../results/sweep.ts';
import { buildSweepReport } from '../report/sweepReport.ts';
import { sweepMsg } from '../report/messages.ts';
import { guardOncePlanned, guardSweep } from './resources.ts';
import { memoryInput } from './memoryEstimate.ts';
import { describeAxis, pointSlug } from './sweepAxes.ts';
import { whatIfDetail, type WhatIfDetail } from '../report/whatIfData.ts';
import { buildWhatIfPage } from '../report/whatIfPage.ts';
import { parseRequestColumns } from '../report/requestColumns.ts';
import { roiColumns } from '../report/roi.ts';
import { requestTableCsv } from '../run/requestTable.ts';

/** Every grid point is a full run: refuse grids that would run for days by accident. */
export const MAX_SWEEP_POINTS = 200;

export interface SweepOptions {
  scenarioFile: string;
  /** `path=v1,v2,...` (an axis) or `path=value` (fixed), as given to --set. */
  sets: readonly string[];
  outDir: string;
  seed?: number;
  reporter?: Reporter;
  /** Go ahead even when the largest point's memory estimate exceeds the available memory (--force). */
  force?: boolean;
  /** Worker threads for each point's replay (default 1). Results are identical for any count. */
  workers?: number;
  /**
   * Share fitted models and per-request tables between points that differ only in pipelines (default
   * true); false fits and replays every point from scratch (the same results, slower: for checks and benchmarks).
   */
  reuse?: boolean;
}

/**
 * Split `--set` arguments into axes (two or more values) and fixed overrides (one value). Values are split
 * on commas outside brackets and quotes; lists and mappings cannot be swept.
 *
 * @example
 * parseSweepSets(['pipelines.0.refresh=1h,1d,7d', 'world.persons=2000'])
 * // { axes: [{ path: 'pipelines.0.refresh', values: ['1h', '1d', '7d'] }], fixed: ['world.persons=2000'] }
 */
export function parseSweepSets(sets: readonly string[]): { axes: SweepAxisInput[]; fixed: string[] } {
  const axes: SweepAxisInput[] = [];
  const fixed: string[] = [];
  const seen = new Set<string>();
  for (const text of sets) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new InputError(msg.overrideSyntax(text));
    const path = text.slice(0, eq).trim();
    if (seen.has(path)) throw new InputError(sweepMsg.duplicatePath(path));
    seen.add(path);
    const raw = text.slice(eq + 1);
    const trimmed = raw.trim();
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
      if (splitTopLevel(raw).length > 1) throw new InputError(sweepMsg.notScalar(text));
      fixed.push(text);
      continue;
    }
    const values = splitTopLevel(raw).map((v) => v.trim());
    if (values.some((v) => v === '')) throw new InputError(sweepMsg.emptyValue(text));
    if (values.some((v) => v.startsWith('[') || v.startsWith('{'))) throw new InputError(sweepMsg.notScalar(text));
    const twice = values.find((v, i) => values.indexOf(v) !== i);
    if (twice !== undefined) throw new InputError(sweepMsg.duplicateValue(text, twice));
    if (values.length === 1) fixed.push(`${path}=${values[0]}`);
    else axes.push({ path, values });
  }
  if (!axes.length) throw new InputError(sweepMsg.noGrid());
  return { axes, fixed };
}

/** Split on commas outside [], {} and quotes. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/**
 * Every combination of axis values, the first axis varying slowest.
 *
 * @example
 * sweepGrid([{ path: 'a', values: ['1', '2'] }, { path: 'b', values: ['x', 'y'] }]).length // 4
 */
export function sweepGrid(axes: readonly SweepAxisInput[]): Array<Record<string, string>> {
  let grid: Array<Record<string, string>> = [{}];
  for (const a of axes) grid = grid.flatMap((g) => a.values.map((v) => ({ ...g, [a.path]: v })));
  return grid;
}

/**
 * Run the grid and write `<outDir>/<name>-sweep/` (sweep.csv, sweep.json, points/<index>-<values>/results.json,
 * charts/, report.html, whatif.html, summary.md).
 *
 * @example
 * const { dir, table } = await runSweep({ scenarioFile: 'scenarios/quickstart.yaml', sets: ['pipelines.0.refresh=1h,1d,7d'], outDir: 'reports' });
 */
export async function runSweep(opts: SweepOptions): Promise<{ dir: string; table: SweepTable; warnings: string[] }> {
  const reporter = opts.reporter ?? silentReporter();
  const reuse = opts.reuse ?? true;
  // 1-2. Axes, grid, and every point's scenario validated up front.
  const { axes: inputs, fixed } = parseSweepSets(opts.sets);
  const grid = sweepGrid(inputs);
  if (grid.length > MAX_SWEEP_POINTS) throw new InputError(sweepMsg.tooLarge(grid.length, MAX_SWEEP_POINTS));
  const scenarios: Scenario[] = grid.map((g) => prepareScenario(opts.scenarioFile, [...fixed, ...Object.entries(g).map(([p, v]) => `${p}=${v}`)], opts.seed));
  const base = scenarios[0];
  guardSweep(scenarios, { force: opts.force, workers: opts.workers });
  using out = claimOutput({
    outDir: opts.outDir,
    name: `${base.name}-sweep`,
    kind: 'sweep',
    inputs: scenarios.flatMap((s) => scenarioInputs(s, opts.scenarioFile)),
  });
  const axes = inputs.map((a) => describeAxis(a, base));
  const dirs = grid.map((g, i) => `points/${pointSlug(i, Object.values(g), grid.length)}`);

  // 3. Run every point, grouped by log and then by fit, so each log and each fit is made once.
  const logKeys = scenarios.map((s) => JSON.stringify({ world: s.world, log: s.log, seed: s.seed }));
  const fitKeys = scenarios.map(fitSignature);
  const first = (keys: string[], i: number) => keys.indexOf(keys[i]);
  const order = scenarios.map((_, i) => i).sort((a, b) => first(logKeys, a) - first(logKeys, b) || first(fitKeys, a) - first(fitKeys, b) || a - b);
  let logKey = '';
  let log: { log: EventLog; provenance: LogProvenance } | null = null;
  let fitted: FittedRun | null = null;
  const done: Array<{ rows: SweepRow[]; point: SweepPoint; results: string; metric: string; warnings: string[]; detail: WhatIfDetail }> = new Array(
    scenarios.length,
  );
  try {
    for (const i of order) {
      const s = scenarios[i];
      if (!log || logKey !== logKeys[i]) {
        if (fitted) disposeModels(fitted.models);
        fitted = null;
        log = null; // let the previous log be collected before making the next
        log = await loadLog(s, reporter);
        logKey = logKeys[i];
      }
      const settings = axes.map((a) => `${a.label} = ${grid[i][a.path]}`).join(', ');
      const stage = reporter.stage(sweepMsg.pointStage(i, scenarios.length, settings));
      const refit = !reuse || fitted?.signature !== fitKeys[i];
      if (refit) {
        if (fitted) disposeModels(fitted.models);
        fitted = null;
        fitted = await fitRun(s, { log: log.log, provenance: log.provenance }, silentReporter());
      }
      const before = new Set(fitted!.reuse.sources.values());
      // Each point is checked again once its requests are planned: on a dense protocol they decide the peak.
      const loaded = { events: log.log.length, items: log.log.dict.item.length };
      const beforeReplay = guardOncePlanned(memoryInput(s), { workers: opts.workers, force: opts.force, loaded });
      const run = await runScenario(s, { reporter: silentReporter(), fitted: fitted!, workers: opts.workers ?? 1, beforeReplay });
      if (!reuse) {
        disposeModels(fitted!.models);
        fitted = null;
      }
      const r = run.results;
      const m = r.config.primaryMetric;
      const rows = r.results.map(
        (x): SweepRow => ({
          point: i,
          settings: grid[i],
          model: x.model,
          pipeline: x.pipeline,
          metric: m,
          frozen: x.metrics[m].frozen,
          served: x.metrics[m].served,
          gap: x.metrics[m].gap,
          relativeGap: x.metrics[m].relativeGap.mean,
          requests: r.counts.requests,
          identity: sweepIdentity(x.identity),
        }),
      );
      done[i] = {
        rows,
        point: { point: i, settings: grid[i], requests: r.counts.requests, dir: dirs[i] },
        results: jsonText(r),
        metric: m,
        warnings: r.warnings,
        // The what-if page's shares and money, taken now: the per-request table (for paired money intervals)
        // is not kept past the point.
        detail: whatIfDetail(i, r, parseRequestColumns(requestTableCsv(run), roiColumns(r))),
      };
      const replayed = run.sources.filter((src) => !before.has(src)).length;
      stage.end(sweepMsg.pointDone(r.counts.requests, refit, replayed, run.sources.length));
    }
  } finally {
    // The fitted models served every point of their fit; TensorFlow.js memory is released once, here.
    if (fitted) disposeModels(fitted.models);
  }
  const table: SweepTable = {
    version: SWEEP_VERSION,
    scenario: base.name,
    seed: base.seed,
    axes,
    fixed,
    metric: done[0].metric,
    models: base.models.map((m) => m.name),
    pipelines: [...new Set(done.flatMap((d) => d.rows.map((r) => r.pipeline)))],
    points: done.map((d) => d.point),
    rows: done.flatMap((d) => d.rows),
  };

  // 4. Table, each point's results and the report, atomically.
  const rep = reporter.stage('sweep report');
  const report = await buildSweepReport(table);
  const whatIf = buildWhatIfPage(
    table,
    done.map((d) => d.detail),
  );
  rep.end(sweepMsg.reportDone(report.charts, whatIf.bytes));
  const pointFiles: OutputFile[] = done.map((d) => ({ name: `${d.point.dir}/results.json`, content: d.results }));
  const dir = out.write([
    { name: 'sweep.csv', content: sweepCsv(table) },
    { name: 'sweep.json', content: jsonText(table) },
    ...pointFiles,
    ...report.files,
    ...whatIf.files,
  ]);
  // A point's run warnings (a period shorter than a cadence, too few persons) hold for the sweep's numbers too:
  // each once, with the points it concerns.
  const byText = new Map<string, number[]>();
  for (const d of done) for (const w of d.warnings) byText.set(w, [...(byText.get(w) ?? []), d.point.point]);
  const pointWarnings = [...byText].map(([w, points]) => sweepMsg.pointWarning(w, points, done.length));
  return { dir, table, warnings: [...pointWarnings, ...report.warnings, ...whatIf.warnings] };
}
