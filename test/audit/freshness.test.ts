import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../src/log/eventLog.ts';
import type { DriftEstimate } from '../../src/audit/drift.ts';
import { checkFreshness, signalAges } from '../../src/audit/freshness.ts';
import { auditMsg } from '../../src/audit/messages.ts';
import { measureDrift } from '../../src/audit/drift.ts';
import { DAY_MS, driftWorld } from './worlds.ts';

const M = 60_000;
const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // the default refresh origin: midnight of the first event's day

/**
 * Three keys, no session column (sessions come from the 30-minute gap). Daily refresh with 3 h latency: the
 * cut at midnight d becomes visible at 03:00.
 *   a: 01:00, 01:05 | 26:00 | 50:00 | 76:00      b: 10:00 | 12:00 | 40:00      c: 30:00 | 45:00 | 80:00
 * Session starts before 27:00 see cut 0, at or before the first event (01:00): warm-up, dropped (4).
 * c 30:00 is c's first visit (cold). The rest, in time order, with their served ages:
 *   b 40:00 cut 24h -> 40:00 - 12:00 = 28h        c 45:00 cut 24h -> c's history (30:00) not visible: Infinity
 *   a 50:00 cut 24h -> 50:00 - 01:05 = 48h55m     a 76:00 cut 72h -> 26h      c 80:00 cut 72h -> 80:00 - 45:00 = 35h
 * Sorted 26h, 28h, 35h, 48h55m, Inf: median 35h. Streamed with no latency (only a 01:00 is warm-up, b 10:00
 * and c 30:00 are cold): 2h, 24h55m, 28h, 15h, 24h, 26h, 35h: median 24h55m.
 */
const log = logFromRows(
  [
    ['a', 1 * H],
    ['a', 1 * H + 5 * M],
    ['a', 26 * H],
    ['a', 50 * H],
    ['a', 76 * H],
    ['b', 10 * H],
    ['b', 12 * H],
    ['b', 40 * H],
    ['c', 30 * H],
    ['c', 45 * H],
    ['c', 80 * H],
  ].map(([key, t]) => ({ t: T0 + (t as number), key: key as string, person: key as string, item: 'x', type: 'view' })),
);
const STREAM_MEDIAN = 24 * H + 55 * M;

const drift = (tauMs: number, status: DriftEstimate['status'] = 'decay'): DriftEstimate => ({
  status,
  tauMs,
  halfLifeMs: tauMs * Math.LN2,
  c: 0.5,
  decline: 0.3,
  band: { lo: tauMs / 2, hi: tauMs * 2 },
  level: 0.95,
  replicates: 200,
  points: [],
  persons: 100,
  by: 'person',
  labels: 'category',
});

describe('signalAges', () => {
  it('measures t minus the newest visible event of the key, by hand', () => {
    const ages = signalAges(log, { refresh: { kind: 'batch', cadenceMs: DAY_MS }, latencyMs: 3 * H, originMs: T0 });
    // a's 01:00 and 01:05 are one session: 10 sessions.
    expect(ages).toMatchObject({ sessions: 10, warmup: 4, cold: 1, hidden: 1 });
    expect([...ages.ageMs]).toEqual([28 * H, Infinity, 48 * H + 55 * M, 26 * H, 35 * H]);
    // Inactivity: t minus the key's previous event (b 12:00, c 30:00, a 26:00, a 50:00, c 45:00); lag = age - it.
    expect([...ages.inactivityMs]).toEqual([28 * H, 15 * H, 24 * H, 26 * H, 35 * H]);
    expect([...ages.lagMs]).toEqual([0, Infinity, 24 * H + 55 * M, 0, 0]);
  });

  it('streams with latency: only events older than t - latency are served', () => {
    const ages = signalAges(log, { refresh: { kind: 'stream' }, latencyMs: 2.5 * H, originMs: T0 });
    // b at 12:00: the cut 09:30 hides 10:00 (Infinity); a 01:00 is warm-up, b 10:00 and c 30:00 cold.
    expect(ages).toMatchObject({ sessions: 10, warmup: 1, cold: 2, hidden: 1 });
    expect([...ages.ageMs]).toEqual([Infinity, 24 * H + 55 * M, 28 * H, 15 * H, 24 * H, 26 * H, 35 * H]);
  });
});

/**
 * One key active every hour for three days (each event a session start: 60 min > the 30-minute gap); daily
 * refresh at midnight (pinned), 3 h latency. A request at hour h >= 27 sees cut c = 24 (h < 51) or 48, whose
 * newest event is c - 1: age h - c + 1 h, inactivity 1 h, lag h - c. Lags 3..26 h (h 27..50) and 3..23 h
 * (h 51..71): 45 values, 3..23 twice, so the median (the 23rd) is 14 h.
 */
const hourly = logFromRows(Array.from({ length: 72 }, (_, h) => ({ t: T0 + h * H, key: 'a', person: 'a', item: 'x', type: 'view' })));
const MEDIAN_LAG = 14 * H;

