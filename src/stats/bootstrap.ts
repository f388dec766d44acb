// Person-clustered Poisson bootstrap of a mean (docs/method.md 4.7): each person's weight in replicate b is a
// Poisson(1) draw from hash3(seed, person, b), so intervals do not depend on order, threads or sharding.
import { poissonWeight } from './poisson.ts';
import { SeriesBatch, quantize, type BatchFrame } from './replicateBatch.ts';

export { poissonWeight };

/** A point estimate with its percentile interval. */
export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

/** Mergeable per-replicate sums of one series; shards add them elementwise (intervalFromSums). */
export interface ReplicateSums {
  /** Seed of the weights; only sums with the same seed (and replicate count) can be merged. */
  seed: number;
  /** sum_c w_cb S_c per replicate b, S_c = sum of the cluster's (quantized) values. */
  sumWS: Float64Array;
  /** sum_c w_cb N_c per replicate b, N_c = the cluster's number of non-NaN values. */
  sumWN: Float64Array;
  /** Plain sum of the (quantized) non-NaN values. */
  sum: number;
  /** Number of non-NaN values. */
  n: number;
}

export interface BootstrapOptions {
  /** 32-bit seed of the replicate weights. */
  seed: number;
  /** Number of replicates B; 0 gives NaN interval bounds. Default (docs/method.md 4.7): 1000. */
  replicates: number;
  /** Coverage of the percentile interval; default 0.95. */
  level?: number;
  /** Threads for batch() (the calling one and worker threads); default 1. Results do not depend on it. */
  threads?: number;
}

/**
 * Values are rounded to multiples of this quantum before summing. Every partial sum is then an integer
 * multiple of 2^-30 and float64 adds it exactly while |sum| < 2^23 (about 8.4M, e.g. metrics in [-1, 1]
 * over a few million weighted requests), so replicate sums are identical whatever the summation order and
 * merging shards reproduces the single-run interval bit for bit. Rounding moves a mean by < 5e-10.
 * Beyond 2^23 sums round as ordinary floats: still accurate, no longer order-exact.
 */
export const BOOTSTRAP_QUANTUM = 2 ** -30;

/**
 * Clustered bootstrap over a fixed set of requests, reused for many series (metrics, differences, shares).
 *
 * Built once: requests are grouped into clusters (persons). Per series, per-cluster sums S_c and counts N_c
 * are taken, then replicate b's mean is
 *
 *   m_b = sum_c w_cb S_c / sum_c w_cb N_c
 *
 * A replicate whose total weight sum_c w_cb N_c is 0 (every cluster drew 0; likely only with very few
 * clusters) has no mean: it is NaN in replicateMeans and skipped by intervals and p-values. NaN values are
 * treated as missing: they count in neither S_c nor N_c nor the plain mean (e.g. to bootstrap a subset).
 * The weighted sums of many series are taken in one pass (batch(); replicateBatch.ts), which draws each
 * weight once, in a WebAssembly kernel, optionally on several threads; the sums equal the scalar loop's
 * (bootstrapReference.ts) bit for bit.
 *
 * @example
 * const boot = new ClusterBootstrap(personOfRequest, { seed: 7, replicates: 1000 });
 * const ndcg = boot.interval(ndcg10);            // { mean, lo, hi }
 * const p = pairedPValue(diffs, boot);            // same weights, paired comparison
 */
export class ClusterBootstrap {
  readonly replicates: number;
  readonly level: number;
  readonly seed: number;
  /** Threads batch() may use (the calling one included); results do not depend on it. */
  readonly threads: number;
  /** Number of requests the series must have. */
  readonly nRequests: number;
  /** Number of distinct clusters. */
  readonly nClusters: number;
  private readonly frame: BatchFrame;

