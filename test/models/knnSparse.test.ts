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
    const dense = new Float32Array(n);
    const row = new Float32Array(n);
    const touched = new Int32Array(n);
    let checked = 0;
    for (let p = 0; p < log.dict.person.length; p += 7) {
      const events = groupPrefix(byPerson, p, lowerBoundTime(log.tsMs, untilMs + p * 3_600_000));
      const profile = { events, nowMs: untilMs, requestId: p };
      knn.score(profile, dense);
      row.fill(Number.NaN);
      const nt = sparse.score(profile, row, touched);
      const seen = new Set(Array.from(touched.subarray(0, nt)));
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
    expect(sparse.score({ events: new Int32Array(0), nowMs: untilMs, requestId: 0 }, row, touched)).toBe(0);
  });

  it('is offered only in the log order (a model mapped through other item ids ranks densely)', () => {
    const saved = knn.toSaved!() as SavedModel<ItemKnnConfig>;
    const reversed = [...log.dict.item].reverse();
    expect(itemKnnFromSaved(saved, log, mapItems(saved.items, log.dict.item)).sparse).toBeDefined();
    expect(itemKnnFromSaved(saved, log, mapItems(saved.items, reversed)).sparse).toBeUndefined();
  });
});
