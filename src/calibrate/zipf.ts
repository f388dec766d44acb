// Item popularity as a single number: the slope of the rank-frequency curve on log-log axes (Zipf's exponent),
// over the popular items that make up half of all events. The world draws base popularity as Zipf with exponent
// `zipf` (docs/method.md 2.2), a straight line; real catalogues are rarely straight (Online Retail is flat for its
// first few hundred items and falls steeply in its tail), and a fit over all ranks is decided by the long tail of
// rarely seen items, while what a popularity baseline and a recommender meet is the head. What a log shows is
// popularity after taste, categories and the funnel, so the knob is fitted to this statistic, not set to it.
import type { EventLog } from '../log/eventLog.ts';

/** The fit covers the most popular items up to this share of all events. */
export const ZIPF_HEAD_SHARE = 0.5;

/**
 * Least-squares slope s of log(count) = a - s log(rank), ranks 1, 2, ... in decreasing count, over the fewest
 * top items that hold `headShare` of all counts (at least three items); NaN with fewer than three items seen.
 *
 * @example
 * zipfExponent(Float64Array.of(120, 60, 40, 30, 24)) // 1 (counts 120 / rank)
 * zipfExponent(Float64Array.of(3600, 900, 400, 225, 144)) // 2
 */
export function zipfExponent(counts: Float64Array, headShare = ZIPF_HEAD_SHARE): number {
  const sorted = Float64Array.from(counts).sort().reverse();
  let total = 0;
  let seen = 0;
  for (const c of sorted) {
    total += c;
    if (c > 0) seen++;
  }
  if (seen < 3) return NaN;
  let n = 0;
  let cumulative = 0;
  while (n < seen && (n < 3 || cumulative < headShare * total)) cumulative += sorted[n++];
  let sx = 0;
  let sy = 0;
  for (let r = 0; r < n; r++) {
    sx += Math.log(r + 1);
    sy += Math.log(sorted[r]);
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let r = 0; r < n; r++) {
    const dx = Math.log(r + 1) - mx;
    sxy += dx * (Math.log(sorted[r]) - my);
    sxx += dx * dx;
  }
  return -sxy / sxx;
}

/**
 * Events per item of the log.
 *
 * @example
 * zipfExponent(itemCounts(log))
 */
export function itemCounts(log: EventLog): Float64Array {
  const counts = new Float64Array(log.dict.item.length);
  for (let i = 0; i < log.length; i++) counts[log.item[i]]++;
  return counts;
}
