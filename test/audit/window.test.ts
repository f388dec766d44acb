import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../src/log/eventLog.ts';
import { auditMsg } from '../../src/audit/messages.ts';
import { typeMask } from '../../src/audit/typeMask.ts';
import { checkWindow, conversionDelays, windowCheckOf, WINDOW_FAIL, WINDOW_GRID_MS, WINDOW_WARN } from '../../src/audit/window.ts';
import { DAY_MS, driftWorld } from './worlds.ts';
import { wilsonInterval } from '../../src/stats/proportion.ts';
import { referenceCheckWindow, referenceConversionDelays } from '../../src/audit/windowReference.ts';
import { Rng } from '../../src/util/rng.ts';

const M = 60_000;
const H = 3_600_000;
const D = DAY_MS;

/**
 * Person p (sessions from the 30-minute gap):
 *   s1 day 0 09:50: Z view, B view 09:55, E view 09:58, A view 10:00, A purchase 10:20  -> A: 30 min from s1
 *   s2 day 1 08:00: C cart
 *   s3 day 2 12:00: B view, B purchase 12:10 -> B: last touch s3 = 10 min; first touch s1 = 2d 2h 20m
 *   s4 day 4 08:00: C purchase (first event of its session) -> C: 3 days from s2 (first = last)
 *   s5 day 5 14:00: Z views 14:00, 14:25, 14:50, D purchase 15:00 (no earlier touch) -> D: 1 h from its session start
 *   s6 day 40 09:00: E purchase: E's touch is 40 days old (> 30-day lookback) -> 0 from its own session
 * Person q views C on day 3: another entity, no effect on p's journeys.
 * Key k (no person) views F then buys it 2 h later in a new session: measured per key, 2 h.
 */
function rows() {
  const p = (t: number, item: string, type = 'view') => ({ t, person: 'p', key: 'kp', item, type });
  return [
    p(9 * H + 50 * M, 'Z'),
    p(9 * H + 55 * M, 'B'),
    p(9 * H + 58 * M, 'E'),
    p(10 * H, 'A'),
    p(10 * H + 20 * M, 'A', 'purchase'),
    p(D + 8 * H, 'C', 'cart'),
    p(2 * D + 12 * H, 'B'),
    p(2 * D + 12 * H + 10 * M, 'B', 'purchase'),
    { t: 3 * D, person: 'q', key: 'kq', item: 'C', type: 'view' },
    p(4 * D + 8 * H, 'C', 'purchase'),
    p(5 * D + 14 * H, 'Z'),
    p(5 * D + 14 * H + 25 * M, 'Z'),
    p(5 * D + 14 * H + 50 * M, 'Z'),
    p(5 * D + 15 * H, 'D', 'purchase'),
    p(40 * D + 9 * H, 'E', 'purchase'),
    { t: 6 * D, key: 'k', item: 'F', type: 'view' },
    { t: 6 * D + 2 * H, key: 'k', item: 'F', type: 'purchase' },
  ].map((r) => ({ ...r, t: Date.UTC(2024, 0, 1) + r.t }));
}
const log = logFromRows(rows());
const positives = typeMask(log, ['purchase']);
// Conversions in entity order (person p, then key k), each entity in time order: A, B, C, D, E, F.
const LAST = [30 * M, 10 * M, 3 * D, H, 0, 2 * H];
const FIRST = [30 * M, 2 * D + 2 * H + 20 * M, 3 * D, H, 0, 2 * H];

describe('conversionDelays', () => {
  it('measures last- and first-touch delays from session starts, by hand', () => {
    const d = conversionDelays(log, positives, 30 * D);
    expect([...d.lastTouchMs]).toEqual(LAST);
    expect([...d.firstTouchMs]).toEqual(FIRST);
    expect([...d.touched]).toEqual([1, 1, 1, 0, 0, 1]);
  });

  it('a longer lookback keeps the 40-day-old touch of E', () => {
    const d = conversionDelays(log, positives, 60 * D);
    expect(d.lastTouchMs[4]).toBe(40 * D + 9 * H - (9 * H + 50 * M));
  });
});

