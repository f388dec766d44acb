// The conversion funnel (docs/method.md 2.8): cart and purchase probabilities increasing in utility.
import type { FunnelSpec } from '../scenario/worldSpec.ts';

/** Event type codes, matching the log dictionary ['view', 'cart', 'purchase']. */
export const VIEW = 0;
export const CART = 1;
export const PURCHASE = 2;

/**
 * P(cart | view) = logistic(logit(cart) + slope (U_c - shiftCart)) and
 * P(purchase | cart) = logistic(logit(purchase) + slope (U_c - shiftPurchase)), with U_c the viewed
 * item's centred utility (see views.ts).
 *
 * The shifts are calibrated on a sample of U_c (see `calibrated`) so that `cart` is the average cart rate
 * of a view and `purchase` the average purchase rate of a cart. Without them the spread of U_c (sd about
 * 1.6 in the default world) and the selection of high-utility views into carts would turn 8% and 35%
 * into about 14% and 60%.
 *
 * @example
 * const funnel = Funnel.calibrated(DEFAULT_WORLD.funnel, sampleOfCenteredUtilities);
 * funnel.cartProbability(0); // near 0.08, higher for better-matched items
 */
export class Funnel {
  private readonly cartIntercept: number;
  private readonly purchaseIntercept: number;
  private readonly slope: number;

  constructor(spec: FunnelSpec, shiftCart = 0, shiftPurchase = 0) {
    this.slope = spec.slope;
    this.cartIntercept = logit(spec.cart) - spec.slope * shiftCart;
    this.purchaseIntercept = logit(spec.purchase) - spec.slope * shiftPurchase;
  }

  /** A funnel whose average rates over `utilities` (a sample of U_c) equal spec.cart and spec.purchase. */
  static calibrated(spec: FunnelSpec, utilities: Float64Array): Funnel {
    const s = spec.slope;
    if (s === 0 || utilities.length === 0) return new Funnel(spec);
    const cartBase = logit(spec.cart);
    const shiftCart = solveShift(spec.cart, (shift, u) => logistic(cartBase + s * (u - shift)), utilities, null);
    const cartWeight = utilities.map((u) => logistic(cartBase + s * (u - shiftCart)));
    const purchaseBase = logit(spec.purchase);
    const shiftPurchase = solveShift(spec.purchase, (shift, u) => logistic(purchaseBase + s * (u - shift)), utilities, cartWeight);
    return new Funnel(spec, shiftCart, shiftPurchase);
  }

  cartProbability(centeredUtility: number): number {
    return logistic(this.cartIntercept + this.slope * centeredUtility);
  }

  purchaseProbability(centeredUtility: number): number {
    return logistic(this.purchaseIntercept + this.slope * centeredUtility);
  }
}

/** Bisection for the shift whose (weighted) mean probability over `u` equals `target`; mean is decreasing in shift. */
function solveShift(target: number, p: (shift: number, u: number) => number, u: Float64Array, weight: Float64Array | null): number {
  if (!(target > 0 && target < 1)) return 0;
  const mean = (shift: number) => {
    let num = 0;
    let den = 0;
    for (let k = 0; k < u.length; k++) {
      const w = weight === null ? 1 : weight[k];
      num += w * p(shift, u[k]);
      den += w;
    }
    return den > 0 ? num / den : target;
  };
  let lo = -50;
  let hi = 50;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (mean(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * log(p / (1 - p)); +-Infinity at 1 and 0, which logistic maps back to exactly 1 and 0.
 *
 * @example
 * logistic(logit(0.08)); // 0.08
 */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

/** 1 / (1 + e^-z), the inverse of `logit`. */
export function logistic(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
