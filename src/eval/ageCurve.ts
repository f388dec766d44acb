// Metric versus pipeline lag (eval/lag.ts): per-request series binned by the lag the pipeline adds to the
// served view, and the fitted relevance-loss curve loss(lag) = L_inf (1 - exp(-lag / tau)) whose tau is the
// time scale on which what the pipeline misses loses its value. Requests whose served view is empty (lag
// Infinity) are binned as 'empty' and enter the fit at the asymptote L_inf.
import { MS } from '../util/duration.ts';
import { gridPoint, minimizeOnGrid } from '../stats/minimize.ts';

/** Default bin edges: <1h, 1-6h, 6-24h, 1-2d, 2-4d, 4-7d, 7-14d, >=14d (plus 'empty'). */
export const DEFAULT_AGE_EDGES_MS: readonly number[] = [MS.h, 6 * MS.h, MS.d, 2 * MS.d, 4 * MS.d, 7 * MS.d, 14 * MS.d];

export interface AgeBin {
  /** '<1h', '1-6h', ..., '>=14d', or 'empty'. */
  label: string;
  /** Inclusive lower edge (0 for the first bin, which also takes negative ages); Infinity for 'empty'. */
  loMs: number;
  /** Exclusive upper edge; Infinity for the last age bin and for 'empty'. */
  hiMs: number;
  /** True for the bin of requests whose served view is empty (lag Infinity). */
  empty: boolean;
  /** Requests in the bin. */
  count: number;
  /** Mean of each series over the bin's requests, ignoring NaN values; NaN when none. */
  means: Record<string, number>;
}

function checkEdges(edgesMs: readonly number[]): void {
  if (edgesMs.length === 0) throw new RangeError('invalid edgesMs: empty; expected at least one positive edge');
  for (let i = 0; i < edgesMs.length; i++) {
    const e = edgesMs[i];
    if (!(Number.isFinite(e) && e > 0 && (i === 0 || e > edgesMs[i - 1]))) {
      throw new RangeError(`invalid edgesMs: ${edgesMs.join(', ')}; expected finite, positive, strictly increasing`);
    }
  }
}

/**
 * Bin index of each request: i for lags in [edges[i-1], edges[i]) (edges[-1] = -Infinity), edges.length for
 * lags >= the last edge, edges.length + 1 for an empty served view (Infinity), and -1 (in no bin) for NaN:
 * a person without history, whom no pipeline can lag behind. Use it to mask a series (NaN outside a bin)
 * and bootstrap a bin's mean.
 *
 * @example
 * ageBinIndex(new Float64Array([30 * 60_000, Infinity, NaN]), [3_600_000]) // Int32Array [0, 2, -1]
 */
export function ageBinIndex(ageMs: Float64Array, edgesMs: readonly number[] = DEFAULT_AGE_EDGES_MS): Int32Array {
  checkEdges(edgesMs);
  const nEdges = edgesMs.length;
  const bin = new Int32Array(ageMs.length);
  for (let r = 0; r < ageMs.length; r++) {
    const a = ageMs[r];
    if (a !== a) {
      bin[r] = -1;
      continue;
    }
    if (a === Infinity) {
      bin[r] = nEdges + 1;
      continue;
    }
    let i = 0;
    while (i < nEdges && a >= edgesMs[i]) i++;
    bin[r] = i;
  }
  return bin;
}

// Units for labels; weeks are left out so 7-14d reads as days.
const LABEL_UNITS = [
  ['d', MS.d],
  ['h', MS.h],
  ['m', MS.m],
  ['s', MS.s],
] as const;

/** Largest unit in which every given duration is a whole number. */
function commonUnit(...ms: number[]): readonly [string, number] {
  for (const u of LABEL_UNITS) if (ms.every((x) => x % u[1] === 0)) return u;
  return ['ms', 1];
}

function ageLabels(edgesMs: readonly number[]): string[] {
  const labels: string[] = [];
  const first = edgesMs[0];
  const last = edgesMs[edgesMs.length - 1];
  let [name, size] = commonUnit(first);
  labels.push(`<${first / size}${name}`);
  for (let i = 1; i < edgesMs.length; i++) {
    const a = edgesMs[i - 1];
    const b = edgesMs[i];
    [name, size] = commonUnit(a, b);
    labels.push(`${a / size}-${b / size}${name}`);
  }
  [name, size] = commonUnit(last);
  labels.push(`>=${last / size}${name}`);
  labels.push('empty');
  return labels;
}

