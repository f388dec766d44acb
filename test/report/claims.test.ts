// Claims need their interval: "recovers", "does worse" and money are said only when the paired interval
// excludes 0; otherwise the report says there is no detectable difference.
import { describe, expect, it } from 'vitest';
import { loadFixture } from './helpers.ts';
import { narrative } from '../../src/report/narrative.ts';
import { computeRoi, roiColumns } from '../../src/report/roi.ts';
import { parseRequestColumns } from '../../src/report/requestColumns.ts';
import { toMd } from '../../src/report/prose.ts';

const fx = loadFixture();

function story(mutate: (c: (typeof fx.results.comparisons)[number]) => void) {
  const results = structuredClone(fx.results);
  results.comparisons.forEach(mutate);
  const roi = computeRoi(results, parseRequestColumns(fx.requestsCsv, roiColumns(results)));
  return narrative(results, roi).recovers.map(toMd);
}

describe('recovery claims', () => {
  it('says "recovers" only for an interval above 0 and "does worse" only for one below 0', () => {
    const up = story((c) => (c.difference = { mean: 0.02, lo: 0.01, hi: 0.03 }));
    expect(up.every((p) => p.includes(' recovers 0.0200 [0.0100, 0.0300]'))).toBe(true);
    const down = story((c) => (c.difference = { mean: -0.02, lo: -0.03, hi: -0.01 }));
    expect(down.every((p) => p.includes(' does worse: it loses a further 0.0200 [0.0100, 0.0300]'))).toBe(true);
  });

  it('says "no detectable difference" when the interval includes 0, whatever the sign of the mean', () => {
    for (const d of [
      { mean: 0.004, lo: -0.002, hi: 0.01 },
      { mean: -0.004, lo: -0.01, hi: 0.002 },
      { mean: -0.004, lo: NaN, hi: NaN },
    ]) {
      const paras = story((c) => (c.difference = d));
      expect(paras.length).toBeGreaterThan(0);
      for (const p of paras) {
        expect(p).toContain('makes no detectable difference');
        expect(p).not.toMatch(/recovers|does worse/);
      }
    }
  });
});
