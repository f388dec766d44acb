import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../src/log/eventLog.ts';
import { checkIdentity, identityStats, IDENTITY_FAIL, IDENTITY_WARN } from '../../src/audit/identityCoverage.ts';
import { auditMsg } from '../../src/audit/messages.ts';
import { typeMask } from '../../src/audit/typeMask.ts';
import { DEFAULT_WORLD } from '../../src/scenario/worldSpec.ts';
import { DAY_MS, driftWorld } from './worlds.ts';

type Row = { t: number; person?: string; key: string; item: string; type: string; login?: string };
const ev = (day: number, person: string | undefined, key: string, type = 'view', login?: string): Row => ({
  t: day * DAY_MS,
  person,
  key,
  item: 'x',
  type,
  login,
});

/**
 * p1: k1 (logs in) day 0, k2 (never) view + purchase day 1 -> journey {k1, k2}: multi-key.
 * p2: k3 (logs in) view + purchase -> single key.
 * p3: k4 (never) day 0, k5 (logs in on the purchase) day 40 -> k4 is outside the 30-day journey: single.
 * p4: k6 (never), a view, no purchase.      anonymous: k7 (never), a view and a purchase.
 */
function rows(p3FirstDay = 0): Row[] {
  return [
    ev(0, 'p1', 'k1', 'view', 'L1'),
    ev(1, 'p1', 'k2'),
    ev(1, 'p1', 'k2', 'purchase'),
    ev(2, 'p2', 'k3', 'view', 'L2'),
    ev(2, 'p2', 'k3', 'purchase', 'L2'),
    ev(p3FirstDay, 'p3', 'k4'),
    ev(40, 'p3', 'k5'),
    ev(40, 'p3', 'k5', 'purchase', 'L3'),
    ev(3, 'p4', 'k6'),
    ev(5, undefined, 'k7'),
    ev(5, undefined, 'k7', 'purchase'),
  ];
}

describe('identityStats', () => {
  it('counts keys per person, never-logged-in keys, multi-key journeys and anonymous events, by hand', () => {
    const log = logFromRows(rows());
    const s = identityStats(log, typeMask(log, ['purchase']), 30 * DAY_MS);
    expect(s).toEqual({
      events: 11,
      anonymousShare: 2 / 11,
      persons: 4,
      keysPerPerson: { mean: 1.5, p50: 1.5, p90: 2, max: 2 },
      multiKeyPersonShare: 0.5,
      keys: 7,
      neverLoginKeys: 4, // k2, k4, k6, k7
      neverLoginEventShare: 6 / 11,
      neverLoginConversionShare: 0.5, // k2's and k7's purchases out of 4
      conversions: 4,
      convertingPersons: 3,
      multiKeyJourneyPersonShare: 1 / 3,
      multiKeyJourneyShare: 1 / 3,
    });
  });

  it('a journey of 0 ms holds only the conversion moment', () => {
    const log = logFromRows(rows());
    expect(identityStats(log, typeMask(log, ['purchase']), 0).multiKeyJourneyPersonShare).toBe(0);
  });
});

describe('checkIdentity', () => {
  it.each([
    ['warns between 20% and 40% (1 of 3)', rows(0), 1 / 3, 'warn'],
    ['fails above 40% (p3 visits on k4 within the journey: 2 of 3)', rows(20), 2 / 3, 'fail'],
  ] as const)('%s', (_, r, value, verdict) => {
    const c = checkIdentity(logFromRows(r as Row[]));
    expect(c).toMatchObject({ id: '02', name: auditMsg.identityName, verdict, value, threshold: IDENTITY_FAIL, unit: 'share' });
    expect(c.data).toMatchObject({ warnAt: IDENTITY_WARN, failAt: IDENTITY_FAIL, journeyMs: 30 * DAY_MS });
  });

  /** n converting persons, the first `multi` of them with a second key two days before their purchase. */
  const buyers = (n: number, multi: number): Row[] =>
    Array.from({ length: n }, (_, i) => [
      ...(i < multi ? [ev(0, `p${i}`, `side${i}`)] : []),
      ev(2, `p${i}`, `main${i}`, 'view', `L${i}`),
      ev(2, `p${i}`, `main${i}`, 'purchase', `L${i}`),
    ]).flat();

  it.each([
    [5, 1, 0.2, 'pass'], // exactly at the warn threshold: not above it
    [10, 3, 0.3, 'warn'],
    [5, 2, 0.4, 'warn'], // exactly at the fail threshold
    [10, 5, 0.5, 'fail'],
  ] as const)('%i buyers, %i multi-key: %d -> %s', (n, multi, value, verdict) => {
    const log = logFromRows(buyers(n, multi));
    const c = checkIdentity(log);
    expect(c.value).toBe(value);
    expect(c.verdict).toBe(verdict);
    expect(c.detail).toBe(auditMsg.identityDetail({ verdict, stats: identityStats(log, typeMask(log, ['purchase']), 30 * DAY_MS), journeyMs: 30 * DAY_MS }));
  });

  it('warns when the log has no person ids, and says why', () => {
    const log = logFromRows(rows().map((r) => ({ ...r, person: undefined })));
    const c = checkIdentity(log);
    expect(c.verdict).toBe('warn');
    expect(c.value).toBeNaN();
    expect(c.data).toMatchObject({ persons: 0, anonymousShare: 1 });
    expect(c.detail).toBe(
      auditMsg.identityDetail({ verdict: 'warn', stats: identityStats(log, typeMask(log, ['purchase']), 30 * DAY_MS), journeyMs: 30 * DAY_MS }),
    );
    expect(c.detail).toContain('no person ids');
  });

  it('takes other positive types and rejects unknown ones', () => {
    const log = logFromRows(rows());
    // With views as conversions too, p4 converts (one key) and p3's k4 view at day 0 is a one-key journey.
    expect(checkIdentity(log, { positives: typeMask(log, ['view', 'purchase']) }).data).toMatchObject({ convertingPersons: 4 });
    expect(() => typeMask(log, ['order'])).toThrow(auditMsg.unknownType('order', ['view', 'cart', 'purchase']));
    expect(() => checkIdentity(log, { positives: new Uint8Array(1) })).toThrow(
      auditMsg.invalid('positives', 'a mask of length 1', 'one entry per event type (3)'),
    );
  });

  it('on synthetic worlds: one key per person passes with zeros, fragmentation shows multi-key journeys', () => {
    const whole = driftWorld(0.2, 1, 4, 1000, { identity: { ...DEFAULT_WORLD.identity, fragmented: false } });
    const c0 = checkIdentity(whole.log);
    expect(c0).toMatchObject({ verdict: 'pass', value: 0 });
    expect(c0.data).toMatchObject({ multiKeyPersonShare: 0, keysPerPerson: { mean: 1, max: 1 } });
    const split = checkIdentity(driftWorld(0.2, 1, 4, 1000).log);
    expect(split.value).toBeGreaterThan(0.2);
    expect((split.data as { keysPerPerson: { mean: number } }).keysPerPerson.mean).toBeGreaterThan(1.5);
  });
});
