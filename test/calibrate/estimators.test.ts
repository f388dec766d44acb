// One test per estimator of src/calibrate, each on a table small enough to compute by hand.
import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../src/log/eventLog.ts';
import { activityStats, personVisits } from '../../src/calibrate/activityStats.ts';
import { funnelStats } from '../../src/calibrate/funnelStats.ts';
import { keyBin, keyStats, sessionChannelStats } from '../../src/calibrate/identityStats.ts';
import { itemCounts, zipfExponent } from '../../src/calibrate/zipf.ts';

const MIN = 60_000;
const DAY = 86_400_000;

describe('zipfExponent: the rank-frequency slope over the top half of events', () => {
  it('recovers the exponent of an exact power law', () => {
    expect(zipfExponent(Float64Array.of(120, 60, 40, 30, 24))).toBeCloseTo(1, 12);
    expect(zipfExponent(Float64Array.of(225, 3600, 400, 900, 144))).toBeCloseTo(2, 12); // order does not matter
  });

  it('fits only the items that hold half of the events: a flat head over a steep tail is flat', () => {
    // 400 of 408 events on four items: the top three already hold 300 >= 204, so the fit sees 100, 100, 100.
    expect(zipfExponent(Float64Array.of(100, 100, 100, 100, 1, 1, 1, 1, 1, 1, 1, 1))).toBeCloseTo(0, 12);
  });

  it('is NaN with fewer than three items seen, and counts events per item', () => {
    expect(zipfExponent(Float64Array.of(5, 3, 0, 0))).toBeNaN();
    const log = logFromRows([
      { t: 0, key: 'k', person: 'a', item: 'x', type: 'view' },
      { t: 1, key: 'k', person: 'a', item: 'y', type: 'view' },
      { t: 2, key: 'k', person: 'a', item: 'x', type: 'purchase' },
    ]);
    expect([...itemCounts(log)]).toEqual([2, 1]);
  });
});

describe('activityStats: visits are a person’s bursts 30 minutes apart, on any key', () => {
  // a: visits at 0 and 0+10m (one burst), then day 1 (second burst, on another key): 2 visits, 3 events.
  // b: one visit of 2 events. c: three visits of one event each, two days apart.
  const log = logFromRows([
    { t: 0, key: 'a1', person: 'a', item: 'x', type: 'view' },
    { t: 10 * MIN, key: 'a1', person: 'a', item: 'y', type: 'view' },
    { t: DAY, key: 'a2', person: 'a', item: 'x', type: 'view' },
    { t: 5 * MIN, key: 'b', person: 'b', item: 'z', type: 'view' },
    { t: 34 * MIN, key: 'b', person: 'b', item: 'z', type: 'purchase' },
    { t: 2 * DAY, key: 'c', person: 'c', item: 'x', type: 'view' },
    { t: 4 * DAY, key: 'c', person: 'c', item: 'y', type: 'view' },
    { t: 6 * DAY, key: 'c', person: 'c', item: 'z', type: 'view' },
  ]);

  it('counts visits per person, their spread and events per visit', () => {
    const s = activityStats(log);
    // visits: a 2, b 1 (29 minutes apart is one burst), c 3; mean 2, variance (0 + 1 + 1) / 3.
    expect(s).toMatchObject({ persons: 3, events: 8, items: 3, days: 6, visitsPerPerson: 2, oneVisitShare: 1 / 3, eventsPerVisit: 8 / 6 });
    expect(s.visitsCv).toBeCloseTo(Math.sqrt(2 / 3) / 2, 12);
    expect(personVisits(log).visits).toBe(6);
  });

  it('a gap of exactly 30 minutes starts a new visit (the world separates sessions by at least that)', () => {
    const two = logFromRows([
      { t: 0, key: 'k', person: 'a', item: 'x', type: 'view' },
      { t: 30 * MIN, key: 'k', person: 'a', item: 'x', type: 'view' },
    ]);
    expect(personVisits(two).visits).toBe(2);
  });
});

