import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../src/log/eventLog.ts';
import { groupEvents } from '../../src/log/groupIndex.ts';
import { DRIFT_TAU_MAX_MS, lagEdges, measureDrift, type DriftOptions } from '../../src/audit/drift.ts';
import { fitDriftCurve } from '../../src/audit/driftFit.ts';
import { collectDriftRows } from '../../src/audit/driftPairs.ts';
import { LabelCounts, sampleSimilarity } from '../../src/stats/jsd.ts';
import { auditMsg } from '../../src/audit/messages.ts';
import { driftWorld } from './worlds.ts';

const M = 60_000;
const D = 86_400_000;

/** JSD (bits) between {X, Y} and {X, X}: X has counts 1 and 2, Y counts 1 and 0; divided by 2m = 4. */
const J = (1 * Math.log2(2 / 3) + 2 * Math.log2(4 / 3) + 1) / 4;

describe('sampleSimilarity (1 - JSD of equal-size samples)', () => {
  const counts = new LabelCounts(10);
  it.each([
    ['{3, 5} vs {3, 3}', [3, 3, 5, 3], 0, 1, 2, 1 - J],
    ['single equal labels', [4, 4], 0, 1, 1, 1],
    ['single different labels', [4, 7], 0, 1, 1, 0],
    ['the same multiset in another order', [1, 2, 2, 1], 0, 1, 2, 1],
    ['disjoint samples', [1, 2, 1, 2], 0, 1, 2, 0],
  ])('%s', (_, lab, p, q, m, expected) => {
    expect(sampleSimilarity(Int32Array.from(lab), p, q, m, counts)).toBeCloseTo(expected, 12);
  });

  it('leaves the counting buffers clean', () => {
    sampleSimilarity(Int32Array.of(1, 2, 3, 4), 0, 1, 2, counts);
    expect(counts.x.every((v) => v === 0) && counts.y.every((v) => v === 0)).toBe(true);
  });
});

describe('lagEdges', () => {
  it('puts edges at geometric midpoints and half a step beyond the ends', () => {
    expect([...lagEdges([1, 4, 16])]).toEqual([0.5, 2, 8, 32]);
  });
});

describe('fitDriftCurve', () => {
  const lags = Float64Array.from([0.25, 0.5, 1, 2, 3, 5, 7, 10, 14, 21, 28], (d) => d * D);
  const ones = new Float64Array(lags.length).fill(1);

  it('recovers tau and c from noiseless points', () => {
    const s = lags.map((l) => 0.4 + 0.6 * Math.exp(-l / (3 * D)));
    const fit = fitDriftCurve(lags, s, ones, 3_600_000, 365 * D);
    expect(fit.tauMs / D).toBeCloseTo(3, 6);
    expect(fit.c).toBeCloseTo(0.4, 6);
    expect(fit.tauAtBound).toBe(false);
  });

  it('reports no decay (tau at the upper bound, c = 1) for points at or above 1', () => {
    const s = lags.map((_, k) => (k % 2 ? 1.01 : 0.995));
    const fit = fitDriftCurve(lags, s, ones, 3_600_000, 365 * D);
    expect(fit).toMatchObject({ tauMs: 365 * D, c: 1, tauAtBound: true });
  });

  it('ignores points of weight 0', () => {
    const s = lags.map((l) => 0.5 + 0.5 * Math.exp(-l / (2 * D)));
    s[3] = 0; // an outlier with no weight
    const w = ones.slice();
    w[3] = 0;
    expect(fitDriftCurve(lags, s, w, 3_600_000, 365 * D).tauMs / D).toBeCloseTo(2, 6);
  });
});

/**
 * Person a: four windows of views (label = item) at days 0, 1, 3 and 5, plus a lone view (a window of one,
 * dropped) and a cart (not a view). Person b: one view at day 12, which only stretches the log's span.
 *   w1 day 0: X X Y X  -> halves A = {X, Y}, B = {X, X}
 *   w2 day 1: X Y      -> A = {X}, B = {Y}
 *   w3 day 3: Y Y      -> A = {Y}, B = {Y}
 *   w4 day 5: Y X X X  -> A = {Y, X}, B = {X, X}
 */
