// Intervals, replicate means and p-values of many series from one bootstrap pass. Callers register every
// series first (each is reduced at once; the plain mean is known immediately), build their results with the
// returned placeholders, and run(): the placeholders are filled in, then the callbacks given to afterRun() run
// in order (for statistics of several series: ratios, Holm adjustments).
import { type ClusterBootstrap, type Interval, type ReplicateSums, intervalFromSums, meansFromSums, pValueFromSums } from './bootstrap.ts';

/** One registered series. `interval` is filled in by run(); sums, means and pValue are readable after it. */
export interface SeriesHandle {
  /** { mean, lo, hi }: mean already set, lo and hi once run() returns. */
  readonly interval: Interval;
  /** Plain mean of the quantized non-NaN values (as interval.mean), known at once. */
  readonly mean: number;
  sums(): ReplicateSums;
  means(): Float64Array;
  pValue(): number;
}

/**
 * A batch of bootstrap statistics over one ClusterBootstrap.
 *
 * @example
 * const ib = new IntervalBatch(boot);
 * const gap = ib.add(gapValues);
 * const row = { gap: gap.interval, p: NaN };
 * ib.afterRun(() => (row.p = gap.pValue()));
 * ib.run(); // row.gap and row.p are now set
 */
export class IntervalBatch {
  readonly level: number;
  private readonly batch: ReturnType<ClusterBootstrap['newBatch']>;
  private readonly handles: Array<{ interval: Interval; index: number }> = [];
  private readonly callbacks: Array<() => void> = [];
  private readonly keyed = new Map<string, number>();
  private reduced = 0;
  private results: ReplicateSums[] | null = null;

  constructor(readonly bootstrap: ClusterBootstrap) {
    this.level = bootstrap.level;
    this.batch = bootstrap.newBatch();
  }

  /**
   * Register a series (one value per request, NaN = missing); it is reduced now and need not be kept.
   *
   * @example
   * const h = ib.add(ndcg10); // h.mean now, h.interval after run()
   */
  add(values: Float64Array | Float32Array): SeriesHandle {
    if (this.results) throw new Error('IntervalBatch: add after run');
    this.reduced++;
    return this.handle(this.batch.add(values));
  }

  /**
   * add(build()), unless a series was already added under `key`: then a handle on that series' sums, and
   * the series is neither built nor reduced again. The caller's keys must name values exactly: two series
   * under one key must be equal value for value (e.g. the same columns of bitwise-equal tables).
   *
   * @example
   * const gap = ib.addKeyed(`gap:${frozenTable}:${servedTable}:${col}`, () => gapOf(frozen, served));
   */
  addKeyed(key: string, build: () => Float64Array | Float32Array): SeriesHandle {
    if (this.results) throw new Error('IntervalBatch: add after run');
    const seen = this.keyed.get(key);
    if (seen !== undefined) return this.handle(this.batch.alias(seen));
    const index = this.batch.add(build());
    this.reduced++;
    this.keyed.set(key, index);
    return this.handle(index);
  }

  private handle(index: number): SeriesHandle {
    const sums = (): ReplicateSums => {
      if (!this.results) throw new Error('IntervalBatch: sums before run');
      return this.results[index];
    };
    // The plain mean as intervalFromSums computes it: quantized sum over count.
    const { sum, n } = this.batch.plain(index);
    const interval: Interval = { mean: n > 0 ? sum / n : NaN, lo: NaN, hi: NaN };
    this.handles.push({ interval, index });
    let means: Float64Array | null = null;
    return {
      interval,
      mean: interval.mean,
      sums,
      means: () => (means ??= meansFromSums(sums())),
      pValue: () => pValueFromSums(sums()),
    };
  }

  /** Series registered, series built and reduced (those of addKeyed once per key), and distinct columns the kernel sums (for benchmarks). */
  counts(): { series: number; reduced: number; columns: number } {
    return { series: this.handles.length, reduced: this.reduced, columns: this.batch.columns() };
  }

  /**
   * Run `fn` after the intervals are filled in (callbacks run in the order given).
   *
   * @example
   * ib.afterRun(() => holmAdjust(rows));
   */
  afterRun(fn: () => void): void {
    this.callbacks.push(fn);
  }

  /**
   * One pass over the weights for every registered series; fills the intervals, then runs the callbacks.
   *
   * @example
   * ib.run();
   */
  run(): void {
    if (this.results) throw new Error('IntervalBatch: run twice');
    this.results = this.batch.run();
    for (const h of this.handles) Object.assign(h.interval, intervalFromSums([this.results[h.index]], this.level));
    for (const fn of this.callbacks) fn();
  }
}