/**
 * Bin requests by lag and average each series per bin. Always returns edges.length + 2 bins in lag order,
 * the 'empty' bin last, including bins with count 0 (means NaN), so reports have a stable shape. Requests
 * with a NaN lag are in no bin.
 *
 * @example
 * binByAge(ageMs, { 'ndcg@10 frozen': frozen, 'ndcg@10 served': served })
 * // [{ label: '<1h', count: 812, means: { ... } }, ..., { label: 'empty', empty: true, count: 97, ... }]
 */
export function binByAge(
  ageMs: Float64Array,
  series: Readonly<Record<string, Float64Array | Float32Array>>,
  edgesMs: readonly number[] = DEFAULT_AGE_EDGES_MS,
): AgeBin[] {
  const bin = ageBinIndex(ageMs, edgesMs);
  const nBins = edgesMs.length + 2;
  const count = new Float64Array(nBins);
  for (let r = 0; r < bin.length; r++) if (bin[r] >= 0) count[bin[r]]++;

  const names = Object.keys(series);
  const means: Float64Array[] = [];
  for (const name of names) {
    const values = series[name];
    if (values.length !== ageMs.length) {
      throw new RangeError(`invalid series "${name}": length ${values.length}; expected ${ageMs.length} (one per request)`);
    }
    const sum = new Float64Array(nBins);
    const n = new Float64Array(nBins);
    for (let r = 0; r < values.length; r++) {
      const v = values[r];
      if (v !== v || bin[r] < 0) continue;
      sum[bin[r]] += v;
      n[bin[r]]++;
    }
    for (let i = 0; i < nBins; i++) sum[i] = n[i] > 0 ? sum[i] / n[i] : NaN;
    means.push(sum);
  }

  const labels = ageLabels(edgesMs);
  const bins: AgeBin[] = [];
  for (let i = 0; i < nBins; i++) {
    const empty = i === nBins - 1;
    const m: Record<string, number> = {};
    names.forEach((name, j) => (m[name] = means[j][i]));
    bins.push({
      label: labels[i],
      loMs: empty ? Infinity : i === 0 ? 0 : edgesMs[i - 1],
      hiMs: empty || i === edgesMs.length ? Infinity : edgesMs[i],
      empty,
      count: count[i],
      means: m,
    });
  }
  return bins;
}

export interface RelevanceLossFit {
  /** Asymptotic loss L_inf (same units as loss). */
  lInf: number;
  /** Time scale tau in ms: loss reaches 63% of L_inf at age tau. */
  tauMs: number;
  /** Root mean squared residual of the fit. */
  rmse: number;
  /** Requests used: lag >= 0 (Infinity included) and a finite loss. */
  n: number;
  /** Of those, requests with an empty served view (lag Infinity), which pin L_inf. */
  nEmpty: number;
  /** True when tau sits at an end of the search range (1 minute or 365 days): tau is not identified there. */
  tauAtBound: boolean;
}

const TAU_MIN_MS = MS.m;
const TAU_MAX_MS = 365 * MS.d;
const GRID = 60;

/**
 * Least-squares fit of loss(lag) = L_inf (1 - exp(-lag / tau)) over requests with a lag >= 0 and a finite
 * loss. An empty served view has lag Infinity and g = 1: it measures L_inf directly. NaN lags and losses
 * are skipped.
 *
 * For fixed tau the model is linear in L_inf: with g_i = 1 - exp(-a_i / tau),
 *   L_inf(tau) = sum g_i y_i / sum g_i^2,   SSE(tau) = sum_i (y_i - L_inf(tau) g_i)^2.
 * tau is searched on a 60-point log grid from 1 minute to 365 days, then refined by golden-section search
 * on log tau between the grid neighbours of the best point: about 110 evaluations, each one exp per request
 * (about 2 s per million requests).
 *
 * Degenerate cases: no usable request -> lInf, tauMs, rmse NaN and n = 0. All lags equal (all Infinity
 * included) -> only L_inf (1 - exp(-a/tau)) is identified, so lInf and tauMs are NaN and rmse is that of
 * the best constant.
 * A loss still linear at 365 days (or saturated within a minute) gives tau at the range end, tauAtBound.
 *
 * @example
 * // Per-request loss = frozen NDCG - served NDCG, against the served view's signal age.
 * fitRelevanceLoss(lagMs, loss) // { lInf: 0.042, tauMs: 2.6 * 86_400_000, rmse: 0.21, n: 18211, nEmpty: 1603, tauAtBound: false }
 */
