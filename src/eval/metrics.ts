// Per-request ranking metrics (docs/method.md 4.6): HR, Recall, NDCG and MRR at several cutoffs, written
// into a flat Float64Array row per request so aggregation and the bootstrap work on plain columns.

/** Metric names, in the order scoreRanking writes them. */
export const METRICS = ['ndcg', 'hit', 'recall', 'mrr'] as const;
export type Metric = (typeof METRICS)[number];

/** Number of metrics written per cutoff. */
export const METRIC_COUNT = METRICS.length;

/**
 * Type guard for metric names.
 *
 * @example
 * isMetric('ndcg') // true
 * isMetric('ndgc') // false
 */
export function isMetric(name: unknown): name is Metric {
  return typeof name === 'string' && (METRICS as readonly string[]).includes(name);
}

/**
 * The display key of a metric at a cutoff.
 *
 * @example
 * metricKey('ndcg', 10) // 'ndcg@10'
 */
export function metricKey(metric: Metric, k: number): string {
  return `${metric}@${k}`;
}

/**
 * Column of (metric, k) in a scoreRanking row: `ki * METRIC_COUNT + mi`, where ki is k's position in
 * `ks` and mi the metric's position in METRICS. Throws when k is not in ks.
 *
 * @example
 * metricColumn([10, 20], 'hit', 20) // 1 * 4 + 1 = 5
 */
export function metricColumn(ks: readonly number[], metric: Metric, k: number): number {
  const ki = ks.indexOf(k);
  if (ki < 0) throw new RangeError(`invalid k: ${k}; expected one of ${ks.join(', ')}`);
  return ki * METRIC_COUNT + METRICS.indexOf(metric);
}

/**
 * The keys of a scoreRanking row in column order.
 *
 * @example
 * metricKeys([10]) // ['ndcg@10', 'hit@10', 'recall@10', 'mrr@10']
 */
export function metricKeys(ks: readonly number[]): string[] {
  const keys: string[] = [];
  for (const k of ks) for (const m of METRICS) keys.push(metricKey(m, k));
  return keys;
}

// Discounts 1/log2(r+1) for ranks r = 1..TABLE-1 and their prefix sums (the ideal DCG for m labels).
// A constant table, computed once; ranks beyond it (K > 1023) fall back to Math.log2.
const TABLE = 1024;
const DISCOUNT = new Float64Array(TABLE);
const IDEAL_DCG = new Float64Array(TABLE);
for (let r = 1; r < TABLE; r++) {
  DISCOUNT[r] = 1 / Math.log2(r + 1);
  IDEAL_DCG[r] = IDEAL_DCG[r - 1] + DISCOUNT[r];
}

function discount(r: number): number {
  return r < TABLE ? DISCOUNT[r] : 1 / Math.log2(r + 1);
}

function idealDcg(m: number): number {
  if (m < TABLE) return IDEAL_DCG[m];
  let sum = IDEAL_DCG[TABLE - 1];
  for (let r = TABLE; r <= m; r++) sum += 1 / Math.log2(r + 1);
  return sum;
}

/**
 * Score one request's ranking against its labels at every cutoff in `ks`.
 *
 * Labels are a 0/1 mask over items (`labelMask[item] !== 0` means item is in L) with |L| = `nLabels`
 * given separately: the caller sets the request's label items before the call and clears them after,
 * O(|L|) per request, and each rank is then one array read. With hits at 1-based ranks r <= K:
 *
 *   HR@K     = 1 if any hit, else 0
 *   Recall@K = hits / min(K, |L|)
 *   NDCG@K   = sum_{hits} 1/log2(r+1)  /  sum_{r=1..min(K,|L|)} 1/log2(r+1)
 *   MRR@K    = 1 / (rank of the first hit), or 0
 *
 * Only `ranked[0..nRanked)` is read; a ranking shorter than K simply has no items at the missing ranks.
 * Layout: for the ki-th cutoff and mi-th metric of METRICS (ndcg, hit, recall, mrr) the value goes to
 * `out[offset + ki * 4 + mi]`, so a table of R requests has stride `ks.length * 4` (see metricColumn).
 * With nLabels = 0 the metrics are undefined and NaN is written (docs/method.md 4.4 drops such requests).
 * Returns the number of values written, `ks.length * 4`.
 *
 * @example
 * // L = {2, 7}, ranking [5, 2, 9, 7]; K = 2: one hit at rank 2.
 * const mask = new Uint8Array(10); mask[2] = 1; mask[7] = 1;
 * const out = new Float64Array(4);
 * scoreRanking(new Int32Array([5, 2, 9, 7]), 4, mask, 2, [2], out, 0);
 * // out = [ (1/log2 3) / (1 + 1/log2 3), 1, 0.5, 0.5 ]
 */
export function scoreRanking(
  ranked: Int32Array,
  nRanked: number,
  labelMask: Uint8Array,
  nLabels: number,
  ks: readonly number[],
  out: Float64Array | Float32Array,
  offset: number,
): number {
  if (nRanked > ranked.length) throw new RangeError(`invalid nRanked: ${nRanked}; ranked has length ${ranked.length}`);
  if (offset + ks.length * METRIC_COUNT > out.length) {
    throw new RangeError(`invalid offset: ${offset}; out needs ${ks.length * METRIC_COUNT} slots from it`);
  }
  for (let ki = 0; ki < ks.length; ki++) {
    const k = ks[ki];
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`invalid k: ${k}; expected a positive integer`);
    const base = offset + ki * METRIC_COUNT;
    if (nLabels <= 0) {
      out[base] = out[base + 1] = out[base + 2] = out[base + 3] = NaN;
      continue;
    }
    // ks hold a handful of cutoffs <= 100, so rescanning the prefix per cutoff costs less than bookkeeping.
    const depth = k < nRanked ? k : nRanked;
    let hits = 0;
    let dcg = 0;
    let firstHit = 0;
    for (let i = 0; i < depth; i++) {
      if (labelMask[ranked[i]] === 0) continue;
      hits++;
      dcg += discount(i + 1);
      if (firstHit === 0) firstHit = i + 1;
    }
    const ideal = k < nLabels ? k : nLabels;
    out[base] = dcg / idealDcg(ideal);
    out[base + 1] = hits > 0 ? 1 : 0;
    out[base + 2] = hits / ideal;
    out[base + 3] = firstHit > 0 ? 1 / firstHit : 0;
  }
  return ks.length * METRIC_COUNT;
}

/**
 * Copy one column of a request-by-column table (row stride `stride`) into its own array, e.g. the
 * per-request NDCG@10 series to hand to the bootstrap.
 *
 * @example
 * const col = metricColumn(ks, 'ndcg', 10);
 * const ndcg10 = tableColumn(table, nRequests, ks.length * METRIC_COUNT, col);
 */
export function tableColumn(table: Float64Array | Float32Array, nRows: number, stride: number, column: number): Float64Array {
  const col = new Float64Array(nRows);
  for (let r = 0, j = column; r < nRows; r++, j += stride) col[r] = table[j];
  return col;
}
