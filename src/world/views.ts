// Which item a view lands on (DESIGN.md section 2, Views): never a softmax over the whole catalogue,
// but a category from a softmax over category-level utility, then an item among a small candidate set.
import type { Rng } from '../util/rng.ts';
import type { Catalog } from './items.ts';
import type { ActivePromotions } from './promotions.ts';
import { type Seasonality, seasonalTerm } from './seasonality.ts';

/** Candidates drawn per view within the chosen category. */
export const CANDIDATES = 24;

/**
 * Hierarchical view sampler for one session at a time.
 *
 * `prepare(theta, t)` computes the category distribution once per session:
 *   P(c) ∝ exp(theta . centroid_c + log share_c + season_c(t) + promo_c(t)),
 * where share_c is the category's share of sum_i b_i^betaPop (its popularity share).
 *
 * `draw(rng)` picks a category from it, draws CANDIDATES items of that category from its alias table
 * with probability ∝ b_i^betaPop, and picks one with probability ∝ exp(U_i) among them, where
 * U_i = theta . v_i + beta_promo promo_i(t) - betaPrice log p_i. Sampling candidates by popularity plays
 * the role of the beta_pop log b_i term of the utility: duplicates keep independent noise, so item i
 * appears about CANDIDATES q_i times and wins with probability tending to softmax(U_i + log q_i) =
 * softmax(U_i + beta_pop log b_i) as the candidate set grows (the sampled-softmax argument with the
 * correction left out on purpose). The categorical draw over exp(U_i) is distributed exactly like the
 * Gumbel-max argmax_i U_i + G_i, at one exp per candidate instead of two logs.
 *
 * @example
 * const sampler = new ViewSampler(catalog, seasonality, activePromotions);
 * sampler.prepare(theta, tMs);
 * const item = sampler.draw(rng); // sampler.centeredUtility now holds the item's U_centered
 */
export class ViewSampler {
  /** U_i of the last drawn item minus the session's baseline (see `prepare`). */
  centeredUtility = 0;

  private readonly catalog: Catalog;
  private readonly seasonality: Seasonality;
  private readonly promos: ActivePromotions;
  private readonly cumulative: Float64Array;
  private readonly candUtility = new Float64Array(CANDIDATES);
  private readonly candWeight = new Float64Array(CANDIDATES);
  private readonly candItem = new Int32Array(CANDIDATES);
  private readonly categoryUtility: Float64Array;
  private readonly meanPriceUtility: number;
  private theta: Float64Array = new Float64Array(0);
  private baseline = 0;

  constructor(catalog: Catalog, seasonality: Seasonality, promos: ActivePromotions) {
    this.catalog = catalog;
    this.seasonality = seasonality;
    this.promos = promos;
    this.cumulative = new Float64Array(catalog.categories);
    this.categoryUtility = new Float64Array(catalog.categories);
    let m = 0;
    for (let i = 0; i < catalog.size; i++) m += catalog.candidateShare[i] * catalog.priceUtility[i];
    this.meanPriceUtility = m;
  }

  /**
   * Set up the category distribution for taste `theta` (kept by reference) at `tMs`.
   * The baseline for U_centered is the expected category utility sum_c P(c) theta . centroid_c plus the
   * popularity-weighted mean price term, so a typical view has U_centered near 0 and the funnel's base
   * rates are the rates of a typical view.
   */
  prepare(theta: Float64Array, tMs: number): void {
    const { categories: C, dim: d, centroids, categoryLogShare } = this.catalog;
    this.theta = theta;
    this.promos.at(tMs);
    const cum = this.cumulative;
    const util = this.categoryUtility;
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      let a = 0;
      for (let j = 0; j < d; j++) a += theta[j] * centroids[c * d + j];
      util[c] = a;
      const logit = a + categoryLogShare[c] + seasonalTerm(this.seasonality, c, tMs) + this.promos.categoryBoost[c];
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
    this.baseline = expected / total + this.meanPriceUtility;
  }

  /** Draw the item of one view; also sets `centeredUtility`. */
  draw(rng: Rng): number {
    const { dim: d, vectors, byCategory, categoryStart, categoryAlias, priceUtility } = this.catalog;
    const cum = this.cumulative;
    const C = cum.length;
    const target = rng.float() * cum[C - 1];
    let c = 0;
    while (c < C - 1 && cum[c] <= target) c++;

    const alias = categoryAlias[c];
    const lo = categoryStart[c];
    const theta = this.theta;
    const boost = this.promos.itemBoost;
    let max = -Infinity;
    for (let m = 0; m < CANDIDATES; m++) {
      const i = byCategory[lo + alias.sample(rng)];
      let u = priceUtility[i] + boost[i];
      const row = i * d;
      for (let j = 0; j < d; j++) u += theta[j] * vectors[row + j];
      this.candItem[m] = i;
      this.candUtility[m] = u;
      if (u > max) max = u;
    }
    const weight = this.candWeight;
    let total = 0;
    for (let m = 0; m < CANDIDATES; m++) total += weight[m] = Math.exp(this.candUtility[m] - max);
    let pick = rng.float() * total;
    let m = 0;
    while (m < CANDIDATES - 1 && (pick -= weight[m]) >= 0) m++;
    this.centeredUtility = this.candUtility[m] - this.baseline;
    return this.candItem[m];
  }
}