function handLog() {
  const v = (t: number, item: string, person = 'a', type = 'view') => ({ t, person, key: person, item, type });
  return logFromRows([
    v(0, 'X'),
    v(1 * M, 'X'),
    v(2 * M, 'Y'),
    v(3 * M, 'X'),
    v(4 * M, 'Y', 'a', 'cart'),
    v(D, 'X'),
    v(D + M, 'Y'),
    v(2 * D, 'Z'), // window of one view
    v(3 * D, 'Y'),
    v(3 * D + M, 'Y'),
    v(5 * D, 'Y'),
    v(5 * D + M, 'X'),
    v(5 * D + 2 * M, 'X'),
    v(5 * D + 3 * M, 'X'),
    v(12 * D, 'X', 'b'),
  ]);
}

describe('collectDriftRows', () => {
  it('averages across-lag and within-window similarities per lag bin, by hand', () => {
    const log = handLog();
    const keep = Uint8Array.from(log.type, (t) => (log.dict.type[t] === 'view' ? 1 : 0));
    const groups = groupEvents(log.person, log.dict.person.length, keep);
    const rows = collectDriftRows({
      labels: log.item,
      nLabels: log.dict.item.length,
      tsMs: log.tsMs,
      groups,
      edgesMs: lagEdges([1, 2, 3, 5].map((d) => d * D)),
      gapMs: 30 * M,
      maxWindows: 500,
    });
    // Pairs (m = smaller half size): w1-w2 lag 1d m 1: cross (0 + 1) / 2, floor (1 + 0) / 2.
    // w2-w3 2d: cross (0 + 1) / 2, floor (0 + 1) / 2; w3-w4 2d: cross (0 + 1) / 2, floor (1 + 0) / 2.
    // w1-w3 3d: cross 0, floor 1.  w2-w4 4d (bin 5d): cross 1, floor 0.  w1-w4 5d, m 2: every half pair is {X,Y} vs {X,X}.
    expect([...rows.entity]).toEqual([0, 0, 0, 0]);
    expect([...rows.bin]).toEqual([0, 1, 2, 3]);
    expect([...rows.pairs]).toEqual([1, 2, 1, 2]);
    expect([...rows.lagMs]).toEqual([D, 2 * D, 3 * D, 4.5 * D]); // between window starts
    const expectedCross = [0.5, 0.5, 0, (1 + (1 - J)) / 2];
    const expectedFloor = [0.5, 0.5, 1, (0 + (1 - J)) / 2];
    rows.cross.forEach((c, r) => expect(c).toBeCloseTo(expectedCross[r], 12));
    rows.floor.forEach((f, r) => expect(f).toBeCloseTo(expectedFloor[r], 12));
  });
});