describe('checkWindow', () => {
  it('reports the share outside W and the share captured at each W, by hand', () => {
    const c = checkWindow(log, { windowMs: D });
    // Outside 1 day: C (3 days) of 6; from the first touch also B.
    // Two buyers (p with five conversions, k with one): 36 / 26 effective buyers, an interval far too wide to judge.
    const wide = wilsonInterval(1 / 6, 36 / 26);
    expect(c).toMatchObject({ id: '04', name: auditMsg.windowName, verdict: 'unknown', value: 1 / 6, threshold: WINDOW_FAIL, unit: 'share' });
    expect(c.data).toMatchObject({
      warnAt: WINDOW_WARN,
      failAt: WINDOW_FAIL,
      conversions: 6,
      buyers: 2,
      effectiveBuyers: 36 / 26,
      outsideInterval: { lo: wide.lo, hi: wide.hi },
      touchedShare: 4 / 6,
      firstTouch: { outsideShare: 2 / 6 },
    });
    expect(c.reason).toBe(c.detail);
    const captured = (c.data as { captured: { windowMs: number; share: number; firstTouchShare: number }[] }).captured;
    expect(captured.map((x) => x.windowMs)).toEqual(WINDOW_GRID_MS);
    // delay < W: 1h -> 30m, 10m, 0 (1 h itself is outside [t, t + 1h)); 6h -> + 1h, 2h; 3d -> 3d is not < 3d.
    expect(captured.map((x) => x.share)).toEqual([3 / 6, 5 / 6, 5 / 6, 5 / 6, 1, 1, 1]);
    // First touch: 30m, 50h20m, 3d, 1h, 0, 2h.
    expect(captured.map((x) => x.firstTouchShare)).toEqual([2 / 6, 4 / 6, 4 / 6, 5 / 6, 1, 1, 1]);
    expect(c.detail).toBe(
      auditMsg.windowDetail({
        verdict: 'unknown',
        outsideShare: 1 / 6,
        outsideLo: wide.lo,
        outsideHi: wide.hi,
        buyers: 2,
        firstTouchOutsideShare: 2 / 6,
        windowMs: D,
        conversions: 6,
        medianMs: (30 * M + H) / 2,
        capturedAtDay: 5 / 6,
      }),
    );
  });

  // The same journeys for 200 copies of p, q and k: 1,200 conversions from 400 buyers, 1,440,000 / 5,200 effective.
  const many = logFromRows(
    Array.from({ length: 200 }, (_, i) =>
      rows().map((r) => ('person' in r ? { ...r, person: `${r.person}${i}`, key: `${r.key}${i}` } : { ...r, key: `${r.key}${i}` })),
    ).flat(),
  );
  it.each([
    // 0 outside: Wilson upper 0.0137 <= 10%.
    [3 * D + 1, 0, 'pass'],
    // 1/6: about [0.125, 0.213], all above 10% and below 25%.
    [D, 1 / 6, 'warn'],
    // 2/6: lower bound about 0.28 > 25%. F's delay of exactly 2 h is outside [t, t + 2h).
    [2 * H, 2 / 6, 'fail'],
    [H, 3 / 6, 'fail'],
  ] as const)('W = %i ms on 1,200 conversions: %d outside -> %s', (windowMs, value, verdict) => {
    const c = checkWindow(many, { windowMs });
    expect(c.value).toBeCloseTo(value, 12);
    expect(c.verdict).toBe(verdict);
    const i = (c.data as { outsideInterval: { lo: number; hi: number } }).outsideInterval;
    expect(i).toEqual((({ lo, hi }) => ({ lo, hi }))(wilsonInterval(value, 1_440_000 / 5_200)));
  });

  it('says unknown, not pass, when a few conversions cannot tell pass from fail (0 of 6 outside)', () => {
    const c = checkWindow(log, { windowMs: 3 * D + 1 });
    expect(c.value).toBe(0);
    expect(c.verdict).toBe('unknown');
    expect(c.detail).toContain('Too few conversions to tell');
  });

  it('adds W to the capture grid and is unknown when there are no conversions', () => {
    const c = checkWindow(log, { windowMs: 2 * D });
    expect((c.data as { captured: { windowMs: number }[] }).captured.map((x) => x.windowMs)).toContain(2 * D);
    const none = checkWindow(logFromRows(rows().filter((r) => r.type !== 'purchase')), { windowMs: D });
    expect(none).toMatchObject({ verdict: 'unknown', data: { conversions: 0 } });
    expect(none.value).toBeNaN();
    expect(none.detail).toBe(
      auditMsg.windowDetail({
        verdict: 'unknown',
        outsideShare: NaN,
        outsideLo: NaN,
        outsideHi: NaN,
        buyers: 0,
        firstTouchOutsideShare: NaN,
        windowMs: D,
        conversions: 0,
        medianMs: NaN,
        capturedAtDay: NaN,
      }),
    );
    expect(() => checkWindow(log, { windowMs: 0 })).toThrow(auditMsg.invalid('windowMs', 0, 'a positive duration in ms'));
  });

  it('on a synthetic world, last-touch delays reproduce the planted funnel (60% same session, the rest Exp(2 days))', () => {
    const w = driftWorld(0.2, 1, 6, 2000);
    const d = conversionDelays(w.log, typeMask(w.log, ['purchase']), 30 * D);
    const within = (a: Float64Array, x: number) => a.filter((v) => v < x).length / a.length;
    // Same-session purchases come within minutes: P(delay < 1h) ~ 0.6 + 0.4 (1 - e^(-1/48)); delayed ones
    // past the end of the run are dropped, and later chance views of the item shorten a few delays.
    expect(within(d.lastTouchMs, H)).toBeGreaterThan(0.55);
    expect(within(d.lastTouchMs, H)).toBeLessThan(0.7);
    // 7 days: 0.6 + 0.4 (1 - e^(-3.5)) = 0.988.
    expect(within(d.lastTouchMs, 7 * D)).toBeGreaterThan(0.975);
    for (let i = 0; i < d.lastTouchMs.length; i++) expect(d.firstTouchMs[i]).toBeGreaterThanOrEqual(d.lastTouchMs[i]);
  });
});

