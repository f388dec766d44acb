// The small pieces: hash interning, in-place time sort, canonical dictionary order, delimiter detection, header
// names, the physical-line scan, the row estimate and the one-line summary of a read.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalOrder } from '../../src/ingest/canonicalOrder.ts';
import { detectDelimiter } from '../../src/ingest/formats/csv.ts';
import { headerNames } from '../../src/ingest/formats/csvHeader.ts';
import { HashIds } from '../../src/ingest/hashIds.ts';
import type { IngestReport } from '../../src/ingest/readLog.ts';
import { NO_BREAKS, recordLines } from '../../src/ingest/recordLines.ts';
import { sortByTimeInPlace } from '../../src/log/timeSort.ts';
import { ingestSummary } from '../../src/ingest/summary.ts';
import { allocColumns } from '../../src/log/eventLog.ts';
import { FIXTURES } from './helpers.ts';

describe('HashIds', () => {
  it('gives dense ids in order of first appearance and survives growth', () => {
    const ids = new HashIds(4);
    const seen: number[] = [];
    // Strings of every length, empty ones and surrogate pairs among them, over several joined blocks of 4,096.
    const text = (k: number) => (k % 7 === 0 ? '' : k % 5 === 0 ? `\u{1F600}${k}` : 'v'.repeat(k % 13) + k);
    for (let round = 0; round < 2; round++)
      for (let k = 0; k < 10_000; k++) {
        const lo = (k * 2654435761) | 1;
        const hi = k * 40503;
        let id = ids.find(lo >>> 0, hi >>> 0);
        if (id < 0) id = ids.add(lo >>> 0, hi >>> 0, text(k));
        if (round === 1) seen.push(id);
      }
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, k) => k));
    expect(ids.values.slice(0, 3)).toEqual(['', 'v1', 'vv2']);
    expect(ids.values).toEqual(Array.from({ length: 10_000 }, (_, k) => text(k)));
    expect(ids.size).toBe(10_000);
  });

  it('keeps no strings when asked not to', () => {
    const ids = new HashIds(4, false);
    ids.find(3, 5);
    expect(ids.add(3, 5, 'x')).toBe(0);
    expect(ids.values).toEqual([]);
  });
});