describe('checkFreshness', () => {
  const opts = { refreshMs: DAY_MS, latencyMs: 3 * H, originMs: T0 };

  it.each([
    ['fails when the median lag exceeds tau', MEDIAN_LAG - 1, 'fail'],
    ['warns at tau exactly (not above it)', MEDIAN_LAG, 'warn'],
    ['warns above half of tau', 2 * MEDIAN_LAG - 1, 'warn'],
    ['passes at half of tau exactly', 2 * MEDIAN_LAG, 'pass'],
  ] as const)('%s', (_, tauMs, verdict) => {
    const r = checkFreshness(hourly, opts, drift(tauMs));
    expect(r).toMatchObject({
      id: '01',
      name: auditMsg.freshnessName,
      verdict,
      value: MEDIAN_LAG / DAY_MS,
      threshold: tauMs / DAY_MS,
      unit: 'days of pipeline lag',
    });
    expect(r.data).toMatchObject({
      warnAt: tauMs / 2 / DAY_MS,
      failAt: tauMs / DAY_MS,
      requests: 45,
      warmup: 27,
      coldStarts: 0,
      hidden: 0,
      originMs: T0,
      phaseAveraged: false,
    });
    expect(r.detail).toBe(
      auditMsg.freshnessDetail({
        verdict,
        lagMedianMs: MEDIAN_LAG,
        ageMedianMs: MEDIAN_LAG + H,
        inactivityMedianMs: H,
        tauMs,
        halfLifeMs: tauMs * Math.LN2,
        status: 'decay',
        refresh: DAY_MS,
        latencyMs: 3 * H,
        requests: 45,
        hiddenShare: 0,
        phaseAveraged: false,
      }),
    );
  });

  it('judges the lag, not the inactivity: streaming with no latency has lag 0 however idle the keys are', () => {
    const r = checkFreshness(log, { refreshMs: 'stream', latencyMs: 0 }, drift(H));
    expect(r.value).toBe(0);
    expect(r.verdict).toBe('pass');
    expect((r.data.inactivityMs as { p50: number }).p50).toBe(STREAM_MEDIAN);
  });

  it('averages over the schedule phase without an origin, so the answer does not hang on where cut 0 fell', () => {
    const lagOf = (originMs?: number) => checkFreshness(hourly, { refreshMs: DAY_MS, latencyMs: 3 * H, originMs }, drift(DAY_MS));
    const averaged = lagOf();
    expect(averaged.data.phaseAveraged).toBe(true);
    // Pinned at midnight or at noon, the medians differ; averaged over the phase the lag is spread over the cadence.
    expect(lagOf(T0).value).not.toBe(lagOf(T0 + 12 * H).value);
    expect((averaged.data.lagMs as { p10: number; p90: number }).p10).toBeLessThan(6 * H);
    expect((averaged.data.lagMs as { p90: number }).p90).toBeGreaterThan(18 * H);
  });

  it('passes a log without measurable drift against the upper bound, and is unknown when drift is unmeasured', () => {
    expect(checkFreshness(log, opts, drift(365 * DAY_MS, 'no-decay')).verdict).toBe('pass');
    const r = checkFreshness(log, opts, drift(NaN, 'too-little-data'));
    expect(r.verdict).toBe('unknown');
    expect(r.detail).toContain('cannot be judged');
  });

  it('rejects invalid serving settings', () => {
    expect(() => checkFreshness(log, { refreshMs: 0, latencyMs: 0 }, drift(DAY_MS))).toThrow(
      auditMsg.invalid('refreshMs', 0, "a positive cadence in ms or 'stream'"),
    );
    expect(() => checkFreshness(log, { refreshMs: 'stream', latencyMs: -1 }, drift(DAY_MS))).toThrow(
      auditMsg.invalid('latencyMs', -1, 'a non-negative duration in ms'),
    );
  });

  it('on a synthetic world, the lag grows with the refresh interval and a weekly batch fails against a 3-day drift window', () => {
    const w = driftWorld(0.3, 2, 3, 1500);
    const d = measureDrift(w.log, w.items.category, { seed: 3, replicates: 50 });
    const checks = (['stream', DAY_MS, 7 * DAY_MS] as const).map((refreshMs) =>
      checkFreshness(w.log, { refreshMs, latencyMs: refreshMs === 'stream' ? 0 : 6 * H }, d),
    );
    const lag = checks.map((c) => c.data.lagMs as { p50: number; p75: number });
    // Streaming adds no lag; a daily job adds none for most requests (their keys were idle since the cut), so
    // its median is 0 too and the difference shows in the upper quantiles; a weekly job lags days.
    expect(lag[0]).toMatchObject({ p50: 0, p75: 0 });
    expect(lag[1].p50).toBe(0);
    expect(lag[1].p75).toBeGreaterThan(0);
    expect(lag[2].p50).toBeGreaterThan(DAY_MS);
    expect(lag[2].p75).toBeGreaterThan(lag[1].p75);
    expect(checks.map((c) => c.verdict)).toEqual(['pass', 'pass', 'fail']);
  });
});
