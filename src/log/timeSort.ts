// The stable time order of a log (ties keep input order), in one place, and three ways to apply it:
//   stableTimeOrder   the permutation itself (LSD radix on integer times, a comparator sort otherwise);
//   TimeSorter        sorted copies column by column, shaped for memory caches: rows are dealt into narrow
//                     time buckets and each bucket, small enough to stay in cache, is ordered locally (a
//                     global gather misses on every row), for generating a large world;
//   sortByTimeInPlace the columns permuted in place along the order's cycles, for ingesting a large file
//                     without a second copy of the log.
// All three give the same order (test/log/timeSort.test.ts compares them with a comparator reference).
import { COLUMN_NAMES, type LogColumns } from './eventLog.ts';

type Column = Float64Array | Int32Array | Uint8Array | Float32Array;

/** Average events per bucket: a bucket's slice of a column fits comfortably in L1/L2. */
const BUCKET_EVENTS = 2048;
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const MASK = RADIX - 1;
/** Below this a bucket is ordered by insertion sort, cheaper than clearing radix histograms. */
const INSERTION_MAX = 48;

/**
 * The stable time order of `ts[0..n)`, applied column by column with `apply`. Ties keep input order,
 * exactly as `stableTimeOrder` would. Timestamps that are not safe integers fall back to
 * `stableTimeOrder` and a plain gather.
 *
 * @example
 * const sorter = new TimeSorter(ts, n);
 * const sortedTs = sorter.apply(ts);
 * const sortedItem = sorter.apply(item); // same permutation
 */
export class TimeSorter {
  private readonly n: number;
  /** input row -> its position after bucketing (stable within the bucket) */
  private readonly bucketPos: Uint32Array | null = null;
  /** position p in a bucket starting at lo -> bucketed position lo + localOrder[p] holding the p-th smallest */
  private readonly localOrder: Uint32Array | null = null;
  private readonly bucketStart: Uint32Array | null = null;
  /** fallback: plain permutation (or null when already sorted) */
  private readonly order: Uint32Array | null = null;
  private readonly sorted: boolean = false;
  private scratch: Float64Array = new Float64Array(0);

  constructor(ts: Float64Array, n: number) {
    this.n = n;
    const { sorted, integral, min, max } = timeStats(ts, n);
    if (sorted) {
      this.sorted = true;
      return;
    }
    if (!integral || !(max - min < 2 ** 52)) {
      this.order = stableTimeOrder(ts, n);
      return;
    }
    const buckets = Math.min(1 << 20, Math.max(1, Math.ceil(n / BUCKET_EVENTS)));
    // Buckets are equal-width time intervals, so bucket order is time order.
    const perMs = buckets / (max - min + 1);
    const start = new Uint32Array(buckets + 1);
    const pos = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const b = Math.min(buckets - 1, Math.floor((ts[i] - min) * perMs));
      pos[i] = b;
      start[b + 1]++;
    }
    for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
    const next = start.slice(0, buckets);
    for (let i = 0; i < n; i++) pos[i] = next[pos[i]]++;
    this.bucketPos = pos;
    this.bucketStart = start;

    // Bucketed timestamps, then each bucket's local stable order.
    const bucketed = new Float64Array(n);
    for (let i = 0; i < n; i++) bucketed[pos[i]] = ts[i];
    const local = new Uint32Array(n);
    const counts = new Uint32Array(RADIX);
    let tmp = new Uint32Array(0);
    for (let b = 0; b < buckets; b++) {
      const lo = start[b];
      const size = start[b + 1] - lo;
      if (size > tmp.length) tmp = new Uint32Array(size);
      orderBucket(bucketed, lo, size, local, tmp, counts);
    }
    this.localOrder = local;
  }

  /** A time-sorted copy of `src[0..n)` (exact length n). */
  apply<T extends Column>(src: T): T {
    const n = this.n;
    const out = new (src.constructor as new (n: number) => T)(n);
    if (this.sorted) {
      out.set(src.subarray(0, n) as unknown as ArrayLike<number>);
      return out;
    }
    if (this.order !== null) {
      for (let i = 0; i < n; i++) out[i] = src[this.order[i]];
      return out;
    }
    const pos = this.bucketPos!;
    const local = this.localOrder!;
    const start = this.bucketStart!;
    // Deal into buckets, then reorder each bucket through a scratch copy that stays in cache.
    for (let i = 0; i < n; i++) out[pos[i]] = src[i];
    for (let b = 0; b + 1 < start.length; b++) {
      const lo = start[b];
      const size = start[b + 1] - lo;
      if (size > this.scratch.length) this.scratch = new Float64Array(size);
      const scratch = this.scratch;
      for (let k = 0; k < size; k++) scratch[k] = out[lo + k];
      for (let k = 0; k < size; k++) out[lo + k] = scratch[local[lo + k]];
    }
    return out;
  }
}

/**
 * Write into local[lo .. lo+size) the offsets (0-based within the bucket) of the bucket's rows in
 * stable ts order: insertion sort for tiny buckets, LSD radix on ts - bucket min otherwise.
 */
