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

describe('the first screen', () => {
  it('says in three sentences what offline says, what production serves and what the best fix recovers, each with its interval', () => {
    const roi = computeRoi(fx.results, parseRequestColumns(fx.requestsCsv, roiColumns(fx.results)));
    const first = narrative(fx.results, roi).first.map(toMd);
    expect(first).toHaveLength(3);
    expect(first[0]).toMatch(/^Offline, `\w+` scores \d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\] ndcg@10\.$/);
    expect(first[1]).toMatch(/^As production serves it today \(`weekly-batch`\), it scores \d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\]: \*\*\d+% less\*\*\.$/);
    // The best fix is a real option (the true-person pipeline is the ceiling, not a fix) with a detectable recovery.
    expect(first[2]).toMatch(/^The best modelled fix, `daily-stitched`, recovers \d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\] of the gap \(\d+%\)/);
    expect(first[2]).not.toContain('streaming-oracle');
  });

  it('says in the served sentence when its identity part comes from fragmentation recgap injected', () => {
    const results = structuredClone(fx.results);
    results.log = { ...results.log, source: 'data', fragment: { sessions: 100, keysBefore: 50, keysAfter: 90, unknownPersonEvents: 0 } };
    const n = narrative(results, computeRoi(results, null));
    expect(toMd(n.first[1])).toMatch(
      /^As production serves it today \(`weekly-batch`\), it scores .*: \*\*\d+% less\*\* \(its identity part comes from device fragmentation recgap injected into this log, an assumption, not an observation\)\.$/,
    );
    expect(n.caveats.map(toMd)).toContain(
      'The log is real data with device fragmentation injected by recgap: the parts of the gap they cause are modelled, not observed (details under run details).',
    );
  });

  it('says when no modelled change recovers a detectable part', () => {
    const results = structuredClone(fx.results);
    results.comparisons.forEach((c) => (c.difference = { mean: 0.001, lo: -0.01, hi: 0.012 }));
    const roi = computeRoi(results, null);
    expect(toMd(narrative(results, roi).first[2])).toBe('No modelled pipeline change recovers a detectable part of it (the true-person ceiling aside).');
  });
});