export function fitRelevanceLoss(ageMs: Float64Array, loss: Float64Array | Float32Array): RelevanceLossFit {
  return fitRelevanceLosses(ageMs, [loss])[0];
}

/**
 * fitRelevanceLoss of several losses against the same lags (e.g. every model's gap under one pipeline),
 * each result equal to fitRelevanceLoss's. Losses with the same usable requests share the grid's exp
 * evaluations, the larger part of the work.
 *
 * @example
 * const [pop, knn] = fitRelevanceLosses(lagMs, [popGap, knnGap]);
 */
export function fitRelevanceLosses(ageMs: Float64Array, losses: ReadonlyArray<Float64Array | Float32Array>): RelevanceLossFit[] {
  const out: Array<RelevanceLossFit | null> = losses.map(() => null);
  const open: Array<{ i: number; a: Float64Array; y: Float64Array; nEmpty: number }> = [];
  losses.forEach((loss, i) => {
    if (loss.length !== ageMs.length) {
      throw new RangeError(`invalid loss: length ${loss.length}; expected ${ageMs.length} (one per request)`);
    }
    const p = usableRequests(ageMs, loss);
    if (typeof p === 'object' && 'lInf' in p) out[i] = p;
    else open.push({ i, ...p });
  });
  const lo = Math.log(TAU_MIN_MS);
  const hi = Math.log(TAU_MAX_MS);
  // Group the fits whose lags are the same requests: their grid shares g (and sum g^2).
  const done = new Set<number>();
  for (let u = 0; u < open.length; u++) {
    if (done.has(u)) continue;
    const group = [u];
    for (let v = u + 1; v < open.length; v++) if (!done.has(v) && sameValues(open[u].a, open[v].a)) group.push(v);
    group.forEach((v) => done.add(v));
    const a = open[u].a;
    const n = a.length;
    const g = new Float64Array(n);
    const fGrid = group.map(() => new Float64Array(GRID));
    for (let k = 0; k < GRID; k++) {
      const tau = Math.exp(gridPoint(lo, hi, GRID, k));
      if (group.length === 1) {
        const { sgg, sgy } = moments(a, open[u].y, tau, g);
        fGrid[0][k] = residualSse(g, open[u].y, sgg, sgy);
        continue;
      }
      if (group.length === 2) {
        // g, sum g^2 and both sums g y in one pass (each sum has its own accumulator, in request order).
        const { sgg, sgy0, sgy1 } = moments2(a, open[group[0]].y, open[group[1]].y, tau, g);
        fGrid[0][k] = residualSse(g, open[group[0]].y, sgg, sgy0);
        fGrid[1][k] = residualSse(g, open[group[1]].y, sgg, sgy1);
        continue;
      }
      const sgg = gMoment(a, tau, g);
      group.forEach((v, j) => (fGrid[j][k] = residualSse(g, open[v].y, sgg, crossMoment(g, open[v].y))));
    }
    group.forEach((v, j) => {
      const { i, y, nEmpty } = open[v];
      // The moments of the last evaluation: the final one is at the fitted tau, whose L_inf they give.
      let last = { sgg: NaN, sgy: NaN };
      const sse = (logTau: number): number => {
        last = moments(a, y, Math.exp(logTau), g);
        return residualSse(g, y, last.sgg, last.sgy);
      };
      const { x: logTau, atBound: tauAtBound } = minimizeOnGrid(sse, lo, hi, GRID, 1e-10, fGrid[j]);
      const tauMs = Math.exp(logTau);
      const res = sse(logTau);
      const { sgg, sgy } = last;
      const lInf = sgg > 0 ? sgy / sgg : NaN;
      out[i] = { lInf, tauMs, rmse: Math.sqrt(res / n), n, nEmpty, tauAtBound };
    });
  }
  return out as RelevanceLossFit[];
}

