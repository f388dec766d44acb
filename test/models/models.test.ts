import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../src/log/eventLog.ts';
import { fitItemKnn } from '../../src/models/itemknn.ts';
import { fitPopularity } from '../../src/models/popularity.ts';
import { fitModel } from '../../src/models/fit.ts';
import { fitContext, HAND_TRAIN } from './fixtures.ts';

const D = 86_400_000;
type Row = Parameters<typeof logFromRows>[0][number];

// Persons' item sets before the split (HAND_TRAIN): P0 {a, b}, P1 {a, b, c}, P2 {c, d}; a=0, b=1, c=2, d=3.
const train: readonly Row[] = HAND_TRAIN;
const after: Row[] = [
  { t: 20 * D, person: 'P0', key: 'k0', item: 'd', type: 'purchase' },
  { t: 20.1 * D, person: 'P0', key: 'k0', item: 'c', type: 'purchase' },
  { t: 21 * D, person: 'P2', key: 'k2', item: 'a', type: 'purchase' },
];
const log = logFromRows([...train, ...after]);
const untilMs = 10 * D;
const scores = (model: ReturnType<typeof fitItemKnn>, events: number[], nowMs: number) => {
  const out = new Float32Array(model.nItems);
  model.score({ events: Int32Array.from(events), nowMs, requestId: 0 }, out);
  return [...out];
};

describe('itemknn', () => {
  const knn = fitItemKnn('knn', fitContext(log, untilMs), { neighbors: 10, halfLifeMs: D, shrink: 0 });
  // degree a=2, b=2, c=2, d=1; co(a,b)=2, co(a,c)=1, co(b,c)=1, co(c,d)=1.
  // sim(a,b) = 2/sqrt(2*2) = 1; sim(a,c) = sim(b,c) = 1/2; sim(c,d) = 1/sqrt(2); sim(a,d) = 0.
  it('scores a one-view profile by cosine similarity (self-similarity 1)', async () => {
    // Profile: P0's view of a (event 0). Prior = 1e-6 * degree / 2.
    const s = scores(knn, [0], 1 * D);
    expect(s[0]).toBeCloseTo(1 + 1e-6, 6);
    expect(s[1]).toBeCloseTo(1 + 1e-6, 6);
    expect(s[2]).toBeCloseTo(0.5 + 1e-6, 6);
    expect(s[3]).toBeCloseTo(0.5e-6, 9);
  });

  it('weights events by type and halves them every half-life before the newest event', async () => {
    // Events 0 (view a at 1d: 0.1 half-lives before the newest, weight 2^-0.1) and 1 (purchase b at 1.1d, weight 2).
    const wa = Math.pow(2, -0.1);
    const s = scores(knn, [0, 1], 1.1 * D);
    expect(s[0]).toBeCloseTo(wa * 1 + 2 * 1, 5);
    expect(s[1]).toBeCloseTo(wa * 1 + 2 * 1, 5);
    expect(s[2]).toBeCloseTo(wa * 0.5 + 2 * 0.5, 5);
    expect(s[3]).toBeCloseTo(0, 5);
  });

  it('ranks an empty profile by training popularity', async () => {
    const s = scores(knn, [], 5 * D);
    expect(s[3]).toBeLessThan(s[0]);
    expect(s[0]).toBe(s[1]);
  });

  it('never learns from events at or after the split (invariant 6)', async () => {
    const other = logFromRows([
      ...train,
      { t: 30 * D, person: 'P1', key: 'k1', item: 'd', type: 'purchase' },
      { t: 31 * D, person: 'P2', key: 'k2', item: 'b', type: 'view' },
    ]);
    const a = fitItemKnn('knn', fitContext(log, untilMs), { neighbors: 10, halfLifeMs: D, shrink: 0 });
    const b = fitItemKnn('knn', fitContext(other, untilMs), { neighbors: 10, halfLifeMs: D, shrink: 0 });
    for (const ev of [[0], [2, 3], [5, 6]]) expect(scores(b, ev, 4 * D)).toEqual(scores(a, ev, 4 * D));
  });
});

describe('popularity', () => {
  it('counts positive events before the split only', async () => {
    const pop = fitPopularity('pop', fitContext(log, untilMs));
    const out = new Float32Array(pop.nItems);
    pop.score({ events: new Int32Array(), nowMs: 0, requestId: 0 }, out);
    // Purchases before 10d: b once, c once, d twice; the post-split purchases of d, c, a are ignored.
    expect([...out]).toEqual([0, 1, 1, 2]);
    expect(pop.dependsOn).toBe('none');
  });

  it('with a half-life, weighs each positive event by 2^(-(until - ts) / halfLife)', async () => {
    const pop = fitPopularity('recent', fitContext(log, untilMs), 2 * D);
    const out = new Float32Array(pop.nItems);
    pop.score({ events: new Int32Array(), nowMs: 0, requestId: 0 }, out);
    const w = (t: number) => Math.pow(2, -(10 - t) / 2);
    expect(out[1]).toBeCloseTo(w(1.1), 6);
    expect(out[2]).toBeCloseTo(w(2.2), 6);
    expect(out[3]).toBeCloseTo(w(3.1) + w(3.2), 6);
    expect(out[0]).toBe(0);
  });
});

describe('fitModel', () => {
  it('builds each model type from its spec, with per-model random streams', async () => {
    const c = fitContext(log, untilMs);
    expect((await fitModel({ name: 'p', type: 'popularity' }, c)).type).toBe('popularity');
    expect((await fitModel({ name: 'r', type: 'recency-popularity', halfLifeMs: D }, c)).type).toBe('recency-popularity');
    expect((await fitModel({ name: 'k', type: 'itemknn', neighbors: 5, halfLifeMs: D, shrink: 1 }, c)).dependsOn).toBe('events');
    const r1 = await fitModel({ name: 'r1', type: 'random' }, c);
    const r2 = await fitModel({ name: 'r1', type: 'random' }, c);
    const r3 = await fitModel({ name: 'r3', type: 'random' }, c);
    const s = (m: typeof r1) => {
      const o = new Float32Array(m.nItems);
      m.score({ events: new Int32Array(), nowMs: 0, requestId: 42 }, o);
      return [...o];
    };
    expect(s(r1)).toEqual(s(r2));
    expect(s(r1)).not.toEqual(s(r3));
  });
});
