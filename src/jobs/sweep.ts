// `recgap sweep`: a grid over scalar settings. Each `--set path=v1,v2,...` is an axis; every combination is
// a full run of the scenario with those overrides (same seed at every point: common random numbers, so
// differences come from the settings, not from new draws). One row per grid point x model x pipeline with
// the primary metric's frozen, served and gap and the pipeline's identity resolution quality at that point,
// plus what-if charts, written atomically to <out>/<name>-sweep/.
//   1. parse the axes and fixed overrides; build the grid
//   2. load and validate every point's scenario before running any (a typo fails in a second, not an hour)
//   3. run each point (the log is generated once per distinct world/data settings)
//   4. table (CSV + JSON) and report files
import type { Interval } from '../stats/bootstrap.ts';
import { InputError } from '../errors.ts';
import type { Scenario } from '../scenario/types.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';
import type { EventLog } from '../log/eventLog.ts';
import { loadLog, type LogProvenance } from './loadLog.ts';
import { prepareScenario } from './runJob.ts';
import { writeAtomically } from '../results/output.ts';
import { runScenario } from '../run/run.ts';
import { csvField } from '../run/requestTable.ts';
import { buildSweepReport } from '../report/sweepReport.ts';
import { sweepMsg } from '../report/messages.ts';
import type { ResolutionQuality } from '../identity/quality.ts';

/** Version 2 added each row's `identity` (resolution quality) and its CSV columns. */
export const SWEEP_VERSION = 'recgap.sweep/2';
/** Every grid point is a full run: refuse grids that would run for days by accident. */
export const MAX_SWEEP_POINTS = 200;

/** One swept setting and its values as typed (YAML scalars). */
export interface SweepAxis {
  path: string;
  values: string[];
}

/** The resolution quality a sweep row keeps: the key-level and per-request rates (src/identity/quality.ts). */
export type SweepIdentity = Pick<ResolutionQuality, 'pairwisePrecision' | 'pairwiseRecall' | 'bcubedPrecision' | 'bcubedRecall' | 'purity' | 'coverage' | 'keysPerPerson'>;

/** Keys of SweepIdentity in table order, with their CSV column names. */
export const SWEEP_IDENTITY_COLUMNS = [
  ['pairwisePrecision', 'pairwise_precision'],
  ['pairwiseRecall', 'pairwise_recall'],
  ['bcubedPrecision', 'bcubed_precision'],
  ['bcubedRecall', 'bcubed_recall'],
  ['purity', 'purity'],
  ['coverage', 'coverage'],
  ['keysPerPerson', 'keys_per_person'],
] as const satisfies ReadonlyArray<readonly [keyof SweepIdentity, string]>;

export interface SweepRow {
  /** Index of the grid point. */
  point: number;
  /** The swept value of each axis at this point, by path. */
  settings: Record<string, string>;
  model: string;
  pipeline: string;
  metric: string;
  frozen: Interval;
  served: Interval;
  gap: Interval;
  relativeGap: number;
  requests: number;
  /**
   * The pipeline's identity resolution against the true persons at this grid point (the same for every
   * model), so the served metric can be read against precision and recall; null when not measured.
   */
  identity: SweepIdentity | null;
}

export interface SweepTable {
  version: string;
  scenario: string;
  seed: number;
  axes: SweepAxis[];
  /** Overrides applied at every point (`--set` with one value). */
  fixed: string[];
  metric: string;
  models: string[];
  pipelines: string[];
  points: Array<{ point: number; settings: Record<string, string>; requests: number }>;
  rows: SweepRow[];
}

export interface SweepOptions {
  scenarioFile: string;
  /** `path=v1,v2,...` (an axis) or `path=value` (fixed), as given to --set. */
  sets: readonly string[];
  outDir: string;
  seed?: number;
  reporter?: Reporter;
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
    if (eq <= 0) throw new InputError(`--set ${JSON.stringify(text)}: expected path=value, e.g. world.persons=2000`);
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