describe('windowCheckOf: check 04 as the audit and a run report state it', () => {
  it('is unknown when every event type present counts as a conversion (nothing to measure a delay from), else checkWindow', () => {
    const world = driftWorld(0.2, 1, 6, 300).log;
    const present = world.dict.type.filter((_, t) => world.type.includes(t));
    expect(present.length).toBeGreaterThan(1);
    // Every type a conversion: checkWindow would pass on time since each conversion's own session start.
    const all = windowCheckOf(world, { windowMs: DAY_MS, positives: typeMask(world, present) });
    expect(all).toMatchObject({ id: '04', verdict: 'unknown', reason: auditMsg.conversionsOnly(present), data: {} });
    expect(all.value).toBeNaN();
    expect(checkWindow(world, { windowMs: DAY_MS, positives: typeMask(world, present) }).verdict).not.toBe('unknown');
    // One type left as a touch: the plain check.
    const some = { windowMs: DAY_MS, positives: typeMask(world, present.slice(1)) };
    expect(windowCheckOf(world, some)).toEqual(checkWindow(world, some));
  });
});

describe('the one-pass check equals the check as first written (windowReference.ts)', () => {
  // Random logs: persons and anonymous keys, a few items so journeys overlap, gaps from seconds to 40 days
  // (lookback and session edges), some with the log's own sessions and some sessionized.
  function randomLog(seed: number, n: number, withSessions: boolean) {
    const rng = Rng.fromSeed(seed);
    const types = ['view', 'cart', 'purchase'];
    let t = 0;
    return logFromRows(
      Array.from({ length: n }, (_, i) => {
        t += rng.float() < 0.1 ? Math.floor(rng.float() * 40 * D) : Math.floor(rng.float() * 20 * M);
        const k = rng.int(12);
        const person = k < 8 ? { person: `p${k % 5}` } : {};
        return { t, key: `k${k}`, ...person, item: `i${rng.int(4)}`, type: types[rng.int(3)], ...(withSessions ? { session: Math.floor(i / 3) } : {}) };
      }),
    );
  }
  const masks = [['purchase'], ['cart', 'purchase'], ['view', 'cart', 'purchase']];
  it.each([
    [1, 50, false],
    [2, 400, false],
    [3, 400, true],
    [4, 3000, false],
  ] as const)('random log %i (%i events, own sessions: %s): same delays in the same order, same check', (seed, n, withSessions) => {
    const log = randomLog(seed, n, withSessions);
    for (const names of masks) {
      const mask = typeMask(log, names);
      for (const lookbackMs of [0, D, 30 * D]) {
        expect(conversionDelays(log, mask, lookbackMs)).toEqual(referenceConversionDelays(log, mask, lookbackMs));
        for (const windowMs of [H, D, 7 * D]) {
          expect(checkWindow(log, { windowMs, positives: mask, lookbackMs })).toEqual(referenceCheckWindow(log, { windowMs, positives: mask, lookbackMs }));
        }
      }
    }
  });

  it('on a synthetic world with the quickstart and the dense positives', () => {
    const w = driftWorld(0.2, 1, 6, 2000);
    for (const names of masks.slice(0, 3)) {
      const mask = typeMask(w.log, names);
      const fast = checkWindow(w.log, { windowMs: 7 * D, positives: mask });
      expect(fast).toEqual(referenceCheckWindow(w.log, { windowMs: 7 * D, positives: mask }));
      expect((fast.data as { conversions: number }).conversions).toBeGreaterThan(1000);
    }
  });
});