function orderBucket(ts: Float64Array, lo: number, size: number, local: Uint32Array, tmp: Uint32Array, counts: Uint32Array): void {
  if (size <= INSERTION_MAX) {
    for (let k = 0; k < size; k++) {
      let p = k;
      const t = ts[lo + k];
      while (p > 0 && ts[lo + local[lo + p - 1]] > t) {
        local[lo + p] = local[lo + p - 1];
        p--;
      }
      local[lo + p] = k;
    }
    return;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < size; k++) {
    const t = ts[lo + k];
    if (t < min) min = t;
    if (t > max) max = t;
  }
  let bits = 0;
  while (bits < 53 && 2 ** bits <= max - min) bits++;
  const passes = Math.max(1, Math.ceil(bits / RADIX_BITS));
  // src/dst alternate between local[lo..] and tmp; start with the identity in `local`.
  let src: Uint32Array = local.subarray(lo, lo + size);
  let dst: Uint32Array = tmp.subarray(0, size);
  for (let k = 0; k < size; k++) src[k] = k;
  for (let p = 0; p < passes; p++) {
    const scale = 2 ** (-p * RADIX_BITS);
    counts.fill(0);
    for (let k = 0; k < size; k++) counts[Math.floor((ts[lo + k] - min) * scale) & MASK]++;
    let acc = 0;
    for (let r = 0; r < RADIX; r++) {
      const c = counts[r];
      counts[r] = acc;
      acc += c;
    }
    for (let k = 0; k < size; k++) {
      const row = src[k];
      dst[counts[Math.floor((ts[lo + row] - min) * scale) & MASK]++] = row;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src.buffer !== local.buffer || src.byteOffset !== local.byteOffset + lo * 4) local.set(src, lo);
}

/** One pass over the first n times: already sorted?, all safe integers?, range. */
export function timeStats(ts: Float64Array, n: number): { sorted: boolean; integral: boolean; min: number; max: number } {
  let sorted = true;
  let integral = true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ts[i];
    if (i > 0 && t < ts[i - 1]) sorted = false;
    if (t < min) min = t;
    if (t > max) max = t;
    if (!Number.isSafeInteger(t)) integral = false;
  }
  return { sorted, integral, min, max };
}

/**
 * Permutation that sorts ts stably, or null when already sorted.
 *
 * Safe-integer timestamps spanning less than 2^53 (every millisecond log) take an LSD radix sort on
 * ts - min in 11-bit digits: linear time, no comparator calls, 3 passes for a few months of
 * milliseconds. Anything else (fractions, infinities, NaN) falls back to a comparator sort.
 */
export function stableTimeOrder(ts: Float64Array, n: number): Uint32Array | null {
  const { sorted, integral, min, max } = timeStats(ts, n);
  if (sorted) return null;
  if (integral && max - min < 2 ** 53) return radixOrder(ts, n, min, max - min);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => ts[a] - ts[b] || a - b);
  return order;
}

/** Stable LSD radix sort of indices by the integer ts - min (< 2^53) in RADIX_BITS digits. */
function radixOrder(ts: Float64Array, n: number, min: number, range: number): Uint32Array {
  let bits = 0;
  while (bits < 53 && 2 ** bits <= range) bits++;
  const passes = Math.max(1, Math.ceil(bits / RADIX_BITS));
  // All digit histograms in one sequential sweep: counts do not depend on the order of the rows.
  const counts = new Uint32Array(passes * RADIX);
  const scales = Float64Array.from({ length: passes }, (_, p) => 2 ** (-p * RADIX_BITS));
  for (let i = 0; i < n; i++) {
    const k = ts[i] - min;
    for (let p = 0; p < passes; p++) counts[p * RADIX + (Math.floor(k * scales[p]) & MASK)]++;
  }
  let src = new Uint32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  let dst = new Uint32Array(n);
  const offset = new Uint32Array(RADIX);
  for (let p = 0; p < passes; p++) {
    const base = p * RADIX;
    let acc = 0;
    let single = false;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b];
      if (c === n) single = true;
      offset[b] = acc;
      acc += c;
    }
    // Every row has the same digit here: the pass would not move anything.
    if (single) continue;
    // Multiplying by a power of two is exact, and `& MASK` reduces modulo 2^32 first, keeping the low bits.
    const scale = scales[p];
    for (let i = 0; i < n; i++) {
      const row = src[i];
      dst[offset[Math.floor((ts[row] - min) * scale) & MASK]++] = row;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/**
 * Sort the columns by time, ties in their current order; `extra` columns (identity signals) move along.
 * Extra memory: the order (4 bytes per row) and a mark per row, plus the radix sort's own buffers while the
 * order is computed.
 *
 * @example
 * sortByTimeInPlace(cols); // cols.tsMs ascending; every other column moved along
 */
export function sortByTimeInPlace(cols: LogColumns, extra: readonly Int32Array[] = []): void {
  const n = cols.tsMs.length;
  const order = stableTimeOrder(cols.tsMs, n);
  if (order === null) return;
  const arrays = [...COLUMN_NAMES.map((name) => cols[name] as unknown as Float64Array), ...(extra as unknown as Float64Array[])];
  const k = arrays.length;
  // Every value (float64, float32, int32, uint8) is exact in a double.
  const held = new Float64Array(k);
  const done = new Uint8Array(n);
  for (let start = 0; start < n; start++) {
    if (done[start]) continue;
    done[start] = 1;
    if (order[start] === start) continue;
    for (let c = 0; c < k; c++) held[c] = arrays[c][start];
    // Position j receives the row order[j]; follow the cycle until it comes back to start.
    let j = start;
    for (;;) {
      const from = order[j];
      if (from === start) {
        for (let c = 0; c < k; c++) arrays[c][j] = held[c];
        break;
      }
      for (let c = 0; c < k; c++) arrays[c][j] = arrays[c][from];
      done[from] = 1;
      j = from;
    }
  }
}
