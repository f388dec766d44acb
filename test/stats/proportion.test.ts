import { describe, expect, it } from 'vitest';
import { normalQuantile, wilsonInterval } from '../../src/stats/proportion.ts';
import { verdictWithin } from '../../src/audit/checks.ts';

describe('wilsonInterval', () => {
  it('matches hand-computed bounds', () => {
    // 0 of 10: centre = (z²/20) / (1 + z²/10), half the same: upper = 2 centre = 0.27753.
    const z2 = 1.959963984540054 ** 2;
    const zero = wilsonInterval(0, 10);
    expect(zero.lo).toBe(0);
    expect(zero.hi).toBeCloseTo((2 * (z2 / 20)) / (1 + z2 / 10), 9);
    // 5 of 10: symmetric around 0.5, half = z/(1 + z²/10) * sqrt(0.025 + z²/400) = 0.2841.
    const half = wilsonInterval(0.5, 10);
    expect(half.lo + half.hi).toBeCloseTo(1, 12);
    expect(half.hi - 0.5).toBeCloseTo((1.959963984540054 / (1 + z2 / 10)) * Math.sqrt(0.025 + z2 / 400), 9);
  });

  it('has no interval below one unit or for a share outside [0, 1]', () => {
    expect(wilsonInterval(0.2, 0.5).lo).toBeNaN();
    expect(wilsonInterval(1.2, 100).hi).toBeNaN();
  });

  it('inverts the normal distribution', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
  });
});

describe('verdictWithin (warn above 0.1, fail above 0.25)', () => {
  it.each([
    [{ mean: 0.02, lo: 0.01, hi: 0.1 }, 'pass'],
    [{ mean: 0.09, lo: 0.07, hi: 0.11 }, 'warn'],
    [{ mean: 0.2, lo: 0.15, hi: 0.3 }, 'warn'],
    [{ mean: 0.3, lo: 0.26, hi: 0.34 }, 'fail'],
    [{ mean: 0.3, lo: 0.25, hi: 0.34 }, 'warn'],
    [{ mean: 0, lo: 0, hi: 0.28 }, 'unknown'],
    [{ mean: 0.02, lo: Number.NaN, hi: Number.NaN }, 'unknown'],
  ] as const)('%o -> %s', (i, verdict) => {
    expect(verdictWithin(i, 0.1, 0.25)).toBe(verdict);
  });
});
