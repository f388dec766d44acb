// Visits per person as a log shows them: a mixed Poisson count (a person's rate times their activity multiplier)
// seen only for persons with at least one visit, plus a share of one-off persons who visit exactly once
// (world.activity.oneOff). The moments of that zero-truncated count, for the Gamma and the lognormal multiplier,
// and their inversion: which settings give a log's mean, coefficient of variation and one-visit share.
// The generator adds little beside the Poisson count (30 minutes between sessions, a finite period), so these
// moments are close to a twin's and serve as calibrate's one-shot estimate and as the map each round corrects through.
import { KNOBS } from './knobs.ts';

/** Visits per person over persons with at least one: mean, coefficient of variation, share with exactly one. */
export interface VisitMoments {
  mean: number;
  cv: number;
  one: number;
}

/** Lognormal activity: mean visits per regular person `m`, log-sd `sigma`, share of one-off persons `oneOff`. */
export interface LognormalVisits {
  m: number;
  sigma: number;
  oneOff: number;
}

/** The bounds calibrate may use: the knobs' (the scenario allows sigma up to 5). */
const SIGMA_MIN = KNOBS.sigma.min;
const SIGMA_MAX = KNOBS.sigma.max;
const ONE_OFF_MAX = KNOBS.oneOff.max;

/** Trapezoid nodes over the standard normal: z in [-9, 9], fine enough that the integrands (bounded, smooth) are exact to ~1e-10. */
const Z_STEP = 0.025;
const Z = Float64Array.from({ length: Math.round(18 / Z_STEP) + 1 }, (_, i) => -9 + i * Z_STEP);
const W = (() => {
  const w = Float64Array.from(Z, (z) => Math.exp((-z * z) / 2));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
})();

/**
 * Moments of the visits of persons with at least one, and the share of persons who show up, when activity is
 * lognormal: a regular person's count is Poisson(m exp(sigma Z - sigma^2 / 2)), a one-off person's is 1.
 * E[X] = m and E[X^2] = m + m^2 exp(sigma^2) in closed form; P(0) and P(1) by quadrature over Z.
 *
 * @example
 * lognormalMoments({ m: 2.23, sigma: 1.35, oneOff: 0.21 }) // about { mean: 2.95, cv: 1.87, one: 0.57, showUp: 0.49 }
 */
export function lognormalMoments(p: LognormalVisits): VisitMoments & { showUp: number } {
  let p0 = 0;
  let p1 = 0;
  const shift = (p.sigma * p.sigma) / 2;
  for (let i = 0; i < Z.length; i++) {
    const lambda = p.m * Math.exp(p.sigma * Z[i] - shift);
    const e = Math.exp(-lambda);
    p0 += W[i] * e;
    p1 += W[i] * lambda * e;
  }
  return truncated(p.m, p.m + p.m * p.m * Math.exp(p.sigma * p.sigma), p0, p1, p.oneOff);
}

/**
 * The same moments when activity is Gamma with shape k (a negative binomial count), without one-off persons.
 *
 * @example
 * gammaMoments(1, 1) // { mean: 2, cv: 0.707, one: 0.5, showUp: 0.5 }
 */
export function gammaMoments(m: number, k: number): VisitMoments & { showUp: number } {
  const p0 = (1 + m / k) ** -k;
  return truncated(m, m + m * m * (1 + 1 / k), p0, m * (1 + m / k) ** (-k - 1), 0);
}

function truncated(mean: number, second: number, p0: number, p1: number, g: number): VisitMoments & { showUp: number } {
  const showUp = g + (1 - g) * (1 - p0);
  const m1 = (g + (1 - g) * mean) / showUp;
  const m2 = (g + (1 - g) * second) / showUp;
  return { mean: m1, cv: Math.sqrt(Math.max(0, m2 - m1 * m1)) / m1, one: (g + (1 - g) * p1) / showUp, showUp };
}

/**
 * Lognormal settings whose moments are `target`, and whether each statistic was reached. The one-off share is
 * first solved unbounded (`wantedOneOff`, negative when the log has fewer single visits than the lognormal alone
 * gives); outside [0, ONE_OFF_MAX] it is clamped and mean and CV are solved without the one-visit share.
 *
 * @example
 * fitLognormal({ mean: 2.95, cv: 1.87, one: 0.57 }) // { params: { m: 2.23, sigma: 1.35, oneOff: 0.21 }, reached: { cv: true, one: true }, ... }
 */
