import { describe, expect, it } from 'vitest';
import { Funnel, logistic, logit } from '../../src/world/funnel.ts';
import { DEFAULT_WORLD } from '../../src/scenario/worldSpec.ts';
import { eventsBySession, smallSpec, world } from './helpers.ts';

const VIEW = 0;
const CART = 1;
const PURCHASE = 2;

describe('funnel', () => {
  const w = world(smallSpec({ persons: 1000 }));
  const log = w.log;
  const counts = [0, 0, 0];
  for (let e = 0; e < log.length; e++) counts[log.type[e]]++;

  it('makes purchases a small share of events', () => {
    const share = counts[PURCHASE] / log.length;
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.05);
  });

  it('realises the configured average cart and purchase rates', () => {
    // Calibrated on a pilot sample, so spec.funnel.cart is the cart rate of an average view and
    // spec.funnel.purchase the purchase rate of an average cart (delayed purchases past the end are lost).
    expect(counts[CART] / counts[VIEW]).toBeCloseTo(DEFAULT_WORLD.funnel.cart, 1);
    expect(Math.abs(counts[CART] / counts[VIEW] - DEFAULT_WORLD.funnel.cart)).toBeLessThan(0.01);
    const purchaseRate = counts[PURCHASE] / counts[CART];
    expect(purchaseRate).toBeGreaterThan(DEFAULT_WORLD.funnel.purchase - 0.06);
    expect(purchaseRate).toBeLessThan(DEFAULT_WORLD.funnel.purchase + 0.03);
  });

  it('puts some purchases on another key than the view of the same item by the same person', () => {
    const lastViewKey = new Map<string, number>();
    let crossKey = 0;
    for (let e = 0; e < log.length; e++) {
      const id = `${log.person[e]}:${log.item[e]}`;
      if (log.type[e] === VIEW) lastViewKey.set(id, log.key[e]);
      else if (log.type[e] === PURCHASE && lastViewKey.has(id) && lastViewKey.get(id) !== log.key[e]) crossKey++;
    }
    expect(crossKey).toBeGreaterThan(20);
  });

  it("keeps purchases in the cart's session when sameSession = 1 and moves them out when 0", () => {
    for (const sameSession of [1, 0]) {
      const v = world(smallSpec({ funnel: { sameSession } }));
      let inSession = 0;
      let purchases = 0;
      for (const events of eventsBySession(v)) {
        const carted = new Set<number>();
        for (const e of events) if (v.log.type[e] === CART) carted.add(v.log.item[e]);
        for (const e of events) {
          if (v.log.type[e] !== PURCHASE) continue;
          purchases++;
          if (carted.has(v.log.item[e])) inSession++;
        }
      }
      expect(purchases).toBeGreaterThan(50);
      if (sameSession === 1) expect(inSession).toBe(purchases);
      // A delayed purchase lands in its cart's session only when it comes back within 30 minutes.
      else expect(inSession / purchases).toBeLessThan(0.05);
    }
  });

  it('delays purchases by about delayMeanMs', () => {
    const delayMeanMs = 6 * 3_600_000;
    const v = world(smallSpec({ funnel: { sameSession: 0, delayMeanMs } }));
    const cartAt = new Map<string, number>();
    const delays: number[] = [];
    for (let e = 0; e < v.log.length; e++) {
      const id = `${v.log.person[e]}:${v.log.item[e]}`;
      if (v.log.type[e] === CART) cartAt.set(id, v.log.tsMs[e]);
      else if (v.log.type[e] === PURCHASE && cartAt.has(id)) delays.push(v.log.tsMs[e] - cartAt.get(id)!);
    }
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(delays.length).toBeGreaterThan(100);
    expect(mean / delayMeanMs).toBeGreaterThan(0.8);
    expect(mean / delayMeanMs).toBeLessThan(1.2);
  });

  it('raises cart and purchase probability with utility', () => {
    const f = new Funnel(DEFAULT_WORLD.funnel);
    expect(f.cartProbability(0)).toBeCloseTo(0.08, 12);
    expect(f.purchaseProbability(0)).toBeCloseTo(0.35, 12);
    expect(f.cartProbability(1)).toBeCloseTo(logistic(logit(0.08) + 1), 12);
    expect(f.cartProbability(2)).toBeGreaterThan(f.cartProbability(1));
    // Calibration on a symmetric sample of spread 0 changes nothing.
    const flat = Funnel.calibrated(DEFAULT_WORLD.funnel, new Float64Array(100));
    expect(flat.cartProbability(0)).toBeCloseTo(0.08, 6);
  });
});
