// Each generic format (csv, gzip csv, jsonl, gzip jsonl, parquet, arrow) loads the same fixture to the same
// columns; a mapped CSV with an event map and inactivity sessions; the report's counts.
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/readLog.ts';
import { dataSpec, decode, f32, type Row } from './helpers.ts';
import type { DataFormat } from '../../src/scenario/types.ts';

const T0 = 1_700_000_000_000;

/** canonical.* sorted by time, ties in file order; session ids in order of first appearance in time order. */
const CANONICAL: Row[] = [
  [T0, 'p2', 'c2', null, 'mweb', 0, 'i2', 'view', 1],
  [T0, 'p2', 'c2', null, 'mweb', 0, 'i1', 'cart', 1],
  [T0 + 60_000, 'p1', 'a1', 'u1', 'app', 1, 'i1', 'view', 1],
  [T0 + 60_000, null, 'c3', null, 'desktop', 2, 'i1', 'cart', 2.5],
  [T0 + 120_000, 'p1', 'a1', 'u1', 'app', 1, 'i3', 'purchase', f32(19.99)],
];

describe('generic formats', () => {
  const cases: Array<[string, DataFormat, 'iso' | 'ms']> = [
    ['canonical.csv', 'csv', 'ms'],
    ['canonical.csv.gz', 'csv', 'ms'],
    ['canonical.jsonl', 'jsonl', 'ms'],
    ['canonical.jsonl.gz', 'jsonl', 'ms'],
    ['canonical.parquet', 'parquet', 'iso'],
    ['canonical.arrow', 'arrow', 'iso'],
  ];
  it.each(cases)('%s (%s) loads every column exactly', async (file, format, unit) => {
    const { log, report } = await readLog(dataSpec(file, format));
    const expected = format === 'parquet' ? CANONICAL.map((r): Row => [...r.slice(0, 6), r[6].slice(1), ...r.slice(7)] as Row) : CANONICAL;
    expect(decode(log)).toEqual(expected);
    expect(log.dict.person).toEqual(['p1', 'p2']);
    expect(log.dict.key).toEqual(['a1', 'c2', 'c3']);
    expect(log.dict.login).toEqual(['u1']);
    expect(log.dict.channel).toEqual(['app', 'mweb', 'desktop']);
    expect(log.dict.type).toEqual(['view', 'cart', 'purchase']);
    expect(report).toMatchObject({ format, rows: 5, loaded: 5, dropped: [], personsKnown: 'some', anonymousEvents: 1, timeUnit: unit });
    expect(report.file).toBe(dataSpec(file, format).path);
    expect(report.seconds).toBeGreaterThan(0);
  });

  it('maps columns, detects the delimiter, maps events, cuts sessions by inactivity and defaults the rest', async () => {
    const spec = dataSpec('mapped.csv', 'csv', {
      columns: { time: 'ts', person: 'user', item: 'sku', event: 'action' },
      eventMap: { click: 'view', buy: 'purchase' },
    });
    const { log, report } = await readLog(spec);
    const day = Date.UTC(2024, 0, 1);
    expect(decode(log)).toEqual([
      [day - 55 * 60_000, 'bob', 'bob', null, 'unknown', 0, 'A', 'view', 1],
      [day, 'alice', 'alice', null, 'unknown', 1, 'A', 'view', 1],
      [day + 10 * 60_000, 'alice', 'alice', null, 'unknown', 1, 'B', 'view', 1],
      [day + 60 * 60_000, 'alice', 'alice', null, 'unknown', 2, 'A', 'purchase', 1],
    ]);
    expect(log.dict.type).toEqual(['view', 'purchase']);
    expect(report).toMatchObject({ rows: 5, loaded: 4, personsKnown: 'all', anonymousEvents: 0, timeUnit: 'iso' });
    expect(report.dropped).toEqual([{ reason: 'unknown event type "wishlist"', count: 1, firstLines: [6] }]);
  });

  it('a log with keys only: persons unknown, empty values default to 1 and channels to unknown', async () => {
    const { log, report } = await readLog(dataSpec('key-only.csv', 'csv'));
    expect(decode(log)).toEqual([
      [T0, null, 'k1', null, 'app', 0, 'i1', 'purchase', 2.5],
      [T0 + 2000, null, 'k2', null, 'unknown', 1, 'i2', 'purchase', 1],
    ]);
    expect(log.dict.person).toEqual([]);
    expect(log.dict.channel).toEqual(['app', 'unknown']);
    expect(report).toMatchObject({ rows: 3, loaded: 2, personsKnown: 'none', anonymousEvents: 2 });
    expect(report.dropped).toEqual([{ reason: 'unparseable value', count: 1, firstLines: [3] }]);
  });

  it('a file without an event column is all purchases', async () => {
    const { log } = await readLog(dataSpec('times-ms.csv', 'csv'));
    expect(log.dict.type).toEqual(['purchase']);
    expect([...log.type]).toEqual([0, 0]);
  });
});
