import { describe, expect, it } from 'vitest';
import { minimizeOnGrid } from '../../src/stats/minimize.ts';

describe('minimizeOnGrid', () => {
  it('finds an interior minimum to the tolerance', () => {
    const { x, atBound } = minimizeOnGrid((v) => (v - 1.234567) ** 2, 0, 3, 60, 1e-9);
    expect(x).toBeCloseTo(1.234567, 8);
    expect(atBound).toBe(false);
  });

  it('takes the best grid cell among several local minima', () => {
    // Minima near 0.5 (value 0.2) and 2.5 (value 0): the grid must pick the second.
    const f = (v: number) => Math.min((v - 0.5) ** 2 + 0.2, (v - 2.5) ** 2);
    expect(minimizeOnGrid(f, 0, 3, 60, 1e-9).x).toBeCloseTo(2.5, 7);
  });

  it('says when the minimum sits at an end of the range', () => {
    const { x, atBound } = minimizeOnGrid((v) => v, 0, 3, 60, 1e-9);
    expect(x).toBeLessThan(1e-3);
    expect(atBound).toBe(true);
  });
});
