// The conversion funnel (DESIGN.md section 2): cart and purchase probabilities increasing in utility.
import type { FunnelSpec } from './spec.ts';

/** Event type codes, matching the log dictionary ['view', 'cart', 'purchase']. */
export const VIEW = 0;
export const CART = 1;
export const PURCHASE = 2;

/**
 * P(cart | view) = logistic(logit(cart) + slope U_c) and P(purchase | cart) = logistic(logit(purchase) +
 * slope U_c), with U_c the viewed item's centred utility (see views.ts), so `cart` and `purchase` are the
 * rates of a typical view and better-matched items convert more.
 *
 * @example
 * const funnel = new Funnel(DEFAULT_WORLD.funnel);
 * funnel.cartProbability(0); // 0.08
 */
export class Funnel {
  private readonly cartLogit: number;
  private readonly purchaseLogit: number;
  private readonly slope: number;

  constructor(spec: FunnelSpec) {
    this.cartLogit = logit(spec.cart);
    this.purchaseLogit = logit(spec.purchase);
    this.slope = spec.slope;
  }

  cartProbability(centeredUtility: number): number {
    return logistic(this.cartLogit + this.slope * centeredUtility);
  }

  purchaseProbability(centeredUtility: number): number {
    return logistic(this.purchaseLogit + this.slope * centeredUtility);
  }
}

/** log(p / (1 - p)); +-Infinity at 1 and 0, which logistic maps back to exactly 1 and 0. */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

export function logistic(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
