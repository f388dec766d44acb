// One session of behaviour (docs/method.md 2.6 and 2.8, Activity and Funnel): its views, the carts they lead
// to, and purchases either at the end of the session or delayed to a later return session.
import type { Rng } from '../util/rng.ts';
import { eventGapMs, viewsInSession } from './activity.ts';
import type { BehaviorLog } from './behaviorLog.ts';
import { CART, type Funnel, PURCHASE, VIEW } from './funnel.ts';
import type { Catalog } from './items.ts';
import type { PendingReturns } from './returns.ts';
import type { WorldSpec } from '../scenario/worldSpec.ts';
import type { ViewSampler } from './views.ts';

/** Time from a view to the cart that follows it: a couple of seconds plus an exponential part. */
const CART_GAP_MIN_MS = 2_000;
const CART_GAP_MEAN_MS = 20_000;

/**
 * Simulates sessions into the behaviour log. Same-session purchases are placed at the end of the session
 * (checkout after browsing); delayed ones get cart time + Exp(mean delayMeanMs) and wait in `pending`
 * for timeline.ts; those falling at or after the end of the period are dropped. Events that would fall
 * at or after the end of the period are cut, so every event lies in [startMs, endMs).
 *
 * @example
 * const sim = new SessionSimulator(spec, catalog, sampler, funnel);
 * sim.run(log, person, theta, tMs, pending, rng); // appends one session to `log`
 */
export class SessionSimulator {
  private readonly catalog: Catalog;
  private readonly sampler: ViewSampler;
  private readonly funnel: Funnel;
  private readonly meanViews: number;
  private readonly sameSession: number;
  private readonly delayRate: number;
  private readonly endMs: number;
  /** Items bought at the end of the current session. */
  private checkout = new Int32Array(16);

  constructor(spec: WorldSpec, catalog: Catalog, sampler: ViewSampler, funnel: Funnel) {
    this.catalog = catalog;
    this.sampler = sampler;
    this.funnel = funnel;
    this.meanViews = spec.activity.viewsPerSession;
    this.sameSession = spec.funnel.sameSession;
    this.delayRate = 1 / spec.funnel.delayMeanMs;
    this.endMs = spec.startMs + spec.days * 86_400_000;
  }

  /** Append one session of `person` starting at `startMs` for taste `theta`; returns its index in `log`. */
  run(log: BehaviorLog, person: number, theta: Float64Array, startMs: number, pending: PendingReturns, rng: Rng): number {
    const { sampler, funnel, endMs } = this;
    const price = this.catalog.price;
    sampler.prepare(theta, startMs);
    const session = log.openSession(person, startMs);
    const views = viewsInSession(this.meanViews, rng);
    let sameSession = 0;
    let clock = startMs;
    for (let v = 0; v < views; v++) {
      if (v > 0) clock += eventGapMs(rng);
      if (clock >= endMs) break;
      const item = sampler.draw(rng);
      const uc = sampler.centeredUtility;
      log.addEvent(clock, item, VIEW, 1, session);
      if (rng.float() >= funnel.cartProbability(uc)) continue;
      clock += CART_GAP_MIN_MS + Math.round(rng.exponential(1 / CART_GAP_MEAN_MS));
      if (clock >= endMs) break;
      log.addEvent(clock, item, CART, 1, session);
      if (rng.float() >= funnel.purchaseProbability(uc)) continue;
      if (rng.float() < this.sameSession) {
        if (sameSession === this.checkout.length) this.checkout = growInt(this.checkout);
        this.checkout[sameSession++] = item;
      } else {
        const at = clock + Math.round(rng.exponential(this.delayRate));
        if (at < endMs) pending.add(at, item, price[item]);
      }
    }
    for (let k = 0; k < sameSession; k++) {
      clock += eventGapMs(rng);
      if (clock >= endMs) break;
      const item = this.checkout[k];
      log.addEvent(clock, item, PURCHASE, price[item], session);
    }
    return session;
  }
}

function growInt(a: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}
