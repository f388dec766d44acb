// The Wilson score interval of a proportion. Unlike a percentile bootstrap it stays informative at 0 and 1
// (0 of 10 is [0, 0.28], not [0, 0]), which is where a small log's "nothing outside the window" lives.

/**
 * Wilson interval of a share `p` observed over `n` independent units (pass the effective number of
 * clusters when observations are clustered, e.g. conversions by buyer). NaN bounds when n < 1.
 *
 * @example
 * wilsonInterval(0, 10) // { mean: 0, lo: 0, hi: 0.2775 }
 */
export function wilsonInterval(p: number, n: number, level = 0.95): { mean: number; lo: number; hi: number } {
  if (!(n >= 1) || !(p >= 0 && p <= 1)) return { mean: p, lo: NaN, hi: NaN };
  const z = normalQuantile(0.5 + level / 2);
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { mean: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(q: number): number {
  if (!(q > 0 && q < 1)) return q === 0 ? -Infinity : q === 1 ? Infinity : NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lowTail = 0.02425;
  if (q < lowTail) {
    const t = Math.sqrt(-2 * Math.log(q));
    return (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
  }
  if (q > 1 - lowTail) return -normalQuantile(1 - q);
  const u = q - 0.5;
  const r = u * u;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