describe('sortByTimeInPlace', () => {
  it('sorts every column by time, ties in their order, without a second log', () => {
    const cols = allocColumns(6);
    cols.tsMs.set([5, 1, 5, 0, 3, 1]);
    cols.item.set([10, 11, 12, 13, 14, 15]);
    cols.type.set([0, 1, 2, 0, 1, 2]);
    cols.value.set([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
    const before = cols.item;
    sortByTimeInPlace(cols);
    expect([...cols.tsMs]).toEqual([0, 1, 1, 3, 5, 5]);
    expect([...cols.item]).toEqual([13, 11, 15, 14, 10, 12]);
    expect([...cols.type]).toEqual([0, 1, 2, 1, 0, 2]);
    expect([...cols.value]).toEqual([3.5, 1.5, 5.5, 4.5, 0.5, 2.5]);
    expect(cols.item).toBe(before);
  });
});

describe('canonicalOrder', () => {
  it('puts canonical names first in canonical order and renumbers the column', () => {
    const column = Uint8Array.from([0, 1, 2, 0]);
    expect(canonicalOrder(['fav', 'purchase', 'view'], column, ['view', 'cart', 'purchase'])).toEqual(['view', 'purchase', 'fav']);
    expect([...column]).toEqual([2, 1, 0, 2]);
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c', ','],
    ['sessionId;userId;itemId', ';'],
    ['a\tb\tc', '\t'],
    ['a|b', '|'],
    ['"x;y",b,c', ','],
    ['single', ','],
  ])('%j -> %j', (header, d) => expect(detectDelimiter(header)).toBe(d));
});

describe('headerNames (DuckDB sniffer names, for files it cannot sniff)', () => {
  it.each([
    ['time,person,item', ',', ['time', 'person', 'item']],
    [' a ,"b c",,a,A,"x""y", "q"', ',', ['a', 'b c', 'column2', 'a_1', 'A_2', 'x"y', 'q']],
    ['\ufefftime;"p;q"', ';', ['time', 'p;q']],
    ['a,b,', ',', ['a', 'b', 'column2']],
    [',,,,,,,,,,,', ',', Array.from({ length: 12 }, (_, i) => `column${String(i).padStart(2, '0')}`)],
  ])('%j', (header, delimiter, names) => expect(headerNames(header, delimiter)).toEqual(names));
});

describe('recordLines', () => {
  it('places records after blank lines, quoted line breaks and malformed rows', async () => {
    // What DuckDB says of bad.csv: record 4 holds one line break; the row at its line 9 (blank line counted), bytes 201-234, is rejected.
    const breaks = { records: new Map([[4, 1]]), rejected: [{ duckLine: 9, start: 201, end: 235 }] };
    const scan = await recordLines(FIXTURES + 'bad.csv', { headerLines: 1, json: false }, breaks, { records: [1, 2, 4, 6, 10], rejected: [9] });
    expect([...scan.lineOf]).toEqual([
      [1, 2],
      [2, 3],
      [4, 6],
      [6, 9],
      [10, 14],
    ]);
    expect([...scan.rejectedLine]).toEqual([[9, 10]]);
  });

  it('CRLF line ends, a rejected row spanning lines, JSON lines of white space', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recgap-lines-'));
    writeFileSync(join(dir, 'r.csv'), 'a,b\r\n\r\n1,"x\r\ny",z\r\n2,3\r\n');
    const breaks = { records: new Map(), rejected: [{ duckLine: 3, start: 7, end: 18 }] };
    const scan = await recordLines(join(dir, 'r.csv'), { headerLines: 1, json: false }, breaks, { records: [1], rejected: [3] });
    expect([...scan.lineOf]).toEqual([[1, 5]]);
    expect([...scan.rejectedLine]).toEqual([[3, 3]]);
    writeFileSync(join(dir, 'r.jsonl'), '{}\n \t\r\n\n{}');
    const json = await recordLines(join(dir, 'r.jsonl'), { headerLines: 0, json: true }, NO_BREAKS, { records: [2], rejected: [] });
    expect([...json.lineOf]).toEqual([[2, 4]]);
  });

  it('a lone CR ends a row on the same line; a quote left open at the end of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recgap-lines-'));
    const walk = async (text: string) => {
      writeFileSync(join(dir, 'r.csv'), text);
      const breaks = { records: new Map(), rejected: [{ duckLine: 4, start: 12, end: text.length }] };
      return recordLines(join(dir, 'r.csv'), { headerLines: 1, json: false }, breaks, { records: [1, 2], rejected: [4], openField: 14 });
    };
    const open = await walk('a,b\n1,2\r3,4\n5,"6\n""7\n');
    expect([...open.lineOf, ...open.rejectedLine]).toEqual([
      [1, 2],
      [2, 2],
      [4, 3],
    ]);
    expect(open.open).toBe(true);
    expect((await walk('a,b\n1,2\r3,4\n5,"6\n7"x\n')).open).toBe(false);
  });
});

describe('ingestSummary', () => {
  const report: IngestReport = {
    file: '/d/log.csv',
    format: 'csv',
    rows: 1200,
    loaded: 1100,
    outOfOrder: 0,
    emptySessionEvents: 0,
    dropped: [],
    personsKnown: 'all',
    anonymousEvents: 0,
    timeUnit: 'ms',
    seconds: 0.1,
    timeRange: { from: '2024-01-01T00:00:00.000Z', to: '2024-03-01T00:00:00.000Z' },
    isolated: { thresholdMs: 86_400_000, start: null, end: null },
  };
  it('says only what there is to say', () => {
    expect(ingestSummary(report)).toBe('1,100 events from /d/log.csv');
    expect(
      ingestSummary({
        ...report,
        dropped: [
          { reason: 'unparseable time', count: 97, firstLines: [2] },
          { reason: 'duplicate event', count: 3, firstLines: [9] },
        ],
        outOfOrder: 1234,
        emptySessionEvents: 5,
      }),
    ).toBe(
      '1,100 events from /d/log.csv (100 rows dropped: 97 unparseable time, 3 duplicate event; 1,234 rows out of time order, sorted; 5 events with an empty session, cut by inactivity)',
    );
  });
});
