// `recgap sweep`: a grid over scalar settings. Each `--set path=v1,v2,...` is an axis; every combination is
// a full run of the scenario with those overrides (same seed at every point: common random numbers, so
// differences come from the settings, not from new draws). One row per grid point x model x pipeline with
// the primary metric's frozen, served and gap and the pipeline's identity resolution quality at that point,
// plus what-if charts, written atomically to <out>/<name>-sweep/.
//   1. parse the axes and fixed overrides; build the grid
//   2. load and validate every point's scenario before running any (a typo fails in a second, not an hour)
//   3. run each point (the log is generated once per distinct world/data settings)
//   4. table (CSV + JSON) and report files
import { jsonText } from '../results/json.ts';
import { InputError, msg } from '../errors.ts';
import type { Scenario } from '../scenario/types.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';
import type { EventLog } from '../log/eventLog.ts';
import { loadLog } from '../run/loadLog.ts';
import type { LogProvenance } from '../results/results.ts';
import { prepareScenario } from './runJob.ts';
import { claimOutput } from '../results/output.ts';
import { scenarioInputs } from './outputs.ts';
import { runScenario } from '../run/run.ts';
import { SWEEP_VERSION, sweepCsv, sweepIdentity, type SweepAxis, type SweepRow, type SweepTable } from '../results/sweep.ts';
import { buildSweepReport } from '../report/sweepReport.ts';
import { sweepMsg } from '../report/messages.ts';
import { guardSweep } from './resources.ts';

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
}

/**
 * Split `--set` arguments into axes (two or more values) and fixed overrides (one value). Values are split
 * on commas outside brackets and quotes; lists and mappings cannot be swept.
 *
 * @example
 * parseSweepSets(['pipelines.0.refresh=1h,1d,7d', 'world.persons=2000'])
 * // { axes: [{ path: 'pipelines.0.refresh', values: ['1h', '1d', '7d'] }], fixed: ['world.persons=2000'] }
 */
export function parseSweepSets(sets: readonly string[]): { axes: SweepAxis[]; fixed: string[] } {
  const axes: SweepAxis[] = [];
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
export function sweepGrid(axes: readonly SweepAxis[]): Array<Record<string, string>> {
  let grid: Array<Record<string, string>> = [{}];
  for (const a of axes) grid = grid.flatMap((g) => a.values.map((v) => ({ ...g, [a.path]: v })));
  return grid;
}

/**
 * Run the grid and write `<outDir>/<name>-sweep/` (sweep.csv, sweep.json, charts/what-if-*, report.html,
 * summary.md).
 *
 * @example
 * const { dir, table } = await runSweep({ scenarioFile: 'scenarios/quickstart.yaml', sets: ['pipelines.0.refresh=1h,1d,7d'], outDir: 'reports' });
 */
export async function runSweep(opts: SweepOptions): Promise<{ dir: string; table: SweepTable; warnings: string[] }> {
  const reporter = opts.reporter ?? silentReporter();
  // 1-2. Axes, grid, and every point's scenario validated up front.
  const { axes, fixed } = parseSweepSets(opts.sets);
  const grid = sweepGrid(axes);
  if (grid.length > MAX_SWEEP_POINTS) throw new InputError(sweepMsg.tooLarge(grid.length, MAX_SWEEP_POINTS));
  const scenarios: Scenario[] = grid.map((g) => prepareScenario(opts.scenarioFile, [...fixed, ...Object.entries(g).map(([p, v]) => `${p}=${v}`)], opts.seed));
  const base = scenarios[0];
  guardSweep(scenarios, { force: opts.force });
  using out = claimOutput({
    outDir: opts.outDir,
    name: `${base.name}-sweep`,
    kind: 'sweep',
    inputs: scenarios.flatMap((s) => scenarioInputs(s, opts.scenarioFile)),
  });

  // 3. Run every point; reuse the log while the world (or data) settings stay the same.
  let cached: { key: string; log: EventLog; provenance: LogProvenance } | null = null;
  const rows: SweepRow[] = [];
  const points: SweepTable['points'] = [];
  let metric = '';
  for (let i = 0; i < scenarios.length; i++) {
    const s = scenarios[i];
    const label = Object.entries(grid[i])
      .map(([p, v]) => `${p}=${v}`)
      .join(', ');
    const key = JSON.stringify({ world: s.world, log: s.log, seed: s.seed });
    if (!cached || cached.key !== key) {
      cached = null; // let the previous log be collected before generating the next
      const { log, provenance } = await loadLog(s, reporter);
      cached = { key, log, provenance };
    }
    const stage = reporter.stage(`point ${i + 1}/${scenarios.length} (${label})`);
    const run = await runScenario(s, { reporter: silentReporter(), log: cached.log, provenance: cached.provenance });
    const r = run.results;
    metric ||= r.config.primaryMetric;
    points.push({ point: i, settings: grid[i], requests: r.counts.requests });
    for (const x of r.results) {
      const m = x.metrics[r.config.primaryMetric];
      rows.push({
        point: i,
        settings: grid[i],
        model: x.model,
        pipeline: x.pipeline,
        metric: r.config.primaryMetric,
        frozen: m.frozen,
        served: m.served,
        gap: m.gap,
        relativeGap: m.relativeGap.mean,
        requests: r.counts.requests,
        identity: sweepIdentity(x.identity),
      });
    }
    stage.end(`${r.counts.requests.toLocaleString('en-US')} requests`);
  }
  const table: SweepTable = {
    version: SWEEP_VERSION,
    scenario: base.name,
    seed: base.seed,
    axes,
    fixed,
    metric,
    models: base.models.map((m) => m.name),
    pipelines: [...new Set(rows.map((r) => r.pipeline))],
    points,
    rows,
  };

  // 4. Table and report, atomically.
  const rep = reporter.stage('sweep report');
  const report = await buildSweepReport(table);
  rep.end(`${report.charts} charts`);
  const dir = out.write([{ name: 'sweep.csv', content: sweepCsv(table) }, { name: 'sweep.json', content: jsonText(table) }, ...report.files]);
  return { dir, table, warnings: report.warnings };
}
