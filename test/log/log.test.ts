import { describe, expect, it } from 'vitest';
import { logFromRows, finishLog, allocColumns } from '../../src/log/eventLog.ts';
import { sessionize } from '../../src/log/sessionize.ts';
import { groupEvents, groupPrefix, lowerBoundTime } from '../../src/log/groupIndex.ts';

const M = 60_000;

describe('sessionize', () => {
  it('splits each key at gaps of at least the threshold and numbers sessions by start', () => {
    const log = logFromRows([
      { t: 0, key: 'a', item: 'x', type: 'view' },
      { t: 10 * M, key: 'b', item: 'x', type: 'view' },
      { t: 29 * M, key: 'a', item: 'x', type: 'view' }, // gap 29m: same session
      { t: 45 * M, key: 'b', item: 'x', type: 'view' }, // gap 35m: new session
      { t: 59 * M, key: 'a', item: 'x', type: 'view' }, // gap exactly 30m: new session
      { t: 60 * M, key: 'a', item: 'x', type: 'view' },
    ]);
    expect([...sessionize(log, 30 * M)]).toEqual([0, 1, 0, 2, 3, 3]);
  });
});

describe('event log', () => {
  it('sorts by time stably and keeps every column aligned', () => {
    const cols = allocColumns(4);
    cols.tsMs.set([5, 1, 5, 0]);
    cols.item.set([10, 11, 12, 13]);
    cols.key.set([0, 1, 2, 3]);
    const log = finishLog(cols, 4, { person: [], key: ['a', 'b', 'c', 'd'], login: [], item: [], channel: [], type: [] });
    expect([...log.tsMs]).toEqual([0, 1, 5, 5]);
    expect([...log.item]).toEqual([13, 11, 10, 12]);
    expect([...log.key]).toEqual([3, 1, 0, 2]);
  });

  it('groups event indices by id in time order, and prefixes stop strictly before a time', () => {
    const log = logFromRows([
      { t: 1, person: 'A', key: 'a', item: 'x', type: 'view' },
      { t: 2, person: 'B', key: 'b', item: 'x', type: 'view' },
      { t: 3, person: 'A', key: 'a', item: 'y', type: 'view' },
      { t: 4, person: 'A', key: 'a', item: 'z', type: 'view' },
    ]);
    const byPerson = groupEvents(log.person, 2);
    expect([...byPerson.offsets]).toEqual([0, 3, 4]);
    expect([...byPerson.events]).toEqual([0, 2, 3, 1]);
    expect([...groupPrefix(byPerson, 0, lowerBoundTime(log.tsMs, 4))]).toEqual([0, 2]);
    expect([...groupPrefix(byPerson, 0, lowerBoundTime(log.tsMs, 3.5))]).toEqual([0, 2]);
    expect([...groupPrefix(byPerson, 1, lowerBoundTime(log.tsMs, 2))]).toEqual([]);
  });
});
