// Promotions (docs/method.md 2.5): time windows in which a set of items gets a utility boost.
// Drawn once per world; `ActivePromotions` turns them into per-item and per-category boosts at a time t.
import type { Rng } from '../util/rng.ts';
import type { Catalog } from './items.ts';
import type { WorldSpec } from '../scenario/worldSpec.ts';

export interface Promotions {
  readonly count: number;
  readonly startMs: Float64Array;
  readonly endMs: Float64Array;
  /** count x perPromotion item ids */
  readonly items: Int32Array;
  readonly perPromotion: number;
  readonly boost: number;
}

/**
 * Draw `spec.promotions.count` windows of `durationMs`, starting uniformly within the period, each
 * boosting `itemsPerPromotion` distinct random items.
 *
 * @example
 * const promos = drawPromotions({ ...DEFAULT_WORLD, promotions: { ...DEFAULT_WORLD.promotions, count: 2 } }, catalog, rng);
 * promos.startMs[0]; // start of the first window
 */
export function drawPromotions(spec: WorldSpec, catalog: Catalog, rng: Rng): Promotions {
  const { count, durationMs, itemsPerPromotion, boost } = spec.promotions;
  const periodMs = spec.days * 86_400_000;
  const per = Math.min(itemsPerPromotion, catalog.size);
  const startMs = new Float64Array(count);
  const endMs = new Float64Array(count);
  const items = new Int32Array(count * per);
  const pool = new Int32Array(catalog.size);
  for (let p = 0; p < count; p++) {
    startMs[p] = spec.startMs + rng.float() * Math.max(0, periodMs - durationMs);
    endMs[p] = startMs[p] + durationMs;
    for (let i = 0; i < pool.length; i++) pool[i] = i;
    // Partial Fisher-Yates: the first `per` slots become a uniform sample without replacement.
    for (let k = 0; k < per; k++) {
      const j = k + rng.int(pool.length - k);
      const t = pool[k];
      pool[k] = pool[j];
      pool[j] = t;
      items[p * per + k] = pool[k];
    }
  }
  return { count, startMs, endMs, items, perPromotion: per, boost };
}

/**
 * The boosts in force at a time: `itemBoost` (beta_promo promo_i(t)) and `categoryBoost`, the exact
 * log-sum-exp effect of those item boosts on their category's pull under the popularity candidate
 * distribution, so a promotion draws views into its categories as well as within them.
 *
 * @example
 * const active = new ActivePromotions(promos, catalog);
 * active.at(tMs); // updates active.itemBoost / active.categoryBoost only when the active set changes
 */
export class ActivePromotions {
  readonly itemBoost: Float64Array;
  readonly categoryBoost: Float64Array;
  private readonly active: Uint8Array;
  private readonly promos: Promotions;
  private readonly catalog: Catalog;

  constructor(promos: Promotions, catalog: Catalog) {
    this.promos = promos;
    this.catalog = catalog;
    this.itemBoost = new Float64Array(catalog.size);
    this.categoryBoost = new Float64Array(catalog.categories);
    this.active = new Uint8Array(promos.count);
  }

  /** Bring the boosts to time `tMs`; cheap when the set of running promotions is unchanged. */
  at(tMs: number): void {
    const { count, startMs, endMs } = this.promos;
    let changed = false;
    for (let p = 0; p < count; p++) {
      const on = tMs >= startMs[p] && tMs < endMs[p] ? 1 : 0;
      if (on !== this.active[p]) {
        this.active[p] = on;
        changed = true;
      }
    }
    if (changed) this.rebuild();
  }

  private rebuild(): void {
    const { items, perPromotion, boost, count } = this.promos;
    const { category, candidateShare, categoryLogShare } = this.catalog;
    this.itemBoost.fill(0);
    const touched: number[] = [];
    for (let p = 0; p < count; p++) {
      if (!this.active[p]) continue;
      for (let k = 0; k < perPromotion; k++) {
        const i = items[p * perPromotion + k];
        if (this.itemBoost[i] === 0) touched.push(i);
        this.itemBoost[i] += boost;
      }
    }
    // categoryBoost_c = log(sum_{i in c} w_i e^{boost_i} / sum_{i in c} w_i), summed over boosted items only.
    const extra = new Float64Array(this.catalog.categories);
    for (const i of touched) extra[category[i]] += candidateShare[i] * Math.expm1(this.itemBoost[i]);
    for (let c = 0; c < extra.length; c++) this.categoryBoost[c] = Math.log1p(extra[c] / Math.exp(categoryLogShare[c]));
  }
}
