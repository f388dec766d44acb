// Which item a view lands on (docs/method.md 2.7, Views): never a softmax over the whole catalogue,
// but a category from a softmax over category-level utility, then an item among a small candidate set.
import type { Rng } from '../util/rng.ts';
import type { Catalog } from './items.ts';
import type { ActivePromotions } from './promotions.ts';
import { type Seasonality, seasonalTerm } from './seasonality.ts';

/**
 * Candidates drawn per view within the chosen category. Measured total-variation distance of the
 * within-category choice from softmax(U_i + log b_i): 0.03 at 16, 0.024 at 24, 0.017 at 64 (including
 * sampling noise of about 0.015), so 16 keeps the model and saves a third of the sampler's time.
 */
export const CANDIDATES = 16;

/**
 * Hierarchical view sampler, set up once per session.
 *
 * `prepare(theta, t)` computes the category distribution
 *   P(c) ∝ exp(theta . centroid_c + log share_c + season_c(t) + promo_c(t)),
 * where share_c is the category's share of sum_i b_i^betaPop (its popularity share) and promo_c the
 * log-sum-exp effect of running promotions on the category.
 *
 * `draw(rng)` picks a category from it, draws CANDIDATES items of that category from its alias table
 * with probability q_i ∝ b_i^betaPop, and picks one with probability ∝ exp(U_i) among them, where
 * U_i = theta . v_i + beta_promo promo_i(t) - betaPrice log p_i.
 * Sampling candidates by popularity plays the role of the beta_pop log b_i term of the utility:
 * duplicates are kept, so item i appears about CANDIDATES q_i times and wins with probability tending to
 * softmax(U_i + log q_i) = softmax(U_i + beta_pop log b_i) as the candidate set grows (the sampled-softmax
 * argument with the log q correction deliberately left out). Picking with probability ∝ exp(U_i) is
 * distributed exactly like the Gumbel-max argmax_i U_i + G_i, at one exp per candidate instead of two logs.
 *
 * @example
 * const sampler = new ViewSampler(catalog, seasonality, activePromotions);
 * sampler.prepare(theta, tMs);
 * const item = sampler.draw(rng); // sampler.centeredUtility now holds the item's U_centered
 */
export class ViewSampler {
  /**
   * The last view's utility relative to what a view in this session is expected to have:
   * (U_chosen - the softmax mean of U over its candidates) + (theta . centroid_c - the mean of
   * theta . centroid over the session's category distribution). Its mean over views is 0, so the
   * funnel's base rates are the rates of a typical view; better-matched items and categories score higher.
   */
  centeredUtility = 0;

  private readonly catalog: Catalog;
  private readonly seasonality: Seasonality;
  private readonly promos: ActivePromotions;
  /** Item vectors as float64: the dot product is the hot spot and skips float32 conversions. */
  private readonly vectors: Float64Array;
  private readonly cumulative: Float64Array;
  private readonly categoryUtility: Float64Array;
  private readonly candWeight = new Float64Array(CANDIDATES);
  private readonly candItem = new Int32Array(CANDIDATES);
  /**
   * Per-session cache of U_i and exp(U_i - reference): popular items come up as candidates again and
   * again within a session (about half of all candidates), and then cost neither a dot product nor an exp.
   */
  private readonly cachedUtility: Float64Array;
  private readonly cachedWeight: Float64Array;
  private readonly cachedStamp: Int32Array;
  private stamp = 0;
  /** Largest category utility of the session: keeps exp(U_i - reference) far from overflow. */
  private reference = 0;
  private theta: Float64Array = new Float64Array(0);
  private expectedCategoryUtility = 0;

  constructor(catalog: Catalog, seasonality: Seasonality, promos: ActivePromotions) {
    this.catalog = catalog;
    this.seasonality = seasonality;
    this.promos = promos;
    this.vectors = Float64Array.from(catalog.vectors);
    this.cumulative = new Float64Array(catalog.categories);
    this.categoryUtility = new Float64Array(catalog.categories);
    this.cachedUtility = new Float64Array(catalog.size);
    this.cachedWeight = new Float64Array(catalog.size);
    this.cachedStamp = new Int32Array(catalog.size);
  }

