import { describe, expect, it } from 'vitest';
import { verdictAbove } from '../../src/audit/checks.ts';
import { percent, readableDuration } from '../../src/audit/messages.ts';
import { quantileSorted, spread, spreadBySelection } from '../../src/stats/quantiles.ts';
import { Rng } from '../../src/util/rng.ts';

describe('verdictAbove', () => {
  it.each([
    [0.1, 'pass'],
    [0.2, 'pass'], // at the warn threshold: the milder verdict
    [0.2000001, 'warn'],
    [0.4, 'warn'], // at the fail threshold
    [0.4000001, 'fail'],
    [Infinity, 'fail'],
    [NaN, 'unknown'], // nothing measured: the check cannot vouch, and says so
  ] as const)('%d -> %s', (value, verdict) => {
    expect(verdictAbove(value, 0.2, 0.4)).toBe(verdict);
  });
});

describe('quantiles with infinite values', () => {
  it('interpolates finite neighbours and returns Infinity toward an infinite one', () => {
    const x = Float64Array.of(1, 2, Infinity);
    expect(quantileSorted(x, 0.5)).toBe(2);
    expect(quantileSorted(x, 0.25)).toBe(1.5);
    expect(quantileSorted(x, 0.75)).toBe(Infinity);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
  });

  it('summarizes a distribution', () => {
    expect(spread(Float64Array.of(5, 1, 3))).toEqual({ n: 3, p10: 1.4, p25: 2, p50: 3, p75: 4, p90: expect.closeTo(4.6, 12) });
  });
});

describe('message helpers', () => {
  it.each([
    [2.5 * 86_400_000, '2.5 days'],
    [5 * 3_600_000, '5.0 hours'],
    [90_000, '1.5 minutes'],
    [1500, '1s500ms'],
    [Infinity, 'never'],
    [NaN, 'n/a'],
  ])('readableDuration(%d) = %s', (ms, text) => {
    expect(readableDuration(ms)).toBe(text);
  });

  it('formats shares as percentages', () => {
    expect(percent(0.3125)).toBe('31.3%');
    expect(percent(NaN)).toBe('n/a');
  });
});

describe('spreadBySelection', () => {
  it('summarizes a distribution by hand, as spread does', () => {
    expect(spreadBySelection(Float64Array.of(5, 1, 3))).toEqual({ n: 3, p10: 1.4, p25: 2, p50: 3, p75: 4, p90: expect.closeTo(4.6, 12) });
    expect(spreadBySelection(new Float64Array(0))).toEqual({ n: 0, p10: NaN, p25: NaN, p50: NaN, p75: NaN, p90: NaN });
    // NaN sorts last and poisons every interpolation towards it, in both.
    expect(spreadBySelection(Float64Array.of(NaN, 2))).toEqual({ n: 2, p10: NaN, p25: NaN, p50: NaN, p75: NaN, p90: NaN });
  });

  // Sizes around the insertion-sort cut-off and larger; values with many ties, both zeros, Infinity and NaN.
  const draw = (rng: Rng, n: number, kind: number) =>
    Float64Array.from({ length: n }, () => {
      const u = rng.float();
      if (kind === 0) return Math.floor(u * 1e6);
      if (kind === 1) return Math.floor(u * 4); // few distinct values
      if (kind === 2) return u < 0.2 ? -0 : u < 0.4 ? 0 : u < 0.5 ? -1 : u < 0.55 ? Infinity : u < 0.6 ? NaN : u < 0.62 ? -Infinity : u;
      return u < 0.9 ? 0 : u * 1e9; // mostly zero, as same-session delays
    });
  it.each([1, 2, 3, 5, 16, 17, 40, 1000, 20_000])('equals spread (bit for bit, -0 included) on random values: n = %i', (n) => {
    const rng = Rng.fromSeed(n);
    for (let kind = 0; kind < 4; kind++) {
      for (let t = 0; t < 5; t++) {
        const x = draw(rng, n, kind);
        const want = spread(x.slice());
        const got = spreadBySelection(x.slice());
        for (const k of ['n', 'p10', 'p25', 'p50', 'p75', 'p90'] as const)
          expect(Object.is(got[k], want[k]), `${kind} ${k}: ${got[k]} vs ${want[k]}`).toBe(true);
      }
    }
  });
});
