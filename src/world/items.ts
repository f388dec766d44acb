// The item catalogue (docs/method.md 2.2, Items): categories, latent vectors, prices, base popularity,
// and what view sampling needs precomputed once: items grouped by category with popularity alias tables.
import { AliasTable, permutation, type Rng } from '../util/rng.ts';
import { CENTROID_NORM, spreadDirections } from './centroids.ts';
import type { WorldSpec } from '../scenario/worldSpec.ts';

/** Category size weights ~ Gamma(shape): mildly uneven (coefficient of variation 1/sqrt(shape)). */
const CATEGORY_SIZE_SHAPE = 8;
/** Median price of the median category, and log-scale spreads across and within categories. */
const MEDIAN_PRICE = 30;
const CATEGORY_PRICE_SD = 0.7;
const ITEM_PRICE_SD = 0.4;
const MIN_PRICE = 0.5;

export interface Catalog {
  readonly size: number;
  readonly categories: number;
  readonly dim: number;
  /** item -> category */
  readonly category: Int32Array;
  readonly price: Float32Array;
  /** item -> -betaPrice * log(price): the part of utility that does not depend on the person */
  readonly priceUtility: Float64Array;
  /** item -> base popularity b_i, summing to 1 */
  readonly popularity: Float64Array;
  /** items x dim, row-major */
  readonly vectors: Float32Array;
  /** categories x dim, row-major, each of norm CENTROID_NORM */
  readonly centroids: Float64Array;
  /** item ids grouped by category: category c owns byCategory[categoryStart[c] .. categoryStart[c+1]) */
  readonly byCategory: Int32Array;
  readonly categoryStart: Int32Array;
  /**
   * Per-category Walker alias tables over the byCategory slices, flattened: with n items in category c
   * and u uniform in [0, n), k = floor(u), the draw is byCategory[lo + k] if u - k < aliasProb[lo + k],
   * else aliasItem[lo + k]; item i comes out with probability b_i^betaPop / sum over its category.
   */
  readonly aliasProb: Float64Array;
  readonly aliasItem: Int32Array;
  /** per category: log of its share of sum_i b_i^betaPop */
  readonly categoryLogShare: Float64Array;
  /** item -> b_i^betaPop / sum_j b_j^betaPop: its share of all candidate draws */
  readonly candidateShare: Float64Array;
}

/**
 * Draw the catalogue of `spec.items` items in `spec.categories` categories.
 *
 * v_i = centroid(category) + noise with per-coordinate sd itemNoise * CENTROID_NORM / sqrt(dim), so
 * itemNoise is the item spread relative to the centroid norm whatever the dimension. Base popularity is
 * b_i proportional to 1 / rank^zipf over a random permutation of the items, so popularity is unrelated
 * to category or price.
 *
 * @example
 * const catalog = drawCatalog(DEFAULT_WORLD, Rng.fromSeed(7).fork('items'));
 * catalog.category[0]; // category of item 0
 */
