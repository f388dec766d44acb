// The sweep table (sweep.json, sweep.csv and the terminal summary): one row per grid point x model x
// pipeline, with the pipeline's identity resolution at that point.
import type { Interval } from '../stats/bootstrap.ts';
import type { ResolutionQuality } from '../identity/quality.ts';
import { spreadsheetField } from '../log/csv.ts';

/**
 * Version 2 added each row's `identity` (resolution quality) and its CSV columns; 3 each axis's `label`,
 * `kind` and `order`, and each point's `dir` (its results.json under points/).
 */
export const SWEEP_VERSION = 'recgap.sweep/3';

/** How an axis's values order: numbers and durations in their natural order, categories as given. */
export type AxisKind = 'number' | 'duration' | 'category';

/** One swept setting as typed on the command line: its config path and values (YAML scalars). */
export interface SweepAxisInput {
  path: string;
  values: string[];
}

/** One swept setting. */
export interface SweepAxis extends SweepAxisInput {
  /** The setting in words, e.g. "refresh cadence (pipeline weekly-batch)" for `pipelines.0.refresh`. */
  label: string;
  kind: AxisKind;
  /** The values in plotting order: natural order for numbers and durations, as given for categories. */
  order: string[];
}

/** A grid point: its settings, its request count and the folder of its results.json. */
export interface SweepPoint {
  point: number;
  settings: Record<string, string>;
  requests: number;
  /** `points/<index>-<values>`, relative to the sweep folder, holding the point's results.json. */
  dir: string;
}

/** The resolution quality a sweep row keeps: the key-level and per-request rates (src/identity/quality.ts). */
export type SweepIdentity = Pick<
  ResolutionQuality,
  'pairwisePrecision' | 'pairwiseRecall' | 'bcubedPrecision' | 'bcubedRecall' | 'purity' | 'coverage' | 'keysPerPerson'
>;

/** Keys of SweepIdentity in table order, with their CSV column names. */
const SWEEP_IDENTITY_COLUMNS = [
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
  points: SweepPoint[];
  rows: SweepRow[];
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
  const header = [
    'point',
    ...t.axes.map((a) => a.path),
    'model',
    'pipeline',
    'metric',
    'frozen',
    'frozen_lo',
    'frozen_hi',
    'served',
    'served_lo',
    'served_hi',
    'gap',
    'gap_lo',
    'gap_hi',
    'relative_gap',
    'requests',
    ...SWEEP_IDENTITY_COLUMNS.map(([, c]) => c),
  ];
  const lines = [header.map(spreadsheetField).join(',')];
  for (const r of t.rows) {
    const iv = (i: Interval) => [num(i.mean), num(i.lo), num(i.hi)];
    lines.push(
      [
        String(r.point),
        ...t.axes.map((a) => spreadsheetField(r.settings[a.path])),
        spreadsheetField(r.model),
        spreadsheetField(r.pipeline),
        spreadsheetField(r.metric),
        ...iv(r.frozen),
        ...iv(r.served),
        ...iv(r.gap),
        num(r.relativeGap),
        String(r.requests),
        ...SWEEP_IDENTITY_COLUMNS.map(([k]) => (r.identity ? num(r.identity[k]) : '')),
      ].join(','),
    );
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
  const header = [...t.axes.map((a) => a.label), 'model', 'pipeline', `frozen ${t.metric}`, 'served', 'gap', 'pairwise P/R'];
  const body = t.rows.map((r) => [
    ...t.axes.map((a) => r.settings[a.path]),
    r.model,
    r.pipeline,
    f(r.frozen.mean),
    `${f(r.served.mean)} [${f(r.served.lo)}, ${f(r.served.hi)}]`,
    `${f(r.gap.mean)} [${f(r.gap.lo)}, ${f(r.gap.hi)}]`,
    r.identity ? `${p3(r.identity.pairwisePrecision)}/${p3(r.identity.pairwiseRecall)}` : '-',
  ]);
  const rows = [header, ...body];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  return [
    `${t.scenario}: sweep of ${t.axes.map((a) => `${a.label} (${a.values.join(', ')})`).join(' x ')}; ${t.points.length} runs, seed ${t.seed} at every point`,
    '',
    ...lines,
  ].join('\n');
}