export function fitLognormal(target: VisitMoments): {
  params: LognormalVisits;
  reached: { cv: boolean; one: boolean };
  wantedOneOff: number;
  wantedSigma: number;
} {
  const toParams = (x: readonly number[], g: number) => ({ m: Math.exp(x[0]), sigma: Math.exp(x[1]), oneOff: g });
  const residual = (p: LognormalVisits, withOne: boolean) => {
    const s = lognormalMoments(p);
    const r = [Math.log(s.mean / target.mean), Math.log(s.cv / target.cv)];
    if (withOne) r.push(logit(s.one) - logit(target.one));
    return r;
  };
  // Three unknowns (log m, log sigma, g) for three statistics; sigma unbounded here too, to say what the log wants.
  const full = newton([Math.log(target.mean), 0, 0], (x) => residual(toParams(x, x[2]), true), [-0.9, ONE_OFF_MAX + 0.04]);
  const wantedOneOff = full[2];
  const g = Math.min(ONE_OFF_MAX, Math.max(0, wantedOneOff));
  let x = full;
  if (g !== wantedOneOff || Math.exp(full[1]) > SIGMA_MAX || Math.exp(full[1]) < SIGMA_MIN)
    x = newton(full.slice(0, 2), (y) => residual(toParams(y, g), false), null);
  const wantedSigma = Math.exp(x[1]);
  const sigma = Math.min(SIGMA_MAX, Math.max(SIGMA_MIN, wantedSigma));
  if (sigma !== wantedSigma) x = [newton([x[0]], (y) => [residual({ m: Math.exp(y[0]), sigma, oneOff: g }, false)[0]], null)[0], Math.log(sigma)];
  const params = { m: Math.exp(x[0]), sigma, oneOff: g };
  const s = lognormalMoments(params);
  const close = (a: number, b: number) => Math.abs(a / b - 1) < 1e-3;
  return { params, reached: { cv: close(s.cv, target.cv), one: close(s.one, target.one) }, wantedOneOff, wantedSigma };
}

/**
 * Gamma settings (mean m of everyone's visits, shape k) whose zero-truncated mean and CV are `target`'s, and the
 * one-visit share they imply; reached is false when no shape in [kMin, kMax] gives the CV.
 *
 * @example
 * fitGamma({ mean: 2, cv: 0.707 }, 0.1, 100) // { m: 1, k: 1, one: 0.5, reached: true }
 */
export function fitGamma(target: Pick<VisitMoments, 'mean' | 'cv'>, kMin: number, kMax: number): { m: number; k: number; one: number; reached: boolean } {
  const clampK = (lk: number) => Math.min(Math.log(kMax), Math.max(Math.log(kMin), lk));
  const x = newton(
    [Math.log(target.mean), 0],
    (y) => {
      const s = gammaMoments(Math.exp(y[0]), Math.exp(clampK(y[1])));
      return [Math.log(s.mean / target.mean), Math.log(s.cv / target.cv)];
    },
    null,
  );
  const m = Math.exp(x[0]);
  const k = Math.exp(clampK(x[1]));
  const s = gammaMoments(m, k);
  return { m, k, one: s.one, reached: Math.abs(s.cv / target.cv - 1) < 1e-3 && Math.abs(s.mean / target.mean - 1) < 1e-3 };
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
}

/**
 * Damped Newton with a central-difference Jacobian: steps halve until the residual's norm falls (a residual that
 * is NaN, outside the model, counts as larger). `last` bounds the last unknown (the one-off share, on its own scale).
 */
function newton(x0: readonly number[], f: (x: number[]) => number[], last: [number, number] | null): number[] {
  const n = x0.length;
  const norm = (r: number[]) => (r.every((v) => Number.isFinite(v)) ? Math.hypot(...r) : Infinity);
  const bound = (x: number[]) => {
    if (last) x[n - 1] = Math.min(last[1], Math.max(last[0], x[n - 1]));
    for (let i = 0; i < n; i++) if (!last || i < n - 1) x[i] = Math.min(12, Math.max(-12, x[i]));
    return x;
  };
  let x = bound([...x0]);
  let r = f(x);
  const h = 1e-5;
  for (let it = 0; it < 200 && norm(r) > 1e-12; it++) {
    const J = Array.from({ length: r.length }, () => new Array<number>(n).fill(0));
    for (let j = 0; j < n; j++) {
      const up = [...x];
      const down = [...x];
      up[j] += h;
      down[j] -= h;
      const fu = f(up);
      const fd = f(down);
      for (let i = 0; i < r.length; i++) J[i][j] = (fu[i] - fd[i]) / (2 * h);
    }
    const step = solve(
      J,
      r.map((v) => -v),
    );
    if (!step.every((v) => Number.isFinite(v))) break;
    let t = Math.min(1, 1 / Math.max(...step.map(Math.abs)));
    let moved = false;
    for (let k = 0; k < 40; k++, t /= 2) {
      const y = bound(x.map((v, i) => v + t * step[i]));
      const ry = f(y);
      if (norm(ry) < norm(r)) {
        x = y;
        r = ry;
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return x;
}

/** Gaussian elimination with partial pivoting (n <= 3 here). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(M[i][c]) > Math.abs(M[p][c])) p = i;
    [M[c], M[p]] = [M[p], M[c]];
    for (let i = c + 1; i < n; i++) {
      const f = M[i][c] / M[c][c];
      for (let j = c; j <= n; j++) M[i][j] -= f * M[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i][n];
    for (let j = i + 1; j < n; j++) s -= M[i][j] * x[j];
    x[i] = s / M[i][i];
  }
  return x;
}