export function drawCatalog(spec: WorldSpec, rng: Rng): Catalog {
  const I = spec.items;
  const C = spec.categories;
  const d = spec.dim;

  const centroids = spreadDirections(C, d, rng);
  for (let i = 0; i < centroids.length; i++) centroids[i] *= CENTROID_NORM;

  const { byCategory, categoryStart, category } = assignCategories(I, C, rng);

  const vectors = new Float32Array(I * d);
  const noiseSd = (spec.itemNoise * CENTROID_NORM) / Math.sqrt(d);
  for (let i = 0; i < I; i++) {
    const c = category[i];
    for (let j = 0; j < d; j++) vectors[i * d + j] = centroids[c * d + j] + noiseSd * rng.normal();
  }

  const price = new Float32Array(I);
  const priceUtility = new Float64Array(I);
  const categoryLogMedian = new Float64Array(C);
  for (let c = 0; c < C; c++) categoryLogMedian[c] = Math.log(MEDIAN_PRICE) + CATEGORY_PRICE_SD * rng.normal();
  for (let i = 0; i < I; i++) {
    const raw = Math.exp(categoryLogMedian[category[i]] + ITEM_PRICE_SD * rng.normal());
    const p = Math.max(MIN_PRICE, Math.round(raw * 100) / 100);
    price[i] = p;
    priceUtility[i] = -spec.betaPrice * Math.log(p);
  }

  const popularity = zipfPopularity(I, spec.zipf, rng);

  // Candidates are drawn proportional to b_i^betaPop: that is how beta_pop enters utility (see views.ts).
  const aliasProb = new Float64Array(I);
  const aliasItem = new Int32Array(I);
  const categoryLogShare = new Float64Array(C);
  let total = 0;
  const mass = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const lo = categoryStart[c];
    const hi = categoryStart[c + 1];
    const w = new Float64Array(hi - lo);
    for (let k = lo; k < hi; k++) w[k - lo] = Math.pow(popularity[byCategory[k]], spec.betaPop);
    for (let k = 0; k < w.length; k++) mass[c] += w[k];
    total += mass[c];
    const { prob, alias } = new AliasTable(w);
    aliasProb.set(prob, lo);
    for (let k = 0; k < w.length; k++) aliasItem[lo + k] = byCategory[lo + alias[k]];
  }
  for (let c = 0; c < C; c++) categoryLogShare[c] = Math.log(mass[c] / total);
  const candidateShare = new Float64Array(I);
  for (let i = 0; i < I; i++) candidateShare[i] = Math.pow(popularity[i], spec.betaPop) / total;

  return {
    size: I,
    categories: C,
    dim: d,
    category,
    price,
    priceUtility,
    popularity,
    vectors,
    centroids,
    byCategory,
    categoryStart,
    aliasProb,
    aliasItem,
    categoryLogShare,
    candidateShare,
  };
}

/** Category sizes ~ Gamma weights (at least one item each), items assigned by a random permutation. */
function assignCategories(I: number, C: number, rng: Rng): { byCategory: Int32Array; categoryStart: Int32Array; category: Int32Array } {
  const weights = new Float64Array(C);
  let wsum = 0;
  for (let c = 0; c < C; c++) wsum += weights[c] = rng.gamma(CATEGORY_SIZE_SHAPE);
  // One item per category first, the rest by largest remainder so sizes sum exactly to I.
  const sizes = new Int32Array(C).fill(1);
  const spare = I - C;
  const frac = new Float64Array(C);
  let given = 0;
  for (let c = 0; c < C; c++) {
    const exact = (spare * weights[c]) / wsum;
    sizes[c] += Math.floor(exact);
    given += Math.floor(exact);
    frac[c] = exact - Math.floor(exact);
  }
  const byRemainder = Array.from({ length: C }, (_, c) => c).sort((a, b) => frac[b] - frac[a] || a - b);
  for (let r = 0; r < spare - given; r++) sizes[byRemainder[r]]++;

  const perm = permutation(I, rng);
  const categoryStart = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) categoryStart[c + 1] = categoryStart[c] + sizes[c];
  const byCategory = new Int32Array(I);
  const category = new Int32Array(I);
  for (let c = 0; c < C; c++) {
    const slice = perm.subarray(categoryStart[c], categoryStart[c + 1]).sort();
    byCategory.set(slice, categoryStart[c]);
    for (const i of slice) category[i] = c;
  }
  return { byCategory, categoryStart, category };
}

/** b_i = rank_i^-zipf / sum, with ranks a random permutation of 1..n. */
function zipfPopularity(n: number, zipf: number, rng: Rng): Float64Array {
  const rank = permutation(n, rng);
  const b = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += b[i] = Math.pow(rank[i] + 1, -zipf);
  for (let i = 0; i < n; i++) b[i] /= sum;
  return b;
}
