// One session of behaviour (DESIGN.md section 2, Activity and Funnel): its views, the carts they lead
// to, and purchases either at the end of the session or delayed to a later return session.
import type { Rng } from '../util/rng.ts';
import { eventGapMs, viewsInSession } from './activity.ts';
import { CART, type Funnel, PURCHASE, VIEW } from './funnel.ts';
import type { Catalog } from './items.ts';
import type { PersonTrace } from './personTrace.ts';
import type { WorldSpec } from './spec.ts';
import type { ViewSampler } from './views.ts';

/** Time from a view to the cart that follows it: a couple of seconds plus an exponential part. */
const CART_GAP_MIN_MS = 2_000;
const CART_GAP_MEAN_MS = 20_000;

/**
 * Simulates sessions into a PersonTrace. Same-session purchases are placed at the end of the session
 * (checkout after browsing); delayed ones get cart time + Exp(mean delayMeanMs) and wait in the trace
 * for timeline.ts; those falling at or after the end of the period are dropped. Events that would fall
 * at or after the end of the period are cut, so every event lies in [startMs, endMs).
 *
 * @example
 * const sim = new SessionSimulator(spec, catalog, sampler, funnel);
 * sim.run(trace, theta, tMs, rng); // appends one session to `trace`
 */
export class SessionSimulator {
  private readonly catalog: Catalog;
  private readonly sampler: ViewSampler;
  private readonly funnel: Funnel;
  private readonly meanViews: number;
  private readonly sameSession: number;
  private readonly delayRate: number;
  private readonly endMs: number;
  private pending = new Int32Array(16);

  constructor(spec: WorldSpec, catalog: Catalog, sampler: ViewSampler, funnel: Funnel) {
    this.catalog = catalog;
    this.sampler = sampler;
    this.funnel = funnel;
    this.meanViews = spec.activity.viewsPerSession;
    this.sameSession = spec.funnel.sameSession;
    this.delayRate = 1 / spec.funnel.delayMeanMs;
    this.endMs = spec.startMs + spec.days * 86_400_000;
  }

  /** Append one session starting at `startMs` for taste `theta`; returns its slot in the trace. */
  run(trace: PersonTrace, theta: Float64Array, startMs: number, rng: Rng): number {
    const { sampler, funnel, endMs } = this;
    const price = this.catalog.price;
    sampler.prepare(theta, startMs);
    const slot = trace.openSession(startMs);
    const views = viewsInSession(this.meanViews, rng);
    let pending = 0;
    let clock = startMs;
    for (let v = 0; v < views; v++) {
      if (v > 0) clock += eventGapMs(rng);
      if (clock >= endMs) break;
      const item = sampler.draw(rng);
      const uc = sampler.centeredUtility;
      trace.addEvent(clock, item, VIEW, 1, slot);
      if (rng.float() >= funnel.cartProbability(uc)) continue;
      clock += CART_GAP_MIN_MS + Math.round(rng.exponential(1 / CART_GAP_MEAN_MS));
      if (clock >= endMs) break;
      trace.addEvent(clock, item, CART, 1, slot);
      if (rng.float() >= funnel.purchaseProbability(uc)) continue;
      if (rng.float() < this.sameSession) {
        if (pending === this.pending.length) this.pending = growInt(this.pending);
        this.pending[pending++] = item;
      } else {
        const at = clock + Math.round(rng.exponential(this.delayRate));
        if (at < endMs) trace.addReturn(at, item, price[item]);
      }
    }
    for (let k = 0; k < pending; k++) {
      clock += eventGapMs(rng);
      if (clock >= endMs) break;
      const item = this.pending[k];
      trace.addEvent(clock, item, PURCHASE, price[item], slot);
    }
    return slot;
  }
}

function growInt(a: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}