describe('funnelStats: rates from counts, delays from the last touch of the item', () => {
  // Ten rows. a: view x, cart x, purchase x in the same visit; view y. b: view z, cart z, purchase z two days
  // later (a later visit); view w; purchase v with no earlier touch (not counted). c: cart x, nothing bought.
  const log = logFromRows([
    { t: 0, key: 'a', person: 'a', item: 'x', type: 'view' },
    { t: MIN, key: 'a', person: 'a', item: 'x', type: 'cart' },
    { t: 5 * MIN, key: 'a', person: 'a', item: 'x', type: 'purchase' },
    { t: 6 * MIN, key: 'a', person: 'a', item: 'y', type: 'view' },
    { t: 0, key: 'b', person: 'b', item: 'z', type: 'view' },
    { t: MIN, key: 'b', person: 'b', item: 'z', type: 'cart' },
    { t: 2 * DAY + MIN, key: 'b', person: 'b', item: 'z', type: 'purchase' },
    { t: 3 * DAY, key: 'b', person: 'b', item: 'w', type: 'view' },
    { t: 4 * DAY, key: 'b', person: 'b', item: 'v', type: 'purchase' },
    { t: 0, key: 'c', person: 'c', item: 'x', type: 'cart' },
  ]);

  it('carts per view, purchases per cart, same-visit share and the later delay', () => {
    const f = funnelStats(log, personVisits(log).visit);
    expect(f).toMatchObject({ views: 4, carts: 3, purchases: 3, cartPerView: 3 / 4, purchasePerCart: 1, purchasePerView: 3 / 4, touched: 2 });
    expect(f.sameVisitShare).toBe(1 / 2);
    // b's purchase of z: its last touch is the cart at 1 minute, the purchase two days later.
    expect(f.laterDelayMedianMs).toBe(2 * DAY);
  });

  it('a purchases-only log has no rates and no touches', () => {
    const purchases = logFromRows([
      { t: 0, key: 'a', person: 'a', item: 'x', type: 'purchase' },
      { t: DAY, key: 'a', person: 'a', item: 'x', type: 'purchase' },
    ]);
    const f = funnelStats(purchases, personVisits(purchases).visit);
    expect(f.cartPerView).toBeNaN();
    expect(f.purchasePerCart).toBeNaN();
    expect(f.touched).toBe(0);
    expect(f.sameVisitShare).toBeNaN();
    expect(f.laterDelayMedianMs).toBeNaN();
  });
});

describe('identity statistics', () => {
  // a on keys a1, a2, a3; b on b1; c on c1, c2. Sessions: a1 (app, logged in), a2 (mweb), a3 (mweb, logged in),
  // b1 (desktop), c1 (app, logged in), c2 (app).
  const log = logFromRows([
    { t: 0, key: 'a1', person: 'a', item: 'x', type: 'view', channel: 'app', login: 'A', session: 0 },
    { t: 1, key: 'a2', person: 'a', item: 'x', type: 'view', channel: 'mweb', session: 1 },
    { t: 2, key: 'a3', person: 'a', item: 'x', type: 'view', channel: 'mweb', session: 2 },
    { t: 3, key: 'a3', person: 'a', item: 'y', type: 'view', channel: 'mweb', login: 'A', session: 2 },
    { t: 4, key: 'b1', person: 'b', item: 'x', type: 'view', channel: 'desktop', session: 3 },
    { t: 5, key: 'c1', person: 'c', item: 'x', type: 'view', channel: 'app', login: 'C', session: 4 },
    { t: 6, key: 'c2', person: 'c', item: 'x', type: 'view', channel: 'app', session: 5 },
  ]);

  it('keys per person: the mean, the multi-key share and the histogram', () => {
    const k = keyStats(log, false);
    expect(k.mean).toBe(2);
    expect(k.multiShare).toBe(2 / 3);
    expect(k.histogram).toEqual([1 / 3, 1 / 3, 1 / 3, 0, 0, 0]);
  });

  it('by channel, app keys and other keys are binned jointly (app keys never churn)', () => {
    // a: 1 app key, 2 mweb keys -> bin 1 * 6 + 2; b: 0 app, 1 desktop -> bin 1; c: 2 app keys -> bin 2 * 6 + 0.
    const h = keyStats(log, true).histogram;
    expect(h).toHaveLength(18);
    expect(h[8]).toBe(1 / 3);
    expect(h[1]).toBe(1 / 3);
    expect(h[12]).toBe(1 / 3);
    expect(h.reduce((a, b) => a + b, 0)).toBe(1);
    expect(keyBin(5, 9, true)).toBe(2 * 6 + 5);
    expect(keyBin(5, 9, false)).toBe(5);
  });

  it('session shares per channel and login rates per channel (a session logs in when any event does)', () => {
    const s = sessionChannelStats(log);
    expect(s.sessions).toBe(6);
    expect(s.share).toEqual({ app: 3 / 6, mweb: 2 / 6, desktop: 1 / 6 });
    expect(s.loginRate).toEqual({ app: 2 / 3, mweb: 1 / 2, desktop: 0 });
    expect(s.loginRateAll).toBe(3 / 6);
  });
});
