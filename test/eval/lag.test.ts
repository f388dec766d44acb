// Pipeline lag = served signal age - the person's inactivity (the frozen view's age).
import { describe, expect, it } from 'vitest';
import { pipelineLag } from '../../src/eval/lag.ts';
import { lagStats } from '../../src/run/assemble.ts';

const H = 3_600_000;

describe('pipelineLag', () => {
  it.each([
    ['served older than frozen', 2 * H, 5 * H, 3 * H],
    ['served as fresh as frozen (inactive since the cut)', 4 * H, 4 * H, 0],
    ['served empty, person with history', H, NaN, Infinity],
    ['person without history, served empty', NaN, NaN, NaN],
    ["person without history, served a stranger's events", NaN, H, NaN],
    ["a merged stranger's newer event: not negative", 5 * H, 2 * H, 0],
  ])('%s', (_, frozen, served, lag) => {
    expect(pipelineLag(Float64Array.of(frozen), Float64Array.of(served))[0]).toBe(lag);
  });

  it('rejects tables of different lengths', () => {
    expect(() => pipelineLag(new Float64Array(2), new Float64Array(3))).toThrow('invalid servedAgeMs: length 3; expected 2 (one per request)');
  });
});

describe('lagStats', () => {
  it('takes quantiles over finite lags and counts empty served views and persons without history apart', () => {
    const s = lagStats(Float64Array.of(0, H, 2 * H, 3 * H, Infinity, NaN, NaN, 4 * H));
    expect(s.emptyShare).toBe(1 / 8);
    expect(s.noHistoryShare).toBe(2 / 8);
    // Type 7 quantiles of [0, 1, 2, 3, 4] h.
    expect(s.quantilesMs.p50).toBe(2 * H);
    expect(s.quantilesMs.p25).toBe(H);
    expect(s.meanMs).toBe(2 * H);
  });
});

describe('lag in a run', () => {
  it('is 0 for every request with history under a stream/oracle pipeline, and the inactivity is the frozen age', async () => {
    const { runSmall } = await import('../helpers.ts');
    const run = await runSmall({
      eval: '{ k: [10], window: 5d, positives: [purchase], bootstrap: 0 }',
      pipelines: ['  - { name: weekly, refresh: 7d, latency: 6h, identity: key }', '  - { name: live, refresh: stream, latency: 0, identity: oracle }'].join(
        '\n',
      ),
    });
    const live = run.results.pipelines.find((p) => p.name === 'live')!;
    expect(live.lag.quantilesMs).toEqual({ p10: 0, p25: 0, p50: 0, p75: 0, p90: 0 });
    expect(live.lag.emptyShare).toBe(0);
    expect(live.lag.noHistoryShare).toBeCloseTo(run.results.frozen.inactivity.emptyShare, 12);
    // The weekly key-level pipeline adds lag, and serves some requests nothing.
    const weekly = run.results.pipelines.find((p) => p.name === 'weekly')!;
    expect(weekly.lag.quantilesMs.p90).toBeGreaterThan(36e5);
    expect(weekly.lag.emptyShare).toBeGreaterThan(0);
    // Served age >= inactivity request by request, so the medians are ordered too.
    expect(weekly.signalAge.quantilesMs.p50).toBeGreaterThanOrEqual(run.results.frozen.inactivity.quantilesMs.p50);
  });
});
