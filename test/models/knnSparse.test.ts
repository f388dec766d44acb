import { describe, expect, it } from 'vitest';
import { fitItemKnn, itemKnnFromSaved } from '../../src/models/itemknn.ts';
import { mapItems } from '../../src/models/itemMap.ts';
import type { ItemKnnConfig } from '../../src/models/itemknn.ts';
import type { SavedModel } from '../../src/models/artifacts.ts';
import { groupEvents, groupPrefix, lowerBoundTime } from '../../src/log/groupIndex.ts';
import { clusterLog, D, fitContext } from './fixtures.ts';

describe('item-kNN sparse scores', () => {
  const log = clusterLog(3, 120, 40, 4);
  const untilMs = 12 * D;
  const knn = fitItemKnn('knn', fitContext(log, untilMs), { neighbors: 5, halfLifeMs: 2 * D, shrink: 2 });
  const byPerson = groupEvents(log.person, log.dict.person.length);

  it('writes exactly the dense row at the items a profile reaches, and the prior elsewhere', () => {
    const sparse = knn.sparse!;
    const n = log.dict.item.length;
    const saved = knn.toSaved!() as SavedModel<ItemKnnConfig>;
    const [nbr, sim, prior] = saved.weights.map((w) => w.data) as [Int32Array, Float32Array, Float32Array];
    const m = saved.config.neighbors;
    const decay = Math.LN2 / saved.config.halfLifeMs;
    /** The definition, written plainly: W_i per distinct item in first-event order, float32 row from the prior. */
    const reference = (events: Int32Array, out: Float32Array) => {
      out.set(prior);
      const ref = log.tsMs[events[events.length - 1]];
      const weights = new Map<number, number>();
      for (const e of events) {
        const w = (saved.config.typeWeights[log.dict.type[log.type[e]]] ?? 1) * Math.exp(-decay * (ref - log.tsMs[e]));
        weights.set(log.item[e], (weights.get(log.item[e]) ?? 0) + w);
      }
      for (const [i, w] of weights) {
        out[i] = Math.fround(out[i] + w);
        for (let t = 0; t < m && nbr[i * m + t] >= 0; t++) out[nbr[i * m + t]] = Math.fround(out[nbr[i * m + t]] + w * sim[i * m + t]);
      }
    };
    const dense = new Float32Array(n);
    const own = new Float32Array(n);
    let checked = 0;
    for (let p = 0; p < log.dict.person.length; p += 7) {
      const events = groupPrefix(byPerson, p, lowerBoundTime(log.tsMs, untilMs + p * 3_600_000));
      const profile = { events, nowMs: untilMs, requestId: p };
      reference(events, dense);
      knn.score(profile, own);
      expect(own).toEqual(dense);
      sparse.scores.fill(Number.NaN);
      const nt = sparse.score(profile);
      const row = sparse.scores;
      const seen = new Set(Array.from(sparse.touched.subarray(0, nt)));
      expect(seen.size).toBe(nt); // no item listed twice
      for (let i = 0; i < n; i++) {
        if (seen.has(i)) expect(row[i]).toBe(dense[i]);
        else {
          expect(row[i]).toBeNaN(); // untouched entries left alone
          expect(dense[i]).toBe(sparse.baseline[i]);
        }
      }
      checked += nt;
    }
    expect(checked).toBeGreaterThan(0);
    // The empty profile reaches nothing: its row is the prior.
    expect(sparse.score({ events: new Int32Array(0), nowMs: untilMs, requestId: 0 })).toBe(0);
  });

  it('is offered only in the log order (a model mapped through other item ids ranks densely)', () => {
    const saved = knn.toSaved!() as SavedModel<ItemKnnConfig>;
    const reversed = [...log.dict.item].reverse();
    expect(itemKnnFromSaved(saved, log, mapItems(saved.items, log.dict.item)).sparse).toBeDefined();
    expect(itemKnnFromSaved(saved, log, mapItems(saved.items, reversed)).sparse).toBeUndefined();
  });
});
