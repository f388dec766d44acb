// `recgap compare RUN_A RUN_B`: what changed between two runs (a new model version, another pipeline,
// another world). When both runs evaluated the same requests, differences are paired per request and
// tested with the person-clustered bootstrap; otherwise only the two runs' intervals are set side by side.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { ClusterBootstrap, holm, pairedPValue, type Interval } from '../stats/bootstrap.ts';
import { hashString } from '../util/hash.ts';
import type { Results } from '../results/results.ts';

export interface CompareRow {
  model: string;
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
 * const report = compareRuns('reports/v1', 'reports/v2');
 */
export function compareRuns(dirA: string, dirB: string, opts: { metric?: string; replicates?: number; seed?: number } = {}): CompareReport {
  const a = readResults(dirA);
  const b = readResults(dirB);
  const metric = opts.metric ?? a.config.primaryMetric;
  if (!a.config.metrics.includes(metric) || !b.config.metrics.includes(metric)) {
    throw new InputError(`metric "${metric}" is not in both runs; ${dirA} has ${a.config.metrics.join(', ')}; ${dirB} has ${b.config.metrics.join(', ')}`);
  }
  const tableA = readTable(join(dirA, 'requests.csv'));
  const tableB = readTable(join(dirB, 'requests.csv'));
  const note = pairingProblem(tableA, tableB);
  const paired = note === '';
  const views = ['frozen', ...a.pipelines.map((p) => p.name).filter((n) => b.pipelines.some((q) => q.name === n))];
  const models = a.models.map((m) => m.name).filter((n) => b.models.some((q) => q.name === n));
  const boot = paired
    ? new ClusterBootstrap(
        Int32Array.from(tableA.column('person'), (p) => hashString(p) >>> 1),
        { seed: opts.seed ?? 1, replicates: opts.replicates ?? 1000 },
      )
    : null;
  const rows: CompareRow[] = [];
  for (const model of models) {
    for (const view of views) {
      const col = `${model}.${view}.${metric}`;
      const va = tableA.numbers(col);
      const vb = tableB.numbers(col);
      const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / Math.max(1, x.length);
      if (boot) {
        const diff = vb.map((v, r) => v - va[r]);
        rows.push({ model, view, a: mean(va), b: mean(vb), difference: boot.interval(diff), pValue: pairedPValue(diff, boot), pHolm: null });
      } else {
        rows.push({ model, view, a: mean(va), b: mean(vb), difference: { mean: mean(vb) - mean(va), lo: NaN, hi: NaN }, pValue: null, pHolm: null });
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
      r.model,
      r.view,
      f(r.a),
      f(r.b),
      f(r.difference.mean),
      ...(rep.paired ? [`[${f(r.difference.lo)}, ${f(r.difference.hi)}]`, r.pHolm!.toPrecision(2)] : []),
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

function readResults(dir: string): Results {
  const file = join(dir, 'results.json');
  if (!existsSync(file)) throw new InputError(`not a run folder: ${file} does not exist`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Results;
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

interface Table {
  header: string[];
  rows: string[][];
  column(name: string): string[];
  numbers(name: string): Float64Array;
}

function readTable(file: string): Table {
  if (!existsSync(file)) throw new InputError(`not a run folder: ${file} does not exist`);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  // requests.csv quotes only fields with commas or quotes (person and key names); split accordingly.
  const split = (line: string) =>
    line
      .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
      .slice(0, -1)
      .map((f) =>
        f
          .replace(/,$/, '')
          .replace(/^"(.*)"$/, '$1')
          .replace(/""/g, '"'),
      );
  const header = split(lines[0]);
  const rows = lines.slice(1).map(split);
  const index = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new InputError(`${file}: no column ${name}`);
    return i;
  };
  return {
    header,
    rows,
    column: (name) => rows.map((r) => r[index(name)]),
    numbers: (name) => {
      const i = index(name);
      return Float64Array.from(rows, (r) => (r[i] === '' ? NaN : Number(r[i])));
    },
  };
}

function pairingProblem(a: Table, b: Table): string {
  if (a.rows.length !== b.rows.length) return `the runs evaluated different numbers of requests (${a.rows.length} and ${b.rows.length})`;
  const ta = a.column('time');
  const tb = b.column('time');
  const pa = a.column('person');
  const pb = b.column('person');
  for (let r = 0; r < ta.length; r++)
    if (ta[r] !== tb[r] || pa[r] !== pb[r]) return `request ${r} differs (time or person): the runs used different logs or splits`;
  return '';
}
