// The drift curve S(D) = c + (1 - c) exp(-D / tau): S(0) = 1 is "as similar as the person is to
// themself", c the share of similarity that never decays (long-term taste), tau the drift window.
import { minimizeOnGrid } from '../stats/minimize.ts';

export interface DriftCurve {
  tauMs: number;
  /** Long-run similarity in [0, 1]. */
  c: number;
  /** Weighted residual sum of squares. */
  sse: number;
  /** tau at an end of the search range (not identified there). */
  tauAtBound: boolean;
}

const GRID = 60;

/**
 * Weighted least-squares fit of S(D) = c + (1 - c) exp(-D / tau) to points (lagMs[k], s[k], weight[k]).
 *
 * For fixed tau the model is linear in c: with e_k = exp(-D_k / tau), S - e = c (1 - e), so
 *   c(tau) = sum w (1 - e)(S - e) / sum w (1 - e)^2, clamped to [0, 1].
 * tau is searched on a 60-point log grid over [tauMinMs, tauMaxMs], then refined by golden-section search
 * on log tau between the grid neighbours of the best point (util/minimize.ts, shared with eval/ageCurve.ts).
 * When the points lie at or above 1 on average (weighted), the data do not fall and tau is not identified:
 * that is "no decay", reported as tau = tauMaxMs with c = 1.
 *
 * @example
 * fitDriftCurve(Float64Array.of(1, 2, 4, 8), Float64Array.of(0.8, 0.65, 0.47, 0.41), Float64Array.of(1, 1, 1, 1), 0.1, 100)
 * // { tauMs: ~1.9, c: ~0.4, ... }
 */
export function fitDriftCurve(lagMs: Float64Array, s: Float64Array, weight: Float64Array, tauMinMs: number, tauMaxMs: number): DriftCurve {
  const evalAt = (logTau: number): { c: number; sse: number } => {
    const inv = Math.exp(-logTau);
    let num = 0;
    let den = 0;
    for (let k = 0; k < s.length; k++) {
      const e = Math.exp(-lagMs[k] * inv);
      num += weight[k] * (1 - e) * (s[k] - e);
      den += weight[k] * (1 - e) * (1 - e);
    }
    const c = den > 0 ? Math.min(1, Math.max(0, num / den)) : 1;
    let sse = 0;
    for (let k = 0; k < s.length; k++) {
      const e = Math.exp(-lagMs[k] * inv);
      const r = s[k] - c - (1 - c) * e;
      sse += weight[k] * r * r;
    }
    return { c, sse };
  };
  // Points at or above 1 on average do not fall at all: every tau fits as well as any other, so report no decay.
  let sw = 0;
  let sws = 0;
  for (let k = 0; k < s.length; k++) {
    sw += weight[k];
    sws += weight[k] * s[k];
  }
  if (!(sws < sw)) {
    let sse = 0;
    for (let k = 0; k < s.length; k++) sse += weight[k] * (s[k] - 1) * (s[k] - 1);
    return { tauMs: tauMaxMs, c: 1, sse, tauAtBound: true };
  }
  const { x: logTau, atBound } = minimizeOnGrid((x) => evalAt(x).sse, Math.log(tauMinMs), Math.log(tauMaxMs), GRID, 1e-9);
  const f = evalAt(logTau);
  return { tauMs: Math.exp(logTau), c: f.c, sse: f.sse, tauAtBound: atBound };
}
