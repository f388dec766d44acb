// Persons' fixed traits (docs/method.md 2.3, Persons and Activity): favourite categories, long-term
// taste mu_u and activity multiplier, drawn up front; the time-varying part of taste is in taste.ts.
import type { Rng } from '../util/rng.ts';
import type { Catalog } from './items.ts';
import { ACTIVITY_TAIL_DEFAULTS, type WorldSpec } from '../scenario/worldSpec.ts';

/** Favourite weights ~ Dirichlet(shape): 2 keeps every favourite noticeable (1 often leaves one near 0). */
const FAVORITE_WEIGHT_SHAPE = 2;

export interface Persons {
  readonly count: number;
  /** favourites per person (min(favoriteCategories, categories)) */
  readonly perPerson: number;
  /** count x perPerson category ids, distinct within a person */
  readonly favorites: Int32Array;
  /** count x perPerson mixture weights, summing to 1 per person */
  readonly weights: Float64Array;
  /** count x dim long-term taste: the weighted mixture of the favourites' centroids */
  readonly mu: Float64Array;
  /** per-person activity multiplier, mean 1: Gamma(heterogeneity, 1 / heterogeneity) or exp(sigma Z - sigma^2 / 2) */
  readonly activity: Float64Array;
  /** 1 for a person who visits exactly once (activity.oneOff), else 0 */
  readonly oneOff: Uint8Array;
}

/**
 * Draw every person's favourite categories, taste mixture and activity multiplier.
 *
 * @example
 * const persons = drawPersons(spec, catalog, Rng.fromSeed(7).fork('persons'));
 * persons.favorites.subarray(0, persons.perPerson); // person 0's favourite categories
 */
export function drawPersons(spec: WorldSpec, catalog: Catalog, rng: Rng): Persons {
  const P = spec.persons;
  const C = catalog.categories;
  const d = catalog.dim;
  const F = Math.max(1, Math.min(spec.favoriteCategories, C));
  const favorites = new Int32Array(P * F);
  const weights = new Float64Array(P * F);
  const mu = new Float64Array(P * d);
  const activity = new Float64Array(P);
  const oneOff = new Uint8Array(P);
  const { heterogeneity: h, tail, sigma, oneOff: oneOffShare } = { ...ACTIVITY_TAIL_DEFAULTS, ...spec.activity };
  for (let u = 0; u < P; u++) {
    // Distinct favourites by rejection: F is small next to C.
    for (let f = 0; f < F; f++) {
      let c: number;
      do c = rng.int(C);
      while (contains(favorites, u * F, f, c));
      favorites[u * F + f] = c;
    }
    let wsum = 0;
    for (let f = 0; f < F; f++) wsum += weights[u * F + f] = rng.gamma(FAVORITE_WEIGHT_SHAPE);
    for (let f = 0; f < F; f++) {
      const w = (weights[u * F + f] /= wsum);
      const c = favorites[u * F + f];
      for (let j = 0; j < d; j++) mu[u * d + j] += w * catalog.centroids[c * d + j];
    }
    // heterogeneity <= 0 or infinite means everyone is equally active. The lognormal's -sigma^2/2 keeps mean 1.
    if (tail === 'lognormal') activity[u] = Math.exp(sigma * rng.normal() - (sigma * sigma) / 2);
    else activity[u] = h > 0 && Number.isFinite(h) ? rng.gamma(h, 1 / h) : 1;
    // Drawn only when asked for, so worlds without one-off persons keep their draws (and logs) as they were.
    if (oneOffShare > 0) oneOff[u] = rng.float() < oneOffShare ? 1 : 0;
  }
  return { count: P, perPerson: F, favorites, weights, mu, activity, oneOff };
}

function contains(a: Int32Array, from: number, n: number, v: number): boolean {
  for (let k = 0; k < n; k++) if (a[from + k] === v) return true;
  return false;
}
