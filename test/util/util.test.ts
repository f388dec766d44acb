import { describe, expect, it } from 'vitest';
import { parseDurationMs, formatDurationMs } from '../../src/util/duration.ts';
import { Rng, AliasTable } from '../../src/util/rng.ts';
import { closest } from '../../src/util/closest.ts';

describe('durations', () => {
  it.each([
    ['7d', 604_800_000],
    ['6h', 21_600_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['0', 0],
    [0, 0],
    ['1.5d', 129_600_000],
  ])('parses %s', (text, ms) => expect(parseDurationMs(text)).toBe(ms));
  it.each(['', '7', 'd', '7 days', '-1d', '1y', 5])('rejects %s', (text) => expect(parseDurationMs(text)).toBeUndefined());
  it('formats compactly', () => {
    expect(formatDurationMs(604_800_000)).toBe('7d');
    expect(formatDurationMs(5_400_000)).toBe('1h30m');
    expect(formatDurationMs(0)).toBe('0');
  });
});

describe('Rng', () => {
  it('is deterministic per seed, and forks depend only on the name', () => {
    const a = Rng.fromSeed(7);
    const b = Rng.fromSeed(7);
    a.float();
    a.float();
    expect(a.fork('identity').float()).toBe(b.fork('identity').float());
    expect(Rng.fromSeed(7).fork('x').float()).not.toBe(Rng.fromSeed(7).fork('y').float());
    expect(Rng.fromSeed(7).float()).not.toBe(Rng.fromSeed(8).float());
  });

  it('draws with the right moments', () => {
    const r = Rng.fromSeed(1);
    const n = 200_000;
    let sn = 0,
      sn2 = 0,
      se = 0,
      sp = 0,
      sg = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      se += r.exponential(2);
      sp += r.poisson(3.5);
      sg += r.gamma(0.7, 2);
    }
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
    expect(se / n).toBeCloseTo(0.5, 2);
    expect(sp / n).toBeCloseTo(3.5, 1);
    expect(sg / n).toBeCloseTo(1.4, 1);
  });

  it('alias tables sample in proportion to weights', () => {
    const t = new AliasTable([1, 2, 7]);
    const r = Rng.fromSeed(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[t.sample(r)]++;
    expect(counts[0] / 1e5).toBeCloseTo(0.1, 2);
    expect(counts[2] / 1e5).toBeCloseTo(0.7, 2);
  });
});

describe('closest', () => {
  it('suggests near misses only', () => {
    expect(closest('kapa', ['kappa', 'sigma'])).toBe('kappa');
    expect(closest('pipline', ['pipelines', 'models'])).toBe('pipelines');
    expect(closest('zzzzzz', ['kappa', 'sigma'])).toBeUndefined();
  });
});