  constructor(clusterOfRequest: Int32Array, opts: BootstrapOptions) {
    const { seed, replicates } = opts;
    const level = opts.level ?? 0.95;
    const threads = opts.threads ?? 1;
    if (!Number.isInteger(replicates) || replicates < 0) {
      throw new RangeError(`invalid replicates: ${replicates}; expected a non-negative integer`);
    }
    if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}; expected a number in (0, 1)`);
    if (!Number.isInteger(seed)) throw new RangeError(`invalid seed: ${seed}; expected an integer`);
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`invalid threads: ${threads}; expected a positive integer`);
    this.replicates = replicates;
    this.level = level;
    this.seed = seed;
    this.threads = threads;
    this.nRequests = clusterOfRequest.length;

    // Dense indices in order of first appearance; the weights depend on the external id only, so this order
    // (and hence request order) cannot change any result.
    const dense = new Int32Array(clusterOfRequest.length);
    const index = new Map<number, number>();
    const ids: number[] = [];
    for (let r = 0; r < clusterOfRequest.length; r++) {
      const id = clusterOfRequest[r];
      if (id < 0) throw new RangeError(`invalid cluster id: ${id} at request ${r}; expected a non-negative integer`);
      let c = index.get(id);
      if (c === undefined) {
        c = ids.length;
        index.set(id, c);
        ids.push(id);
      }
      dense[r] = c;
    }
    this.nClusters = ids.length;
    this.frame = { seed, replicates, threads, denseOfRequest: dense, clusterIds: Int32Array.from(ids) };
  }

  /**
   * Mean over requests with its percentile interval (type 7 quantiles of the replicate means at
   * (1 - level) / 2 and (1 + level) / 2). With 0 replicates, lo and hi are NaN.
   *
   * @example
   * boot.interval(hit10) // { mean: 0.231, lo: 0.219, hi: 0.243 }
   */
  interval(values: Float64Array | Float32Array): Interval {
    return intervalFromSums([this.replicateSums(values)], this.level);
  }

  /**
   * The interval and the replicate means from one pass (for derived statistics such as ratios).
   *
   * @example
   * const { interval, means } = boot.summarize(gap);
   */
  summarize(values: Float64Array | Float32Array): { interval: Interval; means: Float64Array } {
    return summarizeSums(this.replicateSums(values), this.level);
  }

  /**
   * The B replicate means m_b (NaN for a replicate with zero total weight).
   *
   * @example
   * const means = boot.replicateMeans(ndcg10); // Float64Array(B)
   */
  replicateMeans(values: Float64Array | Float32Array): Float64Array {
    return meansFromSums(this.replicateSums(values));
  }

  /**
   * Per-replicate sums of w*S and w*N plus the plain sum and count: add these elementwise across shards
   * built with the same seed and replicates (intervalFromSums) to get exactly the single-run result.
   *
   * @example
   * const parts = shards.map((s) => s.boot.replicateSums(s.ndcg10));
   * intervalFromSums(parts, 0.95);
   */
  replicateSums(values: Float64Array | Float32Array): ReplicateSums {
    return this.batch([values])[0];
  }

  /**
   * replicateSums of many series from one pass over the weights: each weight is drawn once and applied to
   * every series (identical series are summed once). Equal, bit for bit, to calling replicateSums on each.
   *
   * @example
   * const [frozen, served, gap] = boot.batch([f, s, g]);
   */
  batch(series: ReadonlyArray<Float64Array | Float32Array>): ReplicateSums[] {
    const batch = this.newBatch();
    for (const values of series) batch.add(values);
    return batch.run();
  }

  /**
   * A batch to fill series by series (each is reduced when added, so callers need not keep them), then run
   * once; run() returns the ReplicateSums in the order added.
   *
   * @example
   * const batch = boot.newBatch();
   * const i = batch.add(gap);
   * const sums = batch.run()[i];
   */
  newBatch(): {
    add(values: Float64Array | Float32Array): number;
    /** Series i again (equal sums), without reducing it again. */
    alias(i: number): number;
    /** The quantized sum and count of series i (known when added). */
    plain(i: number): { sum: number; n: number };
    /** Distinct non-zero columns (S and N) the kernel will sum, for benchmarks. */
    columns(): number;
    run(): ReplicateSums[];
  } {
    const batch = new SeriesBatch(this.frame);
    return {
      add: (values) => batch.add(values),
      alias: (i) => batch.alias(i),
      plain: (i) => batch.plain(i),
      columns: () => batch.columns,
      run: () => batch.run().map((s) => ({ seed: this.seed, ...s })),
    };
  }
}

/**
 * The plain mean of the quantized non-NaN values: the `mean` of ClusterBootstrap.interval, without resampling.
 *
 * @example
 * quantizedMean(Float64Array.of(0.25, NaN, 0.75)) // 0.5
 */
export function quantizedMean(values: Float64Array | Float32Array): number {
  let sum = 0;
  let n = 0;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v !== v) continue;
    sum += quantize(v);
    n++;
  }
  return n > 0 ? sum / n : NaN;
}

/**
 * The interval and the replicate means of one series' sums (ClusterBootstrap.summarize on sums from batch()).
 *
 * @example
 * const { interval, means } = summarizeSums(boot.batch([gap])[0], 0.95);
 */
export function summarizeSums(sums: ReplicateSums, level: number): { interval: Interval; means: Float64Array } {
  return { interval: intervalFromSums([sums], level), means: meansFromSums(sums) };
}

/**
 * The B replicate means m_b = sumWS_b / sumWN_b (NaN where sumWN_b = 0).
 *
 * @example
 * meansFromSums(boot.replicateSums(x)) // = boot.replicateMeans(x)
 */
export function meansFromSums(s: ReplicateSums): Float64Array {
  const B = s.sumWS.length;
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) means[b] = s.sumWN[b] > 0 ? s.sumWS[b] / s.sumWN[b] : NaN;
  return means;
}

/**
 * Merge shards' replicate sums (elementwise addition) and compute the interval: mean = sum / n, lo/hi =
 * type-7 percentiles of the replicate means, skipping zero-weight replicates. All parts must come from
 * bootstraps with the same seed and replicate count; shards may split a person's requests.
 *
 * @example
 * intervalFromSums([shardA.replicateSums(x), shardB.replicateSums(y)], 0.95)
 */
export function intervalFromSums(parts: readonly ReplicateSums[], level = 0.95): Interval {
  if (parts.length === 0) throw new RangeError('invalid parts: empty; expected at least one ReplicateSums');
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level}; expected a number in (0, 1)`);
  const B = parts[0].sumWS.length;
  const seed = parts[0].seed;
  const merged: ReplicateSums = { seed, sumWS: new Float64Array(B), sumWN: new Float64Array(B), sum: 0, n: 0 };
  for (const p of parts) {
    if (p.sumWS.length !== B || p.sumWN.length !== B) {
      throw new RangeError(`invalid parts: replicate counts ${p.sumWS.length} and ${B} differ`);
    }
    if (p.seed !== seed) throw new RangeError(`invalid parts: seeds ${p.seed} and ${seed} differ`);
    for (let b = 0; b < B; b++) {
      merged.sumWS[b] += p.sumWS[b];
      merged.sumWN[b] += p.sumWN[b];
    }
    merged.sum += p.sum;
    merged.n += p.n;
  }
  const mean = merged.n > 0 ? merged.sum / merged.n : NaN;
  const sorted = finiteSorted(meansFromSums(merged));
  const alpha = (1 - level) / 2;
  return { mean, lo: quantile7(sorted, alpha), hi: quantile7(sorted, 1 - alpha) };
}

