// Distribution summaries for the checks' reports: quantiles that tolerate Infinity (an age that was never
// served, a conversion that never came), which the interpolating quantile7 would turn into NaN.
import { quantile7 } from './bootstrap.ts';

/** Five-number summary plus count; NaN quantiles for no data. */
export interface Spread {
  n: number;
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
}

/**
 * Type-7 quantile of ascending data that may end in +Infinity: an interpolation towards Infinity is Infinity,
 * an exact hit on a finite value is that value.
 *
 * @example
 * quantileSorted(Float64Array.of(1, 2, Infinity), 0.5)  // 2
 * quantileSorted(Float64Array.of(1, 2, Infinity), 0.75) // Infinity
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const h = (m - 1) * p;
  const j = Math.floor(h);
  if (h === j || j >= m - 1) return sorted[Math.min(j, m - 1)];
  if (sorted[j + 1] === Infinity) return Infinity;
  return quantile7(sorted, p);
}

/**
 * Quantiles of `values` (sorted in place).
 *
 * @example
 * spread(Float64Array.of(5, 1, 3)) // { n: 3, p10: 1.4, p25: 2, p50: 3, p75: 4, p90: 4.6 }
 */
export function spread(values: Float64Array): Spread {
  values.sort();
  const q = (p: number) => quantileSorted(values, p);
  return { n: values.length, p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9) };
}

/** The quantile levels of a Spread. */
const SPREAD_LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9] as const;

/**
 * The same Spread as spread(values), without sorting: only the order statistics the five quantiles read are put
 * in place (a multi-quickselect, O(n) for a few ranks instead of O(n log n)), so values comes back reordered.
 * Ranks follow the typed-array sort order (NaN last, -0 before +0), so every quantile equals spread's bit for bit.
 *
 * @example
 * spreadBySelection(Float64Array.of(5, 1, 3)) // { n: 3, p10: 1.4, p25: 2, p50: 3, p75: 4, p90: 4.6 }
 */
export function spreadBySelection(values: Float64Array): Spread {
  const m = values.length;
  if (m === 0) return { n: 0, p10: NaN, p25: NaN, p50: NaN, p75: NaN, p90: NaN };
  // NaN sorts last: move them to the end; count the negatives and -0s to give a selected zero its sign.
  let finite = 0;
  let negatives = 0;
  let negativeZeros = 0;
  for (let i = 0; i < m; i++) {
    const v = values[i];
    if (v !== v) continue;
    if (v < 0) negatives++;
    else if (v === 0 && 1 / v < 0) negativeZeros++;
    values[i] = values[finite];
    values[finite++] = v;
  }
  for (let i = finite; i < m; i++) values[i] = NaN;
  // The ranks quantileSorted reads: j = floor((m - 1) p) (at most m - 1) and j + 1.
  const wanted = new Set<number>();
  for (const p of SPREAD_LEVELS) {
    const j = Math.floor((m - 1) * p);
    wanted.add(Math.min(j, m - 1));
    if (j + 1 < m) wanted.add(j + 1);
  }
  const ranks = [...wanted].filter((r) => r < finite).sort((a, b) => a - b);
  selectRanks(values, 0, finite, ranks);
  for (const r of ranks) if (values[r] === 0) values[r] = r < negatives + negativeZeros ? -0 : 0;
  const q = (p: number) => quantileSorted(values, p);
  return { n: m, p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9) };
}

/**
 * Reorder a[lo, hi) (no NaN) so that a[r] holds the value sorted order puts at r, for every r of ranks
 * (ascending): three-way partitions around a median of three, descending only into the parts holding a rank.
 */
function selectRanks(a: Float64Array, lo0: number, hi0: number, ranks: readonly number[]): void {
  // Work items: [lo, hi, first rank index, end rank index].
  const stack: number[] = [lo0, hi0, 0, ranks.length];
  while (stack.length) {
    const rb = stack.pop()!;
    const ra = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (ra >= rb || hi - lo < 2) continue;
    if (hi - lo <= 16) {
      // Insertion sort of a short range: every rank in it is then in place.
      for (let i = lo + 1; i < hi; i++) {
        const v = a[i];
        let j = i - 1;
        while (j >= lo && a[j] > v) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      continue;
    }
    const x = a[lo];
    const y = a[(lo + hi) >>> 1];
    const z = a[hi - 1];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // Dutch flag: [lo, lt) < pivot, [lt, i) = pivot, (gt, hi) > pivot.
    let lt = lo;
    let i = lo;
    let gt = hi - 1;
    while (i <= gt) {
      const v = a[i];
      if (v < pivot) {
        a[i++] = a[lt];
        a[lt++] = v;
      } else if (v > pivot) {
        a[i] = a[gt];
        a[gt--] = v;
      } else i++;
    }
    // Ranks below lt go left, ranks above gt go right; those in [lt, gt] hold the pivot already.
    let left = ra;
    while (left < rb && ranks[left] < lt) left++;
    let right = left;
    while (right < rb && ranks[right] <= gt) right++;
    stack.push(lo, lt, ra, left, gt + 1, hi, right, rb);
  }
}
