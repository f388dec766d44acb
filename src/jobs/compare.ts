// `recgap compare RUN_A RUN_B`: what changed between two runs (a new model version, another pipeline,
// another world). When both runs evaluated the same requests, differences are paired per request and
// tested with the person-clustered bootstrap; otherwise only the two runs' intervals are set side by side.
import { InputError } from '../errors.ts';
import { jobMsg } from './messages.ts';
import { ClusterBootstrap, holm, pairedPValue, type Interval } from '../stats/bootstrap.ts';
import { hashString } from '../util/hash.ts';
import { readRequestTable, readResults, type RequestTable } from './runFolder.ts';

export interface CompareRow {
  /** The model in run A, and its counterpart in run B (the same name unless paired with --match). */
  model: string;
  modelB: string;
  /** 'frozen' or a pipeline name. */
  view: string;
  a: number;
  b: number;
  /** b - a: paired per request (with interval and Holm-adjusted p) when the runs share their requests. */
  difference: Interval;
  pValue: number | null;
  pHolm: number | null;
}

export interface CompareReport {
  metric: string;
  paired: boolean;
  /** Why the comparison is not paired, when it is not. */
  note: string;
  runs: [string, string];
  rows: CompareRow[];
}

/**
 * Compare two run folders on their primary metric.
 *
 * @example
 * const report = await compareRuns('reports/v1', 'reports/v2');
 */
export async function compareRuns(
  dirA: string,
  dirB: string,
  opts: { metric?: string; replicates?: number; seed?: number; match?: ReadonlyArray<readonly [string, string]> } = {},
): Promise<CompareReport> {
  const a = readResults(dirA);
  const b = readResults(dirB);
  const metric = opts.metric ?? a.config.primaryMetric;
  if (!a.config.metrics.includes(metric) || !b.config.metrics.includes(metric)) {
    throw new InputError(jobMsg.metricNotInBoth(metric, dirA, a.config.metrics, dirB, b.config.metrics));
  }
  const views = ['frozen', ...a.pipelines.map((p) => p.name).filter((n) => b.pipelines.some((q) => q.name === n))];
  // Models pair by name, or as --match pairs them (a model of A with a differently named model of B).
  const namesA = a.models.map((m) => m.name);
  const namesB = b.models.map((m) => m.name);
  for (const [ma, mb] of opts.match ?? []) {
    if (!namesA.includes(ma)) throw new InputError(jobMsg.matchUnknown(ma, dirA, namesA));
    if (!namesB.includes(mb)) throw new InputError(jobMsg.matchUnknown(mb, dirB, namesB));
  }
  const pairs: Array<[string, string]> = opts.match?.length
    ? opts.match.map(([ma, mb]) => [ma, mb])
    : namesA.filter((n) => namesB.includes(n)).map((n) => [n, n]);
  if (pairs.length === 0) throw new InputError(jobMsg.nothingPairs(dirA, namesA, dirB, namesB));
  const tableA = await readRequestTable(
    dirA,
    pairs.flatMap(([m]) => views.map((v) => `${m}.${v}.${metric}`)),
  );
  const tableB = await readRequestTable(
    dirB,
    pairs.flatMap(([, m]) => views.map((v) => `${m}.${v}.${metric}`)),
  );
  const note = pairingProblem(tableA, tableB);
  const paired = note === '';
  const boot = paired
    ? new ClusterBootstrap(
        Int32Array.from(tableA.persons, (p) => hashString(p) >>> 1),
        { seed: opts.seed ?? 1, replicates: opts.replicates ?? 1000 },
      )
    : null;
  const rows: CompareRow[] = [];
  for (const [model, modelB] of pairs) {
    for (const view of views) {
      const va = tableA.numbers(`${model}.${view}.${metric}`);
      const vb = tableB.numbers(`${modelB}.${view}.${metric}`);
      const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / Math.max(1, x.length);
      if (boot) {
        const diff = vb.map((v, r) => v - va[r]);
        rows.push({ model, modelB, view, a: mean(va), b: mean(vb), difference: boot.interval(diff), pValue: pairedPValue(diff, boot), pHolm: null });
      } else {
        rows.push({ model, modelB, view, a: mean(va), b: mean(vb), difference: { mean: mean(vb) - mean(va), lo: NaN, hi: NaN }, pValue: null, pHolm: null });
      }
    }
  }
  if (paired) {
    const adjusted = holm(rows.map((r) => r.pValue!));
    rows.forEach((r, i) => (r.pHolm = adjusted[i]));
  }
  return { metric, paired, note, runs: [dirA, dirB], rows };
}

/** Plain-text table of a comparison. */
export function compareText(rep: CompareReport): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
  const lines = [
    `${rep.metric}: A = ${rep.runs[0]}, B = ${rep.runs[1]}; ${rep.paired ? 'paired on the same requests (person-clustered bootstrap, Holm-adjusted p)' : `not paired: ${rep.note}`}`,
    '',
  ];
  const rows = [['model', 'view', 'A', 'B', 'B - A', ...(rep.paired ? ['interval', 'p'] : [])]];
  for (const r of rep.rows) {
    rows.push([
      r.model === r.modelB ? r.model : `${r.model} vs ${r.modelB}`,
      r.view,
      f(r.a),
      f(r.b),
      f(r.difference.mean),
      ...(rep.paired ? [`[${f(r.difference.lo)}, ${f(r.difference.hi)}]`, Number.isFinite(r.pHolm!) ? r.pHolm!.toPrecision(2) : 'n/a'] : []),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    lines.push(
      r
        .map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    );
  return lines.join('\n');
}

function pairingProblem(a: RequestTable, b: RequestTable): string {
  if (a.length !== b.length) return jobMsg.unpairedCounts(a.length, b.length);
  const { timesUs: ta, persons: pa } = a;
  const { timesUs: tb, persons: pb } = b;
  for (let r = 0; r < a.length; r++) if (!Object.is(ta[r], tb[r]) || pa[r] !== pb[r]) return jobMsg.unpairedRequest(r);
  return '';
}