/** Non-NaN entries, ascending. */
function finiteSorted(x: Float64Array): Float64Array {
  let m = 0;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) out[m++] = x[i];
  return out.subarray(0, m).sort();
}

/**
 * Hyndman-Fan type 7 quantile (R's default) of ascending data:
 *   h = (m - 1) p,  q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])   (0-based x).
 * NaN for empty data.
 *
 * @example
 * quantile7(new Float64Array([1, 2, 4, 8]), 0.5) // 3
 */
export function quantile7(sorted: Float64Array, p: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const h = (m - 1) * p;
  const j = Math.floor(h);
  if (j >= m - 1) return sorted[m - 1];
  const lo = sorted[j];
  const hi = sorted[j + 1];
  // Equal neighbours return exactly that value (lo + 0 * x could still round for large magnitudes).
  return lo === hi ? lo : lo + (h - j) * (hi - lo);
}

/**
 * Two-sided paired bootstrap p-value for "mean difference = 0": the share of replicate means on the other
 * side of 0 from the observed mean (0 itself counts as the other side), doubled and clamped to
 * [1 / (B' + 1), 1], B' = replicates with non-zero weight. An observed mean of exactly 0 gives 1; no usable
 * replicates give NaN. `diffs` are per-request differences, e.g. frozen minus served NDCG@10.
 *
 * @example
 * pairedPValue(ndcgFrozen_minus_served, boot) // 0.000999 for a clear gap with B = 1000
 */
export function pairedPValue(diffs: Float64Array | Float32Array, bootstrap: ClusterBootstrap): number {
  return pValueFromSums(bootstrap.replicateSums(diffs));
}

/**
 * pairedPValue from the replicate sums of the differences (e.g. from ClusterBootstrap.batch).
 *
 * @example
 * const [d] = boot.batch([diffs]);
 * pValueFromSums(d) // equals pairedPValue(diffs, boot)
 */
export function pValueFromSums(sums: ReplicateSums): number {
  const means = meansFromSums(sums);
  const observed = sums.n > 0 ? sums.sum / sums.n : NaN;
  let used = 0;
  let other = 0;
  for (let b = 0; b < means.length; b++) {
    const m = means[b];
    if (m !== m) continue;
    used++;
    if (observed > 0 ? m <= 0 : m >= 0) other++;
  }
  if (used === 0 || observed !== observed) return NaN;
  if (observed === 0) return 1;
  const p = (2 * other) / used;
  return Math.min(1, Math.max(1 / (used + 1), p));
}

/**
 * Holm step-down adjustment: with p sorted ascending p_(1..m), adjusted p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)),
 * returned in the input order (monotone in the raw p-values). NaN entries stay NaN and do not count in m.
 *
 * @example
 * holm([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holm(pValues: readonly number[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < pValues.length; i++) if (pValues[i] === pValues[i]) order.push(i);
  order.sort((a, b) => pValues[a] - pValues[b] || a - b);
  const m = order.length;
  const out = pValues.map(() => NaN);
  let running = 0;
  for (let j = 0; j < m; j++) {
    const i = order[j];
    running = Math.max(running, Math.min(1, (m - j) * pValues[i]));
    out[i] = running;
  }
  return out;
}

/**
 * Distinct clusters (persons) among the requests and their effective number (sum n_p)^2 / sum n_p^2, which is the
 * distinct count when every person has the same number of requests and near 1 when one person has most.
 *
 * @example
 * effectivePersons(Int32Array.of(0, 0, 0, 1)) // { distinct: 2, effective: 1.6 }
 */
export function effectivePersons(person: Int32Array): { distinct: number; effective: number } {
  const count = new Map<number, number>();
  for (let r = 0; r < person.length; r++) count.set(person[r], (count.get(person[r]) ?? 0) + 1);
  let squares = 0;
  for (const c of count.values()) squares += c * c;
  return { distinct: count.size, effective: squares > 0 ? (person.length * person.length) / squares : 0 };
}
