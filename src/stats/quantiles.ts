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

/**
 * The same Spread as spread(values), without sorting: only the order statistics the five quantiles read are
 * found (radix selection: a histogram of 16 bits of each value's sort key per pass, descending only into the
 * buckets that hold a wanted rank), O(n) instead of O(n log n). Ranks follow the typed-array sort order (NaN
 * last, -0 before +0), so every quantile equals spread's bit for bit. values is overwritten at those ranks.
 *
 * @example
 * spreadBySelection(Float64Array.of(5, 1, 3)) // { n: 3, p10: 1.4, p25: 2, p50: 3, p75: 4, p90: 4.6 }
 */
export function spreadBySelection(values: Float64Array): Spread {
  const m = values.length;
  if (!LITTLE_ENDIAN || m <= SMALL) return spread(values);
  // The ranks quantileSorted reads: j = floor((m - 1) p) (at most m - 1) and j + 1.
  const wanted = new Set<number>();
  for (const p of SPREAD_LEVELS) {
    const j = Math.floor((m - 1) * p);
    wanted.add(Math.min(j, m - 1));
    if (j + 1 < m) wanted.add(j + 1);
  }
  const ranks = [...wanted].sort((a, b) => a - b);
  const found = new Map<number, number>();
  selectRanks(values, ranks, 0, 0, found);
  // NaN sorts last: ranks past the numbers are NaN (selectRanks skips NaN and leaves those ranks unset).
  for (const r of ranks) values[r] = found.get(r) ?? NaN;
  const q = (p: number) => quantileSorted(values, p);
  return { n: m, p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9) };
}

/** The quantile levels of a Spread. */
const SPREAD_LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9] as const;
/** Up to this many values a typed-array sort is as quick as another histogram pass. */
const SMALL = 256;
/** Float64Array words read as two Uint32 words (low first) only on little-endian machines. */
const LITTLE_ENDIAN = new Uint32Array(Float64Array.of(-0).buffer)[1] === 0x80000000;

/**
 * Find, among the non-NaN values of vals, the value at each rank (ascending, relative to vals) and put it in
 * found under base + rank. Level d reads 16 bits of the 64-bit sort key (the float's bits, sign flipped for
 * positives and all bits flipped for negatives, so unsigned key order is the typed-array sort order):
 * level 0 the top 16, level 3 the lowest. Values sharing all 64 key bits are the same float.
 */
function selectRanks(vals: Float64Array, ranks: readonly number[], level: number, base: number, found: Map<number, number>): void {
  const n = vals.length;
  if (level === 4) {
    for (const r of ranks) found.set(base + r, vals[0]);
    return;
  }
  if (n <= SMALL) {
    // Sorted like spread (NaN at the end, past every rank asked of the numbers).
    const sorted = vals.slice().sort();
    for (const r of ranks) if (sorted[r] === sorted[r]) found.set(base + r, sorted[r]);
    return;
  }
  if (level > 0 && allSame(vals)) {
    // Ties (e.g. many zero delays): no need to read their remaining bits.
    for (const r of ranks) found.set(base + r, vals[0]);
    return;
  }
  const words = new Uint32Array(vals.buffer, vals.byteOffset, 2 * n);
  // Each value's digit at this level (kept for the gathering pass); 0x10000 marks NaN.
  const digits = new Uint32Array(n);
  const count = new Int32Array(65536);
  const word = level < 2 ? 1 : 0;
  const shift = level % 2 === 0 ? 16 : 0;
  // Sort key: positives get the sign bit set (top word only), negatives all bits flipped.
  const positiveMask = level < 2 ? 0x80000000 : 0;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (v !== v) {
      digits[i] = 0x10000;
      continue;
    }
    const w = words[2 * i + word];
    const d = ((v < 0 || (v === 0 && 1 / v < 0) ? ~w : w | positiveMask) >>> shift) & 0xffff;
    digits[i] = d;
    count[d]++;
  }
  // The buckets holding the ranks, with the ranks relative to each bucket's first value.
  const groups: Array<{ bucket: number; firstRank: number; ranks: number[]; vals: Float64Array; filled: number }> = [];
  let below = 0;
  let k = 0;
  for (let b = 0; b < 65536 && k < ranks.length; b++) {
    const c = count[b];
    if (c === 0) continue;
    if (ranks[k] < below + c) {
      const g = { bucket: b, firstRank: below, ranks: [] as number[], vals: new Float64Array(c), filled: 0 };
      while (k < ranks.length && ranks[k] < below + c) g.ranks.push(ranks[k++] - below);
      groups.push(g);
    }
    below += c;
  }
  const groupOf = new Int32Array(65537).fill(-1);
  groups.forEach((g, j) => {
    groupOf[g.bucket] = j;
  });
  for (let i = 0; i < n; i++) {
    const j = groupOf[digits[i]];
    if (j < 0) continue;
    const g = groups[j];
    g.vals[g.filled++] = vals[i];
  }
  for (const g of groups) selectRanks(g.vals, g.ranks, level + 1, base + g.firstRank, found);
}

/** True when every value of vals (no NaN) is the same float, -0 and +0 told apart. */
function allSame(vals: Float64Array): boolean {
  const first = vals[0];
  const negativeZero = first === 0 && 1 / first < 0;
  for (let i = 1; i < vals.length; i++) {
    const v = vals[i];
    if (v !== first || (v === 0 && 1 / v < 0 !== negativeZero)) return false;
  }
  return true;
}
