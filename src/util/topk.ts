// Top-K over a full catalogue of scores (docs/method.md 4.5): one pass with a bounded heap, no full sort,
// ties broken by the smaller item index so rankings are deterministic and comparable across pipelines.

/**
 * Write the indices of the `k` highest scores into `out[0..n)`, best first, and return n (<= k).
 *
 * Order: higher score first; equal scores by smaller item index. Items whose score is NaN or -Infinity
 * are never returned (a model marks "cannot recommend" that way), nor items with `exclude[i] !== 0`
 * (excludeSeen, docs/method.md 4.4); `scores` is never modified. n < k when fewer items qualify.
 *
 * Cost: O(I + m log k) for I items, where m <= I is the number of heap replacements (small on typical
 * score distributions, since most items fall below the running k-th score and cost one comparison).
 * `out` doubles as the heap, so the call allocates nothing; it needs room for min(k, I) indices.
 *
 * @example
 * const out = new Int32Array(3);
 * const n = topK(new Float32Array([0.1, 0.9, 0.5, 0.9, -Infinity]), 3, out);
 * // n === 3, out === [1, 3, 2]  (1 before 3: equal score, smaller index)
 * const seen = new Uint8Array([0, 1, 0, 0, 0]);
 * topK(new Float32Array([0.1, 0.9, 0.5, 0.9, -Infinity]), 3, out, seen); // 3, out === [3, 2, 0]
 */
export function topK(scores: Float32Array | Float64Array, k: number, out: Int32Array, exclude?: Uint8Array): number {
  const nItems = scores.length;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`invalid k: ${k}; expected a non-negative integer`);
  const cap = Math.min(k, nItems);
  if (out.length < cap) {
    throw new RangeError(`invalid out: length ${out.length}; expected at least min(k, items) = ${cap}`);
  }
  if (exclude !== undefined && exclude.length < nItems) {
    throw new RangeError(`invalid exclude: length ${exclude.length}; expected at least ${nItems} (one flag per item)`);
  }
  if (cap === 0) return 0;

  // Min-heap on "quality" with the worst kept item at out[0]. An item scanned later always has a larger
  // index than everything in the heap, so it displaces the root only with a strictly higher score.
  let size = 0;
  let threshold = -Infinity;
  for (let i = 0; i < nItems; i++) {
    const s = scores[i];
    // `!(s > threshold)` also rejects NaN; before the heap fills threshold is -Infinity.
    if (!(s > threshold)) continue;
    if (exclude !== undefined && exclude[i] !== 0) continue;
    if (size < cap) {
      siftUp(scores, out, size, i);
      size++;
      if (size === cap) threshold = scores[out[0]];
    } else {
      siftDown(scores, out, size, 0, i);
      threshold = scores[out[0]];
    }
  }

  // In-place heapsort: moving the current worst to the end each time leaves out[0..size) best first.
  for (let end = size - 1; end > 0; end--) {
    const worst = out[0];
    siftDown(scores, out, end, 0, out[end]);
    out[end] = worst;
  }
  return size;
}

/**
 * topK of a score row that equals `baseline` everywhere except at the `nTouched` items listed in `touched`
 * (in any order, no repeats), whose scores are in `scores`: the same items in the same order as
 * topK(dense row), at a cost that grows with nTouched + k instead of the catalogue.
 *
 * `order` lists every item by baseline rank (score descending, index ascending, NaN last), computed once
 * per baseline (baselineOrder). `mark` is scratch of one byte per item, all 0, and left all 0. Untouched
 * entries of `scores` may be overwritten with their baseline (the heap reads one row).
 *
 * @example
 * const order = baselineOrder(prior);
 * const n = topKSparse(row, touched, nTouched, prior, order, 10, out, mark);
 */
export function topKSparse(
  scores: Float32Array,
  touched: Int32Array,
  nTouched: number,
  baseline: Float32Array,
  order: Int32Array,
  k: number,
  out: Int32Array,
  mark: Uint8Array,
  exclude?: Uint8Array,
): number {
  const cap = Math.min(k, baseline.length);
  if (out.length < cap) throw new RangeError(`invalid out: length ${out.length}; expected at least min(k, items) = ${cap}`);
  if (cap === 0) return 0;
  for (let t = 0; t < nTouched; t++) mark[touched[t]] = 1;
  const size = heapOfTouched(scores, touched, nTouched, cap, out, exclude);
  const n = finishSparse(scores, size, baseline, order, cap, out, mark, exclude);
  for (let t = 0; t < nTouched; t++) mark[touched[t]] = 0;
  return n;
}

