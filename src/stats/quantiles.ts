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
