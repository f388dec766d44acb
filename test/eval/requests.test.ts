import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../src/log/eventLog.ts';
import { buildRequests } from '../../src/eval/requests.ts';

const D = 86_400_000;
// Items are interned in order of first appearance: i1=0, i2=1, i3=2, i4=3.
const log = logFromRows([
  { t: 1 * D, person: 'A', key: 'a', item: 'i1', type: 'purchase', session: 0 },
  { t: 2 * D, person: 'B', key: 'b', item: 'i2', type: 'view', session: 1 },
  { t: 10 * D, person: 'A', key: 'a', item: 'i2', type: 'view', session: 2 },
  { t: 10.1 * D, person: 'A', key: 'a', item: 'i2', type: 'purchase', session: 2 },
  { t: 11 * D, person: 'B', key: 'b', item: 'i1', type: 'view', session: 3 },
  { t: 12 * D, person: 'A', key: 'a2', item: 'i3', type: 'view', session: 4 },
  { t: 12.05 * D, person: 'A', key: 'a2', item: 'i1', type: 'purchase', session: 4 },
  { t: 12.06 * D, person: 'A', key: 'a2', item: 'i3', type: 'purchase', session: 4 },
  { t: 12.5 * D, person: 'A', key: 'a', item: 'i3', type: 'purchase', session: 5 },
  { t: 14 * D, person: 'B', key: 'b', item: 'i4', type: 'purchase', session: 6 },
  { t: 16 * D, person: 'B', key: 'b', item: 'i4', type: 'view', session: 7 },
]);
const isPositive = new Uint8Array(256);
isPositive[log.dict.type.indexOf('purchase')] = 1;
const names = (items: Int32Array) => [...items].map((i) => log.dict.item[i]);

describe('buildRequests', () => {
  it('takes session starts after the split, labels on any key in [t, t + W), drops and counts the rest', () => {
    const r = buildRequests(log, { untilMs: 9 * D, windowMs: 3 * D, isPositive, excludeSeen: 'none' });
    // Candidates: sessions 2, 3, 4, 5, 6, 7 (6). Censored: t + 3d > 16d for sessions 6 (14d) and 7 (16d).
    // Session 3 (B at 11d): B's next purchase is at 14d, outside [11d, 14d) -> no labels.
    expect(r.counts).toEqual({ candidates: 6, censored: 2, noLabels: 1, requests: 3, persons: 1 });
    expect([...r.session]).toEqual([2, 4, 5]);
    // Session 2 at 10d: purchases in [10d, 13d) on keys a and a2: i2, i1, i3, i3 -> distinct, ascending ids.
    expect(names(r.labelItems.subarray(r.labelOffsets[0], r.labelOffsets[1]))).toEqual(['i1', 'i2', 'i3']);
    expect(names(r.labelItems.subarray(r.labelOffsets[1], r.labelOffsets[2]))).toEqual(['i1', 'i3']);
    expect(names(r.labelItems.subarray(r.labelOffsets[2], r.labelOffsets[3]))).toEqual(['i3']);
    expect(log.dict.key[r.key[1]]).toBe('a2');
  });

  it('never puts a label outside [t, t + W) (invariant 6)', () => {
    const r = buildRequests(log, { untilMs: 0, windowMs: 2 * D, isPositive, excludeSeen: 'none' });
    for (let q = 0; q < r.length; q++) {
      const p = r.person[q];
      for (let o = r.labelOffsets[q]; o < r.labelOffsets[q + 1]; o++) {
        const item = r.labelItems[o];
        const hit = [...Array(log.length).keys()].some(
          (e) => log.person[e] === p && log.item[e] === item && isPositive[log.type[e]] && log.tsMs[e] >= r.tsMs[q] && log.tsMs[e] < r.tsMs[q] + 2 * D,
        );
        expect(hit).toBe(true);
      }
    }
  });

  it('excludeSeen person removes items the person already converted on, from labels and (for every view) ranking', () => {
    const r = buildRequests(log, { untilMs: 9 * D, windowMs: 3 * D, isPositive, excludeSeen: 'person' });
    // A bought i1 on day 1: request at 10d loses i1 from its labels; at 12.5d A has also bought i2, i1, i3.
    expect(names(r.labelItems.subarray(r.labelOffsets[0], r.labelOffsets[1]))).toEqual(['i2', 'i3']);
    expect(names(r.seenItems!.subarray(r.seenOffsets![0], r.seenOffsets![1]))).toEqual(['i1']);
    // Session 4 at 12d: i1 seen (day 1), so only i3 remains; session 5 at 12.5d: i3 already bought at 12.06d.
    expect(r.counts.requests).toBe(2);
    expect(names(r.labelItems.subarray(r.labelOffsets[1], r.labelOffsets[2]))).toEqual(['i3']);
  });
});
