// Schedule phases: the period a phase is uniform over, the per-request phase index, the concrete schedule of
// each phase, and the partition of requests by phase.
import { describe, expect, it } from 'vitest';
import { forEachPhase, phaseConfig, requestPhases, schedulePeriodMs } from '../../src/pipeline/phases.ts';
import { visibleCutMs, type ServingConfig } from '../../src/pipeline/serving.ts';
import { withFixed } from '../../src/pipeline/factors.ts';

const H = 3_600_000;
const D = 24 * H;

const weekly = (phase: ServingConfig['phase']): ServingConfig => ({
  refresh: { kind: 'batch', cadenceMs: 7 * D },
  latencyMs: 6 * H,
  identity: 'key',
  channels: null,
  originMs: Date.UTC(2024, 0, 1),
  phase,
  retrainMs: null,
});

describe('schedulePeriodMs', () => {
  it.each([
    ['stream, no retrain', { kind: 'stream' as const }, null, null],
    ['batch only', { kind: 'batch' as const, cadenceMs: 7 * D }, null, 7 * D],
    ['retrain only', { kind: 'stream' as const }, 3 * D, 3 * D],
    ['lcm of 2d and 7d', { kind: 'batch' as const, cadenceMs: 2 * D }, 7 * D, 14 * D],
    ['the longer when one divides the other', { kind: 'batch' as const, cadenceMs: D }, 7 * D, 7 * D],
    ['the longer when the lcm is far too long', { kind: 'batch' as const, cadenceMs: D + 1 }, 7 * D, 7 * D],
  ])('%s', (_, refresh, retrain, expected) => {
    expect(schedulePeriodMs(refresh, retrain)).toBe(expected);
  });
});

describe('requestPhases', () => {
  const n = 40_000;
  const req = { length: n, person: Int32Array.from({ length: n }, (_, i) => i % 997), session: Int32Array.from({ length: n }, (_, i) => i) };

  it('spreads requests evenly over the phases (chi-square within its 99.9% bound)', () => {
    const k = requestPhases(req, { count: 8, seed: 5 });
    const counts = new Array(8).fill(0);
    for (const x of k) counts[x]++;
    const e = n / 8;
    const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
    // 7 degrees of freedom: P(chi2 > 24.32) = 0.001.
    expect(chi2).toBeLessThan(24.32);
  });

  it('depends only on (seed, person, session), not on the request order or the other requests', () => {
    const k = requestPhases(req, { count: 8, seed: 5 });
    const sub = { length: 3, person: Int32Array.of(req.person[7], req.person[123], req.person[39_999]), session: Int32Array.of(7, 123, 39_999) };
    expect(Array.from(requestPhases(sub, { count: 8, seed: 5 }))).toEqual([k[7], k[123], k[39_999]]);
    expect(requestPhases(req, { count: 8, seed: 6 })).not.toEqual(k);
  });

  it('puts every request in phase 0 when there is one phase', () => {
    expect(Array.from(requestPhases(req, { count: 1, seed: 5 })).every((x) => x === 0)).toBe(true);
  });
});

describe('phaseConfig', () => {
  const phase = { count: 8, offset: 0.05, periodMs: 7 * D, seed: 1 };

  it('moves cut 0 by (offset + k / count) of the period and pins the result', () => {
    const c = phaseConfig(weekly(phase), 3);
    expect(c.originMs).toBe(Date.UTC(2024, 0, 1) + Math.floor((0.05 + 3 / 8) * 7 * D));
    expect(c.phase).toBeNull();
  });

  it('gives evenly spaced lags: over the phases, the cut before a request steps through the cadence', () => {
    // A request at a fixed time sees, across the 8 phases, cuts that lag it by 8 distinct amounts spread
    // over [latency, latency + cadence): the systematic sample the phase average is taken over.
    const t = Date.UTC(2024, 1, 20, 15);
    const lags = Array.from({ length: 8 }, (_, k) => t - visibleCutMs(phaseConfig(weekly(phase), k), t)).sort((a, b) => a - b);
    for (const lag of lags) {
      expect(lag).toBeGreaterThanOrEqual(6 * H);
      expect(lag).toBeLessThan(6 * H + 7 * D);
    }
    for (let i = 1; i < 8; i++) expect(lags[i] - lags[i - 1]).toBeCloseTo((7 * D) / 8, -1);
  });

  it('leaves a pinned configuration as it is', () => {
    const pinned = weekly(null);
    expect(phaseConfig(pinned, 5)).toBe(pinned);
  });
});

describe('forEachPhase', () => {
  it('partitions the requests by phase, in order, each with its concrete schedule', () => {
    const n = 500;
    const req = { length: n, person: Int32Array.from({ length: n }, (_, i) => i), session: Int32Array.from({ length: n }, (_, i) => 2 * i) };
    const phase = { count: 4, offset: 0.1, periodMs: 7 * D, seed: 9 };
    const which = requestPhases(req, phase);
    const seen = new Int32Array(n);
    forEachPhase(req, weekly(phase), (rows, concrete, k) => {
      expect(concrete).toEqual(phaseConfig(weekly(phase), k));
      for (let j = 0; j < rows!.length; j++) {
        if (j > 0) expect(rows![j]).toBeGreaterThan(rows![j - 1]);
        expect(which[rows![j]]).toBe(k);
        seen[rows![j]]++;
      }
    });
    expect(Array.from(seen).every((x) => x === 1)).toBe(true);
  });

  it('calls once with every row for a pinned schedule', () => {
    const calls: Array<Int32Array | null> = [];
    forEachPhase({ length: 3, person: new Int32Array(3) }, weekly(null), (rows) => calls.push(rows));
    expect(calls).toEqual([null]);
  });
});

describe('withFixed keeps each factor to its own settings', () => {
  const retrain: ServingConfig = { ...weekly({ count: 8, offset: 0, periodMs: 7 * D, seed: 1 }), latencyMs: 2 * D, retrainMs: 7 * D, modelLatencyMs: 2 * D };

  it('fixing staleness leaves the retrain schedule, its publication latency and the phase alone', () => {
    const c = withFixed(retrain, ['staleness']);
    expect(c).toMatchObject({ refresh: { kind: 'stream' }, latencyMs: 0, retrainMs: 7 * D, modelLatencyMs: 2 * D, phase: retrain.phase });
  });

  it('fixing model age leaves feature staleness alone', () => {
    expect(withFixed(retrain, ['model'])).toMatchObject({ refresh: retrain.refresh, latencyMs: 2 * D, retrainMs: null, phase: retrain.phase });
  });

  it('drops the phase once no batch schedule is left', () => {
    expect(withFixed(retrain, ['staleness', 'model']).phase).toBeNull();
  });
});
