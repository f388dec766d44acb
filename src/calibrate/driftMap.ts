// From the drift window a log shows (check 01's tau) to the world's drift rate kappa. There is no closed form:
// tau is the time scale of a similarity curve of category or item mixes, which falls at least as fast as
// exp(-kappa D) and faster as the drift grows (docs/method.md 6.1), and it also depends on how often persons
// come back. So the map is measured: twins are generated at a few kappas around 1 / tau, tau is measured on each
// with the same fit, and the target is read off a line through them on log-log axes. Nothing is cached.

/** Multiples of the first guess 1 / tau at which twins are generated. */
export const KAPPA_GRID = [0.25, 0.5, 1, 2, 4] as const;

export interface DriftProbe {
  kappa: number;
  /** tau (days) measured on the twin at that kappa; the upper end of the search range when it shows no decay. */
  tauDays: number;
}

/**
 * The kappa whose twin's tau is `targetTauDays`: the least-squares line of log tau against log kappa through
 * the probes, inverted. A line through all probes rather than interpolation between two neighbours, because
 * tau measured on one twin is noisy (tens of percent on a few thousand persons) and the line averages it out.
 * Probes without a decay (tau at the top of the search range) are censored and left out; with fewer than two
 * probes left, the first guess stands. The answer is kept within a factor of 4 of the probed range.
 *
 * @example
 * kappaForTau([{ kappa: 0.1, tauDays: 8 }, { kappa: 0.2, tauDays: 4 }, { kappa: 0.4, tauDays: 2 }], 3, 0.2) // 0.2667
 */
export function kappaForTau(probes: readonly DriftProbe[], targetTauDays: number, guess: number): number {
  const usable = probes.filter((p) => p.tauDays > 0 && p.tauDays < NO_DECAY_DAYS);
  const line = logLine(usable);
  if (line === null || !(line.slope < 0)) return guess;
  const kappa = Math.exp((Math.log(targetTauDays) - line.intercept) / line.slope);
  const lo = Math.min(...usable.map((p) => p.kappa)) / 4;
  const hi = Math.max(...usable.map((p) => p.kappa)) * 4;
  return Math.min(hi, Math.max(lo, kappa));
}

/** tau of a probe that showed no decay: the top of check 01's search range (audit/drift.ts). */
const NO_DECAY_DAYS = 365;

/** Least squares of log tau on log kappa; null with fewer than two distinct kappas. */
function logLine(probes: readonly DriftProbe[]): { intercept: number; slope: number } | null {
  const xs = probes.map((q) => Math.log(q.kappa));
  const ys = probes.map((q) => Math.log(q.tauDays));
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let j = 0; j < n; j++) {
    sxy += (xs[j] - mx) * (ys[j] - my);
    sxx += (xs[j] - mx) ** 2;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}