  /** Set up the category distribution for taste `theta` (kept by reference, must not change) at `tMs`. */
  prepare(theta: Float64Array, tMs: number): void {
    const { categories: C, dim: d, centroids, categoryLogShare } = this.catalog;
    this.theta = theta;
    this.promos.at(tMs);
    if (++this.stamp === 0x7fffffff) {
      this.cachedStamp.fill(0);
      this.stamp = 1;
    }
    const cum = this.cumulative;
    const util = this.categoryUtility;
    const seasonal = this.seasonality.amplitude !== 0;
    const promoBoost = this.promos.categoryBoost;
    let max = -Infinity;
    let reference = -Infinity;
    for (let c = 0; c < C; c++) {
      const a = dot(theta, centroids, c * d, d);
      util[c] = a;
      if (a > reference) reference = a;
      let logit = a + categoryLogShare[c] + promoBoost[c];
      if (seasonal) logit += seasonalTerm(this.seasonality, c, tMs);
      cum[c] = logit;
      if (logit > max) max = logit;
    }
    let total = 0;
    let expected = 0;
    for (let c = 0; c < C; c++) {
      const w = Math.exp(cum[c] - max);
      expected += w * util[c];
      total += w;
      cum[c] = total;
    }
    this.expectedCategoryUtility = expected / total;
    this.reference = reference;
  }

  /** Draw the item of one view; also sets `centeredUtility`. */
  draw(rng: Rng): number {
    const { dim: d, byCategory, categoryStart, aliasProb, aliasItem, priceUtility } = this.catalog;
    const cum = this.cumulative;
    const C = cum.length;
    const target = rng.float() * cum[C - 1];
    let c = 0;
    while (c < C - 1 && cum[c] <= target) c++;

    const lo = categoryStart[c];
    const size = categoryStart[c + 1] - lo;
    const theta = this.theta;
    const vectors = this.vectors;
    const boost = this.promos.itemBoost;
    const stamps = this.cachedStamp;
    const cachedU = this.cachedUtility;
    const cachedW = this.cachedWeight;
    const stamp = this.stamp;
    const reference = this.reference;
    const candItem = this.candItem;
    const weight = this.candWeight;
    let total = 0;
    let weighted = 0;
    for (let m = 0; m < CANDIDATES; m++) {
      const x = rng.float() * size;
      const k = Math.floor(x);
      const i = x - k < aliasProb[lo + k] ? byCategory[lo + k] : aliasItem[lo + k];
      if (stamps[i] !== stamp) {
        const u = priceUtility[i] + boost[i] + dot(theta, vectors, i * d, d);
        cachedU[i] = u;
        cachedW[i] = Math.exp(u - reference);
        stamps[i] = stamp;
      }
      const w = cachedW[i];
      candItem[m] = i;
      weight[m] = w;
      total += w;
      weighted += w * cachedU[i];
    }
    let pick = rng.float() * total;
    let m = 0;
    while (m < CANDIDATES - 1 && (pick -= weight[m]) >= 0) m++;
    const item = candItem[m];
    this.centeredUtility = cachedU[item] - weighted / total + this.categoryUtility[c] - this.expectedCategoryUtility;
    return item;
  }
}
/** theta . v[row .. row + d), four accumulators: the sampler's inner loop. */
function dot(theta: Float64Array, v: Float64Array, row: number, d: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    a0 += theta[j] * v[row + j];
    a1 += theta[j + 1] * v[row + j + 1];
    a2 += theta[j + 2] * v[row + j + 2];
    a3 += theta[j + 3] * v[row + j + 3];
  }
  for (; j < d; j++) a0 += theta[j] * v[row + j];
  return a0 + a1 + a2 + a3;
}
