// Time-varying taste (docs/method.md 2.4): theta_u(t) = mu_u + x_u(t), with x an Ornstein-Uhlenbeck
// process advanced exactly between a person's consecutive sessions, plus optional regime shifts.
import type { Rng } from '../util/rng.ts';
import { CENTROID_NORM } from './centroids.ts';
import type { Catalog } from './items.ts';
import type { DriftSpec } from '../scenario/worldSpec.ts';

const DAY_MS = 86_400_000;

/**
 * Drift of one person's taste offset x (length dim), all in "norm units": the OU noise is
 * eps ~ N(0, I / dim), so sigma / sqrt(2 kappa) is the RMS *norm* of x at stationarity rather than a
 * per-coordinate sd. That keeps the drift's pull on a category (x . centroid, sd about
 * CENTROID_NORM * sigma / sqrt(2 kappa dim)) the same size relative to taste whatever the dimension:
 * with the default sigma = sqrt(2 kappa) the stationary |x| is about 1 against |mu| about 2.
 *
 * kappa = 0 or sigma = 0 means no diffusion: x starts at 0 and only regime shifts move it; with
 * kappa > 0 they revert at rate kappa, with kappa = 0 they persist.
 *
 * @example
 * const drift = new TasteDrift(spec.drift, catalog);
 * drift.start(x, rng);                       // stationary draw (0 without drift)
 * drift.advance(x, (t1 - t0) / 86_400_000, rng); // exact OU step over the gap, plus any shifts
 */
export class TasteDrift {
  private readonly kappa: number;
  private readonly sigma: number;
  private readonly shiftRate: number;
  private readonly shiftStrength: number;
  private readonly diffuses: boolean;
  private readonly dim: number;
  private readonly categories: number;
  private readonly centroids: Float64Array;

  constructor(drift: DriftSpec, catalog: Catalog) {
    this.kappa = drift.kappa;
    this.sigma = drift.sigma;
    this.shiftRate = drift.shiftRate;
    this.shiftStrength = drift.shiftStrength;
    this.diffuses = drift.kappa > 0 && drift.sigma > 0;
    this.dim = catalog.dim;
    this.categories = catalog.categories;
    this.centroids = catalog.centroids;
  }

  /** Stationary norm sd of x: sigma / sqrt(2 kappa), or 0 without diffusion. */
  get stationaryNorm(): number {
    return this.diffuses ? this.sigma / Math.sqrt(2 * this.kappa) : 0;
  }

  /** Initialise x from the stationary distribution N(0, sigma^2 / (2 kappa) I / dim), or 0. */
  start(x: Float64Array, rng: Rng): void {
    const sd = this.stationaryNorm / Math.sqrt(this.dim);
    for (let j = 0; j < this.dim; j++) x[j] = sd === 0 ? 0 : sd * rng.normal();
  }

  /**
   * Advance x by `days`: x <- e^{-kappa D} x + sigma sqrt((1 - e^{-2 kappa D}) / (2 kappa)) eps,
   * then add the regime shifts that happened in the gap, each decayed from its own time.
   */
  advance(x: Float64Array, days: number, rng: Rng): void {
    if (!(days > 0)) return;
    const d = this.dim;
    if (this.diffuses) {
      const decay = Math.exp(-this.kappa * days);
      const sd = (this.sigma * Math.sqrt(-Math.expm1(-2 * this.kappa * days) / (2 * this.kappa))) / Math.sqrt(d);
      for (let j = 0; j < d; j++) x[j] = decay * x[j] + sd * rng.normal();
    } else if (this.kappa > 0) {
      // No noise (sigma = 0), but earlier regime shifts still revert toward mu.
      const decay = Math.exp(-this.kappa * days);
      for (let j = 0; j < d; j++) x[j] *= decay;
    }
    if (this.shiftRate > 0) {
      // The process is linear, so a jump J at age a before the step's end contributes e^{-kappa a} J.
      const shifts = rng.poisson(this.shiftRate * days);
      for (let s = 0; s < shifts; s++) {
        const age = rng.float() * days;
        const c = rng.int(this.categories);
        const size = (this.shiftStrength * Math.exp(-this.kappa * age)) / CENTROID_NORM;
        for (let j = 0; j < d; j++) x[j] += size * this.centroids[c * d + j];
      }
    }
  }
}

/**
 * Days between two epoch-ms times: the OU step's D.
 *
 * @example
 * daysBetween(t, t + 43_200_000); // 0.5
 */
export function daysBetween(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / DAY_MS;
}