  // 3. Run every point; reuse the log while the world (or data) settings stay the same.
  let cached: { key: string; log: EventLog; provenance: LogProvenance } | null = null;
  const rows: SweepRow[] = [];
  const points: SweepTable['points'] = [];
  let metric = '';
  for (let i = 0; i < scenarios.length; i++) {
    const s = scenarios[i];
    const label = Object.entries(grid[i]).map(([p, v]) => `${p}=${v}`).join(', ');
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
      rows.push({ point: i, settings: grid[i], model: x.model, pipeline: x.pipeline, metric: r.config.primaryMetric, frozen: m.frozen, served: m.served, gap: m.gap, relativeGap: m.relativeGap.mean, requests: r.counts.requests, identity: sweepIdentity(x.identity) });
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
  const dir = writeAtomically(opts.outDir, `${base.name}-sweep`, [
    { name: 'sweep.csv', content: sweepCsv(table) },
    { name: 'sweep.json', content: JSON.stringify(table, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n' },
    ...report.files,
  ]);
  return { dir, table, warnings: report.warnings };
}

/**
 * The rates of a resolution quality a sweep row keeps (counts and the cut left out: they repeat per point).
 *
 * @example
 * sweepIdentity(results.results[0].identity) // { pairwisePrecision: 1, pairwiseRecall: 0.41, ... }
 */
export function sweepIdentity(q: ResolutionQuality | undefined): SweepIdentity | null {
  if (!q) return null;
  return Object.fromEntries(SWEEP_IDENTITY_COLUMNS.map(([k]) => [k, q[k]])) as unknown as SweepIdentity;
}

/**
 * The sweep table as CSV: one row per grid point x model x pipeline.
 *
 * @example
 * sweepCsv(table).split('\n')[0] // 'point,pipelines.0.refresh,model,pipeline,metric,frozen,...,requests,pairwise_precision,...'
 */
export function sweepCsv(t: SweepTable): string {
  const num = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(8))) : '');
  const header = ['point', ...t.axes.map((a) => a.path), 'model', 'pipeline', 'metric', 'frozen', 'frozen_lo', 'frozen_hi', 'served', 'served_lo', 'served_hi', 'gap', 'gap_lo', 'gap_hi', 'relative_gap', 'requests', ...SWEEP_IDENTITY_COLUMNS.map(([, c]) => c)];
  const lines = [header.map(csvField).join(',')];
  for (const r of t.rows) {
    const iv = (i: Interval) => [num(i.mean), num(i.lo), num(i.hi)];
    lines.push([String(r.point), ...t.axes.map((a) => csvField(r.settings[a.path])), csvField(r.model), csvField(r.pipeline), csvField(r.metric), ...iv(r.frozen), ...iv(r.served), ...iv(r.gap), num(r.relativeGap), String(r.requests), ...SWEEP_IDENTITY_COLUMNS.map(([k]) => (r.identity ? num(r.identity[k]) : ''))].join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * Plain-text summary of a sweep for the terminal.
 *
 * @example
 * console.log(sweepText(table));
 */
export function sweepText(t: SweepTable): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
  const p3 = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  const header = [...t.axes.map((a) => a.path), 'model', 'pipeline', `frozen ${t.metric}`, 'served', 'gap', 'pairwise P/R'];
  const body = t.rows.map((r) => [
    ...t.axes.map((a) => r.settings[a.path]),
    r.model,
    r.pipeline,
    f(r.frozen.mean),
    `${f(r.served.mean)} [${f(r.served.lo)}, ${f(r.served.hi)}]`,
    f(r.gap.mean),
    r.identity ? `${p3(r.identity.pairwisePrecision)}/${p3(r.identity.pairwiseRecall)}` : '-',
  ]);
  const rows = [header, ...body];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  return [`${t.scenario}: sweep of ${t.axes.map((a) => `${a.path} (${a.values.join(', ')})`).join(' x ')}; ${t.points.length} runs, seed ${t.seed} at every point`, '', ...lines].join('\n');
}
