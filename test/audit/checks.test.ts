import { describe, expect, it } from 'vitest';
import { verdictAbove } from '../../src/audit/checks.ts';
import { percent, readableDuration } from '../../src/audit/messages.ts';
import { quantileSorted, spread } from '../../src/stats/quantiles.ts';

describe('verdictAbove', () => {
  it.each([
    [0.1, 'pass'],
    [0.2, 'pass'], // at the warn threshold: the milder verdict
    [0.2000001, 'warn'],
    [0.4, 'warn'], // at the fail threshold
    [0.4000001, 'fail'],
    [Infinity, 'fail'],
    [NaN, 'warn'], // nothing measured: the check cannot vouch
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