/**
 * The first half of topKSparse: the best `cap` of the touched items (finite scores, not excluded) as a
 * min-heap in out[0..size) (the worst kept at out[0]); returns size. Any valid heap of the same items will
 * do for finishSparse: the top items under (score descending, index ascending) are one set.
 *
 * @example
 * const size = heapOfTouched(row, touched, nt, 10, out);
 */
export function heapOfTouched(scores: Float32Array, touched: Int32Array, nTouched: number, cap: number, out: Int32Array, exclude?: Uint8Array): number {
  let size = 0;
  // The heap's worst (out[0]) and its score once the heap is full: most candidates fall below it and cost
  // one comparison. Candidates arrive in any index order, so a tie with it is decided by the index.
  let threshold = -Infinity;
  for (let t = 0; t < nTouched; t++) {
    const i = touched[t];
    const s = scores[i];
    if (!(s > -Infinity)) continue; // NaN and -Infinity never rank, as in topK
    if (size === cap && (s < threshold || (s === threshold && i > out[0]))) continue;
    if (exclude !== undefined && exclude[i] !== 0) continue;
    size = offer(scores, out, size, cap, i);
    if (size === cap) threshold = scores[out[0]];
  }
  return size;
}

/**
 * The second half of topKSparse: given the touched items' heap (heapOfTouched) and `mark` set at the touched
 * items, add the untouched items in baseline rank until one cannot enter, then sort: out[0..n) best first.
 * Untouched entries of `scores` it reads are overwritten with their baseline.
 *
 * @example
 * const n = finishSparse(row, heapOfTouched(row, touched, nt, 10, out), prior, order, 10, out, mark);
 */
export function finishSparse(
  scores: Float32Array,
  heapSize: number,
  baseline: Float32Array,
  order: Int32Array,
  cap: number,
  out: Int32Array,
  mark: Uint8Array,
  exclude?: Uint8Array,
): number {
  if (cap === 0) return 0;
  let size = heapSize;
  let threshold = size === cap ? scores[out[0]] : -Infinity;
  // Untouched items in baseline rank: once one cannot enter a full heap, none after it can.
  for (let o = 0; o < order.length; o++) {
    const i = order[o];
    if (mark[i] !== 0) continue;
    const b = baseline[i];
    if (!(b > -Infinity)) break; // the rest are -Infinity or NaN
    scores[i] = b;
    if (size === cap && (b < threshold || (b === threshold && i > out[0]))) break;
    if (exclude !== undefined && exclude[i] !== 0) continue;
    size = offer(scores, out, size, cap, i);
    if (size === cap) threshold = scores[out[0]];
  }
  for (let end = size - 1; end > 0; end--) {
    const worst = out[0];
    siftDown(scores, out, end, 0, out[end]);
    out[end] = worst;
  }
  return size;
}

/**
 * Every item index ordered by `baseline` as topK ranks: score descending, index ascending; NaN and
 * -Infinity last.
 *
 * @example
 * baselineOrder(Float32Array.of(0.1, 0.3, 0.3, NaN)); // [1, 2, 0, 3]
 */
export function baselineOrder(baseline: Float32Array): Int32Array {
  const order = Array.from({ length: baseline.length }, (_, i) => i);
  const key = (i: number) => (baseline[i] > -Infinity ? baseline[i] : -Infinity);
  order.sort((a, b) => key(b) - key(a) || a - b);
  return Int32Array.from(order);
}

/** Add item i to the heap out[0..size) of at most `cap` items (replacing its worst when full); returns the new size. */
function offer(scores: Float32Array, out: Int32Array, size: number, cap: number, i: number): number {
  if (size < cap) {
    siftUp(scores, out, size, i);
    return size + 1;
  }
  siftDown(scores, out, size, 0, i);
  return size;
}

/** True when item a ranks below item b (lower score, or equal score and larger index). */
function worse(scores: Float32Array | Float64Array, a: number, b: number): boolean {
  const sa = scores[a];
  const sb = scores[b];
  return sa < sb || (sa === sb && a > b);
}

/** Insert `item` at heap slot `pos` (the new last slot) and restore the heap upwards. */
function siftUp(scores: Float32Array | Float64Array, heap: Int32Array, pos: number, item: number): void {
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (!worse(scores, item, heap[parent])) break;
    heap[pos] = heap[parent];
    pos = parent;
  }
  heap[pos] = item;
}

/** Place `item` at heap slot `pos` of a heap of `size` and restore the heap downwards. */
function siftDown(scores: Float32Array | Float64Array, heap: Int32Array, size: number, pos: number, item: number): void {
  for (;;) {
    let child = 2 * pos + 1;
    if (child >= size) break;
    if (child + 1 < size && worse(scores, heap[child + 1], heap[child])) child++;
    if (!worse(scores, heap[child], item)) break;
    heap[pos] = heap[child];
    pos = child;
  }
  heap[pos] = item;
}