/** The usable (lag, loss) pairs, or the whole result when the fit is degenerate (none, or all lags equal). */
function usableRequests(ageMs: Float64Array, loss: Float64Array | Float32Array): RelevanceLossFit | { a: Float64Array; y: Float64Array; nEmpty: number } {
  let n = 0;
  let nEmpty = 0;
  for (let r = 0; r < ageMs.length; r++) {
    if (!usable(ageMs[r], loss[r])) continue;
    n++;
    if (ageMs[r] === Infinity) nEmpty++;
  }
  const a = new Float64Array(n);
  const y = new Float64Array(n);
  let sy = 0;
  let aMin = Infinity;
  let aMax = -Infinity;
  for (let r = 0, j = 0; r < ageMs.length; r++) {
    if (!usable(ageMs[r], loss[r])) continue;
    a[j] = ageMs[r];
    y[j] = loss[r];
    sy += y[j];
    if (a[j] < aMin) aMin = a[j];
    if (a[j] > aMax) aMax = a[j];
    j++;
  }
  if (n === 0) return { lInf: NaN, tauMs: NaN, rmse: NaN, n: 0, nEmpty: 0, tauAtBound: false };
  if (aMin === aMax) {
    const mean = sy / n;
    let sse = 0;
    for (let j = 0; j < n; j++) sse += (y[j] - mean) * (y[j] - mean);
    return { lInf: NaN, tauMs: NaN, rmse: Math.sqrt(sse / n), n, nEmpty, tauAtBound: false };
  }
  return { a, y, nEmpty };
}

function sameValues(x: Float64Array, y: Float64Array): boolean {
  if (x.length !== y.length) return false;
  for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  return true;
}

// SSE(tau) from the residuals, not sum y^2 - (sum g y)^2 / sum g^2: that cancels to ~1e-16 sum y^2 near a
// perfect fit and would stop the search from resolving tau beyond ~1e-7. g is kept so the residual pass needs
// no exp.
function residualSse(g: Float64Array, y: Float64Array, sgg: number, sgy: number): number {
  const lInf = sgg > 0 ? sgy / sgg : 0;
  let res = 0;
  for (let j = 0; j < g.length; j++) {
    const e = y[j] - lInf * g[j];
    res += e * e;
  }
  return res;
}

function usable(lag: number, loss: number): boolean {
  return lag >= 0 && loss === loss && Math.abs(loss) < Infinity;
}

/**
 * g = 1 - exp(-x / tau) for inv = 1 / tau (expm1 keeps small ages accurate). A lag of 0 (g = 0) or Infinity
 * (g = 1, an empty served view) needs no exp: they are often most requests.
 */
function lagGain(x: number, inv: number): number {
  return x === 0 ? 0 : x === Infinity ? 1 : -Math.expm1(-x * inv);
}

/** sum g^2 with g = lagGain(a, 1 / tau), writing g into `gOut`. */
function gMoment(a: Float64Array, tau: number, gOut: Float64Array): number {
  let sgg = 0;
  const inv = 1 / tau;
  for (let j = 0; j < a.length; j++) {
    const g = lagGain(a[j], inv);
    gOut[j] = g;
    sgg += g * g;
  }
  return sgg;
}

/** gMoment and crossMoment in one pass (the same sums: each has its own accumulator). */
function moments(a: Float64Array, y: Float64Array, tau: number, gOut: Float64Array): { sgg: number; sgy: number } {
  let sgg = 0;
  let sgy = 0;
  const inv = 1 / tau;
  for (let j = 0; j < a.length; j++) {
    const g = lagGain(a[j], inv);
    gOut[j] = g;
    sgg += g * g;
    sgy += g * y[j];
  }
  return { sgg, sgy };
}

/** moments for two losses y0, y1 at once: sum g^2, sum g y0, sum g y1 (one accumulator each, request order). */
function moments2(a: Float64Array, y0: Float64Array, y1: Float64Array, tau: number, gOut: Float64Array): { sgg: number; sgy0: number; sgy1: number } {
  let sgg = 0;
  let sgy0 = 0;
  let sgy1 = 0;
  const inv = 1 / tau;
  for (let j = 0; j < a.length; j++) {
    const g = lagGain(a[j], inv);
    gOut[j] = g;
    sgg += g * g;
    sgy0 += g * y0[j];
    sgy1 += g * y1[j];
  }
  return { sgg, sgy0, sgy1 };
}

/** sum g y. */
function crossMoment(g: Float64Array, y: Float64Array): number {
  let sgy = 0;
  for (let j = 0; j < g.length; j++) sgy += g[j] * y[j];
  return sgy;
}
