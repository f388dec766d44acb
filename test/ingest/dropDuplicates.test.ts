// Duplicate events on time-sorted columns: repeats of a kept row dropped and counted with their records, in
// short runs of equal times (compared one by one) and long ones (found by hash); anything different is kept.
import { describe, expect, it } from 'vitest';
import { dropDuplicates } from '../../src/ingest/dropDuplicates.ts';
import { allocColumns, type LogColumns } from '../../src/log/eventLog.ts';

/** Sorted columns from rows of [tsMs, item, value]; every other column 0. */
function columns(rows: Array<[number, number, number]>): LogColumns {
  const cols = allocColumns(rows.length);
  rows.forEach(([t, item, value], i) => {
    cols.tsMs[i] = t;
    cols.item[i] = item;
    cols.value[i] = value;
  });
  return cols;
}

describe('dropDuplicates', () => {
  it('drops repeats within a run of equal times, keeps the first, moves every column along', () => {
    const cols = columns([
      [1, 7, 1],
      [1, 8, 1],
      [1, 7, 1],
      [2, 7, 1],
      [2, 7, 2],
      [2, 7, 1],
    ]);
    const ip = Int32Array.from([10, 11, 10, 13, 14, 13]);
    const records = Int32Array.from([1, 2, 3, 4, 5, 6]);
    const { length, duplicates } = dropDuplicates(cols, [ip], records);
    expect(length).toBe(4);
    expect(duplicates).toEqual({
      count: 2,
      first: [
        { record: 3, original: 1 },
        { record: 6, original: 4 },
      ],
    });
    expect(Array.from(cols.tsMs.subarray(0, 4))).toEqual([1, 1, 2, 2]);
    expect(Array.from(cols.item.subarray(0, 4))).toEqual([7, 8, 7, 7]);
    expect(Array.from(cols.value.subarray(0, 4))).toEqual([1, 1, 1, 2]);
    expect(Array.from(ip.subarray(0, 4))).toEqual([10, 11, 13, 14]);
    expect(Array.from(records.subarray(0, 4))).toEqual([1, 2, 4, 5]);
  });

  it('an identity signal that differs makes a different event; so do -0 and 0', () => {
    const cols = columns([
      [1, 7, 0],
      [1, 7, -0],
      [1, 7, 0],
    ]);
    const ip = Int32Array.from([1, 1, 2]);
    expect(dropDuplicates(cols, [ip], Int32Array.from([1, 2, 3])).length).toBe(3);
  });

  it('long runs of one time: found by hash, the same as one by one', () => {
    // 400 events at one time over 50 items: 350 repeats, in a file order that is not the time order.
    const rows: Array<[number, number, number]> = Array.from({ length: 400 }, (_, i) => [5, (i * 7) % 50, 1]);
    const records = Int32Array.from(rows, (_, i) => 1000 - i);
    const cols = columns(rows);
    const { length, duplicates } = dropDuplicates(cols, [], records);
    expect(length).toBe(50);
    expect(new Set(cols.item.subarray(0, 50)).size).toBe(50);
    expect(duplicates.count).toBe(350);
    // The first five in file order (lowest records), ascending.
    expect(duplicates.first.map((d) => d.record)).toEqual([601, 602, 603, 604, 605]);
    for (const d of duplicates.first) expect(d.original).toBeGreaterThan(d.record);
  });

  it('names a record once when it holds several repeated events (OTTO)', () => {
    const cols = columns([
      [1, 7, 1],
      [1, 7, 1],
      [1, 7, 1],
    ]);
    const { duplicates } = dropDuplicates(cols, [], Int32Array.from([4, 9, 9]));
    expect(duplicates).toEqual({ count: 2, first: [{ record: 9, original: 4 }] });
  });

  it('no repeats: nothing moves', () => {
    const cols = columns([
      [1, 1, 1],
      [2, 1, 1],
      [2, 2, 1],
    ]);
    expect(dropDuplicates(cols, [], Int32Array.from([1, 2, 3]))).toEqual({ length: 3, duplicates: { count: 0, first: [] } });
  });
});