describe('measureDrift', () => {
  it('turns the rows into points S(D) = mean across / mean within, person-averaged', () => {
    const drift = measureDrift(handLog(), undefined, { lagsMs: [1, 2, 3, 5].map((d) => d * D), minPersons: 1, replicates: 0 });
    expect(drift.by).toBe('person');
    expect(drift.labels).toBe('item');
    expect(drift.persons).toBe(1);
    expect(drift.points.map((p) => p.similarity)).toEqual([1, 1, 0, expect.closeTo((2 - J) / (1 - J), 12)]);
    expect(drift.points.map((p) => p.persons)).toEqual([1, 1, 1, 1]);
  });

  it('maps items to categories when given, and groups by key when the log has no persons', () => {
    const rows = [0, 1, 2, 3].flatMap((d) => [
      { t: d * D, key: 'k', item: 'i1', type: 'view' },
      { t: d * D + M, key: 'k', item: 'i2', type: 'view' },
    ]);
    rows.push({ t: 12 * D, key: 'k', item: 'i1', type: 'view' });
    const log = logFromRows(rows);
    // i1 and i2 share category 0: every half-window holds the same label, so S = 1 at every lag.
    const drift = measureDrift(log, Int32Array.of(0, 0), { lagsMs: [1, 2, 3].map((d) => d * D), minPersons: 1, replicates: 10 });
    expect(drift).toMatchObject({ by: 'key', labels: 'category', status: 'no-decay', tauMs: DRIFT_TAU_MAX_MS, c: 1 });
    expect(drift.points.map((p) => p.similarity)).toEqual([1, 1, 1]);
    // On items the halves never match (i1 vs i2), within a window or across: 0 / 0 gives no usable point.
    expect(measureDrift(log, undefined, { lagsMs: [1, 2, 3].map((d) => d * D), minPersons: 1 }).status).toBe('too-little-data');
  });

  it('reports too little data for a log shorter than twice three lags', () => {
    const log = logFromRows([
      { t: 0, person: 'a', key: 'a', item: 'x', type: 'view' },
      { t: 3 * D, person: 'a', key: 'a', item: 'x', type: 'view' },
    ]);
    const drift = measureDrift(log);
    expect(drift).toMatchObject({ status: 'too-little-data', points: [], persons: 0 });
    expect(drift.tauMs).toBeNaN();
  });

  const tiny = logFromRows([{ t: 0, key: 'a', item: 'x', type: 'view' }]);
  it.each<[string, DriftOptions, string]>([
    ['by', { by: 'device' as 'key' }, auditMsg.invalid('by', 'device', "'person' or 'key'")],
    ['lagsMs', { lagsMs: [D, -1] }, auditMsg.invalid('lagsMs', -1, 'positive finite lags in ms')],
    ['lagsMs twice', { lagsMs: [D, D] }, auditMsg.invalid('lagsMs', D, 'distinct lags')],
    ['replicates', { replicates: -1 }, auditMsg.invalid('replicates', -1, 'a non-negative integer')],
    ['level', { level: 1.5 }, auditMsg.invalid('level', 1.5, 'a number in (0, 1)')],
    ['minPersons', { minPersons: 0 }, auditMsg.invalid('minPersons', 0, 'a positive integer')],
    ['gapMs', { gapMs: 0 }, auditMsg.invalid('gapMs', 0, 'a positive duration in ms')],
  ])('rejects invalid %s', (_, opts, message) => {
    expect(() => measureDrift(tiny, undefined, opts)).toThrow(message);
  });

  it('rejects a category array that does not cover the items', () => {
    expect(() => measureDrift(tiny, new Int32Array(0))).toThrow(auditMsg.invalid('categoryOf', 'length 0', 'one category per item (1)'));
    expect(() => measureDrift(tiny, Int32Array.of(-2))).toThrow(auditMsg.invalid('categoryOf', '-2 at item 0', 'non-negative category indices'));
  });
});

describe('measureDrift on synthetic worlds', () => {
  it('is deterministic for a seed; the bootstrap seed moves only the band', () => {
    const w = driftWorld(0.3, 2, 5, 1500);
    const a = measureDrift(w.log, w.items.category, { seed: 3, replicates: 50 });
    const b = measureDrift(w.log, w.items.category, { seed: 3, replicates: 50 });
    expect(b).toEqual(a);
    const c = measureDrift(w.log, w.items.category, { seed: 4, replicates: 50 });
    expect(c.tauMs).toBe(a.tauMs);
    expect(c.points).toEqual(a.points);
    expect(c.band).not.toEqual(a.band);
  });

  it('reports no decay without drift (kappa = 0), on categories and on items', () => {
    for (const seed of [1, 2]) {
      const w = driftWorld(0, 0, seed);
      for (const categories of [w.items.category, undefined]) {
        const d = measureDrift(w.log, categories, { seed });
        expect(d.status).toBe('no-decay');
        expect(d.tauMs).toBe(DRIFT_TAU_MAX_MS);
        expect(d.c).toBe(1);
        // Replicates find no material decline either, or one so slow it sits beyond the lag grid.
        expect(d.band.hi).toBe(DRIFT_TAU_MAX_MS);
        expect(d.band.lo).toBeGreaterThan(60 * D);
        expect(d.halfLifeMs).toBe(DRIFT_TAU_MAX_MS * Math.LN2);
        expect(Math.abs(d.decline)).toBeLessThan(0.02);
        for (const p of d.points) expect(Math.abs(p.similarity - 1)).toBeLessThan(0.08);
      }
    }
  });
});
