// Issue #8's bad-input list, log side: rows that test/ingest/errors.test.ts does not already cover (non-UTF-8
// bytes, more timestamp spellings, JSONL files, wrong delimiters other than ';', unknown event types in strict
// mode, broken gzip, quoting, values and times out of range, duplicate and out-of-order events), and the
// run-level inputs that only show once a log is read (a train split that leaves no test requests or no training
// events, positives or channels the log does not have, a log whose events share one time). Each with its exact
// one-line message; bad rows are counted by reason with their physical lines. Issue 17 item 6 adds times whose
// magnitude disagrees with the unit detected for the column (epoch seconds among milliseconds and back).
import { defaultDataSpec } from '../../src/scenario/defaults.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { dropReason, ingestMsg } from '../../src/ingest/messages.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import { runScenario } from '../../src/run/run.ts';
import { loadLog } from '../../src/run/loadLog.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import type { DataFormat, DataSpec } from '../../src/scenario/types.ts';
import { silentReporter } from '../../src/util/progress.ts';

const dir = mkdtempSync(join(tmpdir(), 'recgap-badinput-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write `content` (text, where `\x80` stands for a lone 0x80 byte, never valid UTF-8; or bytes) as `name`. */
function writeLog(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  const bytes =
    typeof content === 'string'
      ? Buffer.concat(content.split('\x80').flatMap((p, i) => (i ? [Buffer.from([0x80]), Buffer.from(p)] : [Buffer.from(p)])))
      : content;
  writeFileSync(file, bytes);
  return file;
}

const spec = (path: string, format: DataFormat, extra: Partial<DataSpec> = {}): DataSpec => defaultDataSpec(path, format, extra);

const H = 'time,person,item,event\n';
const ROW = '1700000000000,p1,i1,view\n';
/** A gzipped log cut in half: DuckDB alone would load the rows before the cut and say nothing. */
const halfGzip = (() => {
  const gz = gzipSync(Buffer.from(H + Array.from({ length: 20_000 }, (_, i) => `${1_700_000_000_000 + i},p${i % 97},i${i % 89},view\n`).join('')));
  return gz.subarray(0, gz.length >> 1);
})();
/** More rows than DuckDB's sniffer samples (20,480), so a malformed row past them reaches the reader proper. */
const MANY = ROW.repeat(25_000);

describe('log files that cannot be read: one InputError line naming the file', () => {
  const rows: Array<[string, string, string | Buffer, DataFormat, Partial<DataSpec>, (file: string) => string]> = [
    ['missing JSONL file', 'missing.jsonl', '', 'jsonl', {}, (f) => ingestMsg.fileNotFound(f)],
    ['empty JSONL file', 'empty.jsonl', '', 'jsonl', {}, (f) => ingestMsg.emptyFile(f)],
    ['header followed by blank lines', 'blank-rows.csv', H + '\n\n', 'csv', {}, (f) => ingestMsg.noDataRows(f)],
    [
      'tab-separated file read with ","',
      'tabs.csv',
      'time\tperson\titem\tevent\n1700000000000\tp1\ti1\tview\n',
      'csv',
      { delimiter: ',' },
      (f) => ingestMsg.singleColumn(f, 'time\tperson\titem\tevent', ',', '\t'),
    ],
    [
      'pipe-separated file read with ";"',
      'pipes.csv',
      'time|person|item|event\n1700000000000|p1|i1|view\n',
      'csv',
      { delimiter: ';' },
      (f) => ingestMsg.singleColumn(f, 'time|person|item|event', ';', '|'),
    ],
    [
      'mapped JSONL column missing',
      'mapped.jsonl',
      '{"ts":1700000000000,"user":"p1","sku":"i1"}\n',
      'jsonl',
      { columns: { time: 'ts', person: 'user', item: 'product' } },
      (f) => ingestMsg.mappedColumnMissing(f, 'item', 'product', ['ts', 'user', 'sku']),
    ],
    ['JSONL without a time field', 'no-time.jsonl', '{"person":"p1","item":"i1"}\n', 'jsonl', {}, (f) => ingestMsg.fieldMissing(f, 'time', ['person', 'item'])],
    ['JSONL of arrays', 'arrays.jsonl', '[1,2]\n', 'jsonl', {}, (f) => ingestMsg.fieldMissing(f, 'time', ['json'])],
    [
      'Latin-1 text (every row invalid UTF-8)',
      'latin1.csv',
      H + '1700000000000,p1,caf\x80,view\n',
      'csv',
      {},
      (f) => ingestMsg.nothingLoaded(f, 1, 'malformed row (invalid encoding)', 1, 2),
    ],
    [
      'every time unparseable',
      'times.csv',
      H + 'yesterday,p1,i1,view\n2024-13-45,p1,i1,view\n',
      'csv',
      {},
      (f) => ingestMsg.nothingLoaded(f, 2, 'unparseable time', 2, 2),
    ],
    [
      'strict: non-UTF-8 bytes',
      'bytes-strict.csv',
      H + '1700000000000,p1,i1,view\n1700000060000,p1,i\x80,view\n',
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 3, 'malformed row (invalid encoding)', null, null),
    ],
    [
      'strict: invalid ISO month',
      'iso-strict.csv',
      H + '2024-01-01T00:00:00Z,p1,i1,view\n2024-13-01T00:00:00Z,p1,i1,view\n',
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 3, 'unparseable time', 'time', '2024-13-01T00:00:00Z'),
    ],
    [
      'strict: ISO text read as milliseconds',
      'iso-ms.csv',
      H + '2024-01-01T00:00:00Z,p1,i1,view\n',
      'csv',
      { strict: true, timeUnit: 'ms' },
      (f) => ingestMsg.badRow(f, 2, 'unparseable time', 'time', '2024-01-01T00:00:00Z'),
    ],
    [
      'strict: a time in epoch seconds among milliseconds (issue 17 item 6)',
      'seconds-among-ms-strict.csv',
      H + ROW + '1700000000000,p1,i2,view\n1700000060,p1,i3,view\n' + ROW,
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 4, dropReason.secondsAmongMilliseconds, 'time', '1700000060'),
    ],
    [
      'strict: a time in epoch milliseconds among seconds (issue 17 item 6)',
      'ms-among-seconds-strict.csv',
      H + '1700000000,p1,i1,view\n1700000060,p1,i2,view\n1700000120000,p1,i3,view\n',
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 4, dropReason.millisecondsAmongSeconds, 'time', '1700000120000'),
    ],
    [
      'strict: unknown event type',
      'events-strict.csv',
      H + '1700000000000,p1,i1,view\n1700000000000,p1,i1,teleport\n',
      'csv',
      { strict: true, eventMap: { view: 'view' } },
      (f) => ingestMsg.badRow(f, 3, 'unknown event type "teleport"', 'event', 'teleport'),
    ],
    [
      'strict: too many fields',
      'fields-strict.csv',
      H + '1700000000000,p1,i1,view\n1700000000000,p1,i1,view,extra\n',
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 3, 'too many fields', null, null),
    ],
    [
      'strict: missing item in JSONL',
      'item-strict.jsonl',
      '{"time":1700000000000,"person":"p1","item":"i1"}\n{"time":1700000000000,"person":"p1"}\n',
      'jsonl',
      { strict: true },
      (f) => ingestMsg.badRow(f, 2, 'missing item', null, null),
    ],
    ['a .csv.gz that is not gzip', 'plain.csv.gz', H + ROW, 'csv', {}, (f) => ingestMsg.notGzip(f)],
    [
      'a .csv.gz cut short in its header',
      'cut-head.csv.gz',
      gzipSync(Buffer.from(H + ROW.repeat(100))).subarray(0, 40),
      'csv',
      {},
      (f) => ingestMsg.gzipCutShort(f),
    ],
    ['a .csv.gz cut short in its rows', 'cut-rows.csv.gz', halfGzip, 'csv', {}, (f) => ingestMsg.gzipCutShort(f)],
    [
      'a .jsonl.gz cut short',
      'cut.jsonl.gz',
      gzipSync(Buffer.from('{"time":1700000000000,"person":"p1","item":"i1"}\n'.repeat(100))).subarray(0, 30),
      'jsonl',
      {},
      (f) => ingestMsg.gzipCutShort(f),
    ],
    ['unterminated quote on the last row', 'open-quote.csv', H + ROW + '1700000000000,p1,"i2,view\n', 'csv', {}, (f) => ingestMsg.unterminatedQuote(f, 3)],
    [
      'unterminated quote past the rows DuckDB samples',
      'open-quote-late.csv',
      H + MANY + '1700000000000,p1,"i2,view\n' + ROW.repeat(3),
      'csv',
      {},
      (f) => ingestMsg.unterminatedQuote(f, 25_002),
    ],
    [
      'strict: unterminated quote',
      'open-quote-strict.csv',
      H + ROW + '1700000000000,p1,"i2,view\n' + ROW,
      'csv',
      { strict: true },
      (f) => ingestMsg.unterminatedQuote(f, 3),
    ],
    ['invalid UTF-8 in the header', 'bad-header.csv', 'ti\x80me,person,item,event\n' + ROW, 'csv', {}, (f) => ingestMsg.headerNotUtf8(f)],
    ['CSV of blank lines only', 'blank.csv', '\n\n\n', 'csv', {}, (f) => ingestMsg.noDataRows(f)],
    ['JSONL of blank lines only', 'blank.jsonl', '\n \n\r\n', 'jsonl', {}, (f) => ingestMsg.noDataRows(f)],
    [
      'JSONL cut off inside an object (line after blank lines)',
      'cut-object.jsonl',
      '{"time":1700000000000,"person":"p1","item":"i1"}\n\n{"time":1,\n',
      'jsonl',
      {},
      (f) => ingestMsg.malformedJson(f, 3, 'unexpected end of data'),
    ],
    [
      'JSONL with two objects on a line',
      'two-objects.jsonl',
      '{"time":1700000000000,"person":"p1","item":"i1"} {}\n',
      'jsonl',
      {},
      (f) => ingestMsg.malformedJson(f, 1, 'unexpected content after document'),
    ],
    [
      'strict: value beyond float range',
      'huge-strict.csv',
      'time,person,item,event,value\n1700000000000,p1,i1,view,1e39\n',
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 2, 'unparseable value', 'value', '1e39'),
    ],
    [
      'strict: time past 2100',
      'far-strict.csv',
      H + ROW + '1e308,p1,i2,view\n',
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 3, 'time out of range', 'time', '1e308'),
    ],
    [
      'strict: invalid UTF-8 at the very end (no final newline)',
      'tail-strict.csv',
      'item,person,time\ni1,p1,1700000000000\ni2,p2,1700000000000\x80',
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 3, 'malformed row (invalid encoding)', null, null),
    ],
    ['strict: a duplicate event', 'dup-strict.csv', H + ROW + ROW, 'csv', { strict: true }, (f) => ingestMsg.duplicateEvent(f, 3, 2)],
    [
      'strict: a duplicate before a later bad row',
      'dup-first-strict.csv',
      H + ROW + '1700000060000,p1,i2,view\n' + ROW + 'bad,p1,i1,view\n',
      'csv',
      { strict: true },
      (f) => ingestMsg.duplicateEvent(f, 4, 2),
    ],
    [
      'strict: a stray quote does not shift the line of a long row',
      'stray-strict.csv',
      'person,time,item\np#"1,1700000000000,i1\np2,1700000000000,i2,extra\np3,1700000000000,i3\n',
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 3, 'too many fields', null, null),
    ],
    [
      'strict: a malformed row before a row the stream flags is the first bad row',
      'malformed-first-strict.csv',
      H + ROW + '1700000060000,p1,i\x80,view\nbad,p1,i1,view\n',
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 3, 'malformed row (invalid encoding)', null, null),
    ],
    [
      'strict: a row with one empty field too many is read (DuckDB drops the empty field), at its own line',
      'trailing-field-strict.csv',
      H + 'bad,p1,i1,view,\n' + ROW,
      'csv',
      { strict: true },
      (f) => ingestMsg.badRow(f, 2, 'unparseable time', 'time', 'bad'),
    ],
    [
      'a quote left open on a row that also has invalid UTF-8',
      'open-encoding.csv',
      H + ROW + '1700000060000,p1,i\x80,"view\n' + ROW,
      'csv',
      {},
      (f) => ingestMsg.unterminatedQuote(f, 3),
    ],
    [
      'strict: a quote left open on a row with invalid UTF-8 is an unterminated quote, as without strict',
      'open-encoding-strict.csv',
      H + '1700000000000,p1,i\x80,"view\n' + ROW,
      'csv',
      { strict: true },
      (f) => ingestMsg.unterminatedQuote(f, 2),
    ],
    [
      'a quote left open after a quote inside an unquoted field (an even number of quotes, no final line break)',
      'open-after-text-quote.csv',
      H + ROW + '1700000060000,p1",i1,"view\n1700000120000,p1,i1,view',
      'csv',
      {},
      (f) => ingestMsg.unterminatedQuote(f, 3),
    ],
  ];

  it.each(rows)('%s', async (_label, name, content, format, extra, message) => {
    const file = content === '' && name.startsWith('missing') ? join(dir, name) : writeLog(name, content);
    const error = await readLog(spec(file, format, extra)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(message(file));
  });
});

describe('bad rows are counted by reason with their lines, never dropped silently', () => {
  it('non-UTF-8 bytes in a row', async () => {
    const file = writeLog('bytes.csv', H + '1700000000000,p1,i1,view\n1700000060000,p1,i\x80,view\n1700000120000,p2,i2,purchase\n');
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(log.length).toBe(2);
    expect(report).toMatchObject({ rows: 3, loaded: 2, dropped: [{ reason: 'malformed row (invalid encoding)', count: 1, firstLines: [3] }] });
  });

  it('unparseable timestamps in several spellings (ISO, with offset, no T, invalid month, day-first)', async () => {
    const file = writeLog(
      'iso.csv',
      H +
        '2024-01-01T00:00:00Z,p1,i1,view\n2024-01-01 00:00:01,p1,i1,view\n2024-01-01T00:00:02+02:00,p1,i1,view\n2024-13-01T00:00:00Z,p1,i1,view\n24/01/2024,p1,i1,view\n',
    );
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({ timeUnit: 'iso', rows: 5, loaded: 3, dropped: [{ reason: 'unparseable time', count: 2, firstLines: [5, 6] }] });
    expect(Array.from(log.tsMs)).toEqual([Date.UTC(2023, 11, 31, 22, 0, 2), Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 0, 1)]);
  });

  it('unknown event types with an event map', async () => {
    const file = writeLog('events.csv', H + '1700000000000,p1,i1,view\n1700000000000,p1,i1,teleport\n1700000000000,p1,i1,teleport\n');
    const { report } = await readLog(spec(file, 'csv', { eventMap: { view: 'view' } }));
    expect(report).toMatchObject({ rows: 3, loaded: 1, dropped: [{ reason: 'unknown event type "teleport"', count: 2, firstLines: [3, 4] }] });
  });

  it('invalid UTF-8 at the very end of the file (no final newline)', async () => {
    const file = writeLog('tail-byte.csv', 'item,person,time\ni1,p1,1700000000000\ni2,p2,1700000000000\x80');
    const { report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({ rows: 2, loaded: 1, dropped: [{ reason: 'malformed row (invalid encoding)', count: 1, firstLines: [3] }] });
  });

  it('invalid UTF-8 in a column the log does not use', async () => {
    const file = writeLog('unused-column.csv', 'time,person,item,note\n1700000000000,p1,i1,ok\n1700000000000,p1,i2,caf\x80\n');
    const { report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({ rows: 2, loaded: 1, dropped: [{ reason: 'malformed row (invalid encoding)', count: 1, firstLines: [3] }] });
  });

  it('a row rejected for its encoding does not shift the lines of later bad rows', async () => {
    const file = writeLog('encoding-shift.csv', H + '1700000000000,p1,i\x80,view\n' + ROW + 'bad,p1,i1,view\n');
    const { report } = await readLog(spec(file, 'csv'));
    expect(report.dropped).toEqual([
      { reason: 'malformed row (invalid encoding)', count: 1, firstLines: [2] },
      { reason: 'unparseable time', count: 1, firstLines: [4] },
    ]);
  });

  it('a row with two parser errors counts once, under the first', async () => {
    const file = writeLog('two-errors.csv', 'person,time,item\np1,1700000000000,i1\np2,1700000000000,i\x80,x\np3,1700000000000,i3,\x80\n');
    const { report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({
      rows: 3,
      loaded: 1,
      dropped: [
        { reason: 'malformed row (invalid encoding)', count: 1, firstLines: [3] },
        { reason: 'too many fields', count: 1, firstLines: [4] },
      ],
    });
  });

  it('a row with one empty field too many is read (DuckDB drops the empty field): the lines after it stay put', async () => {
    const file = writeLog('trailing-field.csv', H + ROW + '1700000060000,p1,i2,view,\n1700000120000,p1,i3,view,x\nbad,p1,i1,view\n');
    expect((await readLog(spec(file, 'csv'))).report).toMatchObject({
      rows: 4,
      loaded: 2,
      dropped: [
        { reason: 'too many fields', count: 1, firstLines: [4] },
        { reason: 'unparseable time', count: 1, firstLines: [5] },
      ],
    });
    const far = writeLog('trailing-field-far.csv', H + '1700000060000,p1,i2,view,\n1e308,p1,i1,view\n' + ROW);
    expect((await readLog(spec(far, 'csv'))).report).toMatchObject({
      rows: 3,
      loaded: 2,
      dropped: [{ reason: 'time out of range', count: 1, firstLines: [3] }],
    });
  });

  it('a lone CR at the start of a line is a blank line to DuckDB; inside quotes it is data', async () => {
    const blank = writeLog('lone-cr-blank.csv', H + '\r1700000060000,p1,i\x80,view\n' + ROW + 'bad,p1,i1,view\n');
    expect((await readLog(spec(blank, 'csv'))).report).toMatchObject({
      rows: 3,
      loaded: 1,
      dropped: [
        { reason: 'malformed row (invalid encoding)', count: 1, firstLines: [2] },
        { reason: 'unparseable time', count: 1, firstLines: [4] },
      ],
    });
    const quoted = writeLog('lone-cr-quoted.csv', H + ROW + '1700000060000,p1,"i\r2",view\nbad,p1,i1,view\n');
    expect((await readLog(spec(quoted, 'csv'))).report).toMatchObject({
      rows: 3,
      loaded: 2,
      dropped: [{ reason: 'unparseable time', count: 1, firstLines: [4] }],
    });
  });

  it('a lone CR ends a row where DuckDB ends it, without starting a line: both parts are on line 3', async () => {
    const split = writeLog('lone-cr.csv', H + ROW + '1700000060000,p1,\ri2,view\nbad,p1,i1,view\n');
    expect((await readLog(spec(split, 'csv'))).report).toMatchObject({
      rows: 4,
      loaded: 1,
      dropped: [
        { reason: 'too few fields', count: 2, firstLines: [3, 3] },
        { reason: 'unparseable time', count: 1, firstLines: [4] },
      ],
    });
  });

  it.each([
    [
      'CSV',
      'huge-value.csv',
      'csv' as const,
      'time,person,item,event,value\n1700000000000,p1,i1,view,1e39\n1700000000000,p1,i1,view,-1e39\n1700000000000,p1,i1,view,3e38\n',
      [2, 3],
    ],
    [
      'JSONL',
      'huge-value.jsonl',
      'jsonl' as const,
      '{"time":1700000000000,"person":"p1","item":"i1","value":1e39}\n{"time":1700000000000,"person":"p1","item":"i1","value":-1e39}\n{"time":1700000000000,"person":"p1","item":"i1","value":3e38}\n',
      [1, 2],
    ],
  ])('values beyond float range (%s)', async (_label, name, format, content, lines) => {
    const { log, report } = await readLog(spec(writeLog(name, content), format));
    expect(report).toMatchObject({ rows: 3, loaded: 1, dropped: [{ reason: 'unparseable value', count: 2, firstLines: lines }] });
    expect(log.value[0]).toBe(Math.fround(3e38));
  });

  it.each([['1e308'], ['100000000000000000'], ['-100000000000000000'], ['-1']])('a time outside 1970..2100 (%s ms)', async (t) => {
    const file = writeLog(`far-time${t}.csv`, H + `${ROW}${t},p1,i2,view\n`);
    const { report } = await readLog(spec(file, 'csv', { timeUnit: 'ms' }));
    expect(report).toMatchObject({ rows: 2, loaded: 1, dropped: [{ reason: 'time out of range', count: 1, firstLines: [3] }] });
  });

  it('ISO times outside 1970..2100, and the edges inside', async () => {
    const file = writeLog(
      'far-iso.csv',
      H +
        ['9999-12-31T23:59:59Z', '1969-12-31T23:59:59Z', '2100-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '2099-12-31T23:59:59Z']
          .map((t) => `${t},p1,i1,view\n`)
          .join(''),
    );
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report.dropped).toEqual([{ reason: 'time out of range', count: 3, firstLines: [2, 3, 4] }]);
    expect(Array.from(log.tsMs)).toEqual([0, Date.UTC(2099, 11, 31, 23, 59, 59)]);
  });

  it('a quote inside an unquoted field is text and does not shift the lines of later bad rows', async () => {
    const file = writeLog('stray-quote.csv', 'person,time,item\np#"1,1700000000000,i1\n\np2,bad,i2\np3,1700000000000,i3\n');
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report.dropped).toEqual([{ reason: 'unparseable time', count: 1, firstLines: [4] }]);
    expect(log.dict.person).toEqual(['p#"1', 'p3']);
  });

  it('after a stray quote, a row with too many fields keeps its line', async () => {
    const file = writeLog('stray-quote-fields.csv', 'person,time,item\np#"1,1700000000000,i1\np2,1700000000000,i2,extra\np3,1700000000000,i3\n');
    const { report } = await readLog(spec(file, 'csv'));
    expect(report.dropped).toEqual([{ reason: 'too many fields', count: 1, firstLines: [3] }]);
  });

  it('text after a closing quote is one malformed row, also among the rows DuckDB samples', async () => {
    const file = writeLog('after-quote.csv', H + ROW + '1700000000000,p1,"i2"x,view\n' + '1700000000000,p1,"i""3",view\n' + 'bad,p1,i4,view\n');
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report.dropped).toEqual([
      { reason: 'malformed row (text after a closing quote)', count: 1, firstLines: [3] },
      { reason: 'unparseable time', count: 1, firstLines: [5] },
    ]);
    expect(log.dict.item).toEqual(['i1', 'i"3']);
  });

  it('duplicate events: identical in every column read, the first kept, the repeats counted with their lines', async () => {
    const file = writeLog(
      'duplicates.csv',
      H + '1700000000000,p1,i1,purchase\n1700000060000,p1,i2,view\n1700000000000,p1,i1,purchase\n1700000000000,p1,i1,view\n1700000000000,p1,i1,purchase\n',
    );
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({ rows: 5, loaded: 3, outOfOrder: 1, dropped: [{ reason: 'duplicate event', count: 2, firstLines: [4, 6] }] });
    expect(log.length).toBe(3);
  });

  it('events that differ in any column are not duplicates', async () => {
    const file = writeLog(
      'near-duplicates.csv',
      'time,person,item,event,value,channel\n' +
        [
          '1,p1,i1,view,1,app',
          '1,p2,i1,view,1,app',
          '1,p1,i2,view,1,app',
          '1,p1,i1,cart,1,app',
          '1,p1,i1,view,2,app',
          '1,p1,i1,view,1,web',
          '2,p1,i1,view,1,app',
        ]
          .map((r) => r.replace(/^\d/, (d) => String(1_700_000_000_000 + Number(d))))
          .join('\n') +
        '\n',
    );
    const { report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({ rows: 7, loaded: 7, dropped: [] });
  });

  it('10% of times in epoch seconds among milliseconds are dropped with their reason and lines, not loaded as January 1970 (issue 17 item 6)', async () => {
    const lines = Array.from({ length: 100 }, (_, i) =>
      i % 10 === 3 ? `${1_700_000_000 + 60 * i},p${i % 7},i${i % 5},view` : `${1_700_000_000_000 + 60_000 * i},p${i % 7},i${i % 5},view`,
    );
    const { log, report } = await readLog(spec(writeLog('mixed-units.csv', H + lines.join('\n') + '\n'), 'csv'));
    expect(report).toMatchObject({
      timeUnit: 'ms',
      rows: 100,
      loaded: 90,
      dropped: [{ reason: 'time in epoch seconds among milliseconds', count: 10, firstLines: [5, 15, 25, 35, 45] }],
      outOfOrder: 0,
    });
    expect(log.tsMs[0]).toBe(1_700_000_000_000);
  });

  it('times in epoch milliseconds among seconds are dropped with their reason; beyond 2100 as milliseconds they stay out of range', async () => {
    const file = writeLog(
      'mixed-units-s.csv',
      H + '1700000000,p1,i1,view\n1700000000000,p1,i2,view\n1700000001,p1,i3,view\n99999999999999,p1,i4,view\n1700000002,p1,i5,view\n',
    );
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({
      timeUnit: 's',
      loaded: 3,
      dropped: [
        { reason: 'time in epoch milliseconds among seconds', count: 1, firstLines: [3] },
        { reason: 'time out of range', count: 1, firstLines: [5] },
      ],
    });
    expect(Array.from(log.tsMs)).toEqual([1_700_000_000_000, 1_700_000_001_000, 1_700_000_002_000]);
  });

  it('a unit the scenario gives is taken at its word: seconds read as milliseconds load (as 1970)', async () => {
    const file = writeLog('told-ms.csv', H + '1700000000,p1,i1,view\n1700000000000,p1,i2,view\n');
    const { report } = await readLog(spec(file, 'csv', { timeUnit: 'ms' }));
    expect(report).toMatchObject({ loaded: 2, dropped: [] });
  });

  it('out-of-order times are sorted and counted (not dropped)', async () => {
    const file = writeLog('unsorted.csv', H + '1700000120000,p1,i1,view\n1700000000000,p1,i2,view\n1700000060000,p1,i3,view\n');
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({ rows: 3, loaded: 3, dropped: [], outOfOrder: 1 });
    expect(Array.from(log.tsMs)).toEqual([1_700_000_000_000, 1_700_000_060_000, 1_700_000_120_000]);
  });

  it('empty session values get inactivity sessions, after the sessions the file names', async () => {
    const m = 60_000;
    const t = (min: number) => 1_700_000_000_000 + min * m;
    const file = writeLog(
      'empty-sessions.csv',
      'time,person,item,session\n' +
        [`${t(0)},p1,i1,s1`, `${t(1)},p1,i2,`, `${t(2)},p2,i3,`, `${t(5)},p1,i4,`, `${t(100)},p1,i5,`, `${t(101)},p1,i6,s1`].join('\n') +
        '\n',
    );
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({ loaded: 6, dropped: [], emptySessionEvents: 4 });
    // s1 is session 0; p1's empty ones cut at the 95-minute gap (1, 3), p2's its own (2).
    expect(Array.from(log.session)).toEqual([0, 1, 2, 1, 3, 0]);
  });

  it('without an event map every event value is its own type (unknown positives are caught when the run starts)', async () => {
    const file = writeLog('open-types.csv', H + '1700000000000,p1,i1,view\n1700000000000,p1,i1,teleport\n');
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report.dropped).toEqual([]);
    expect(log.dict.type).toEqual(['view', 'teleport']);
  });
});

describe('run-level inputs that show once the log is read', () => {
  const T0 = Date.UTC(2024, 0, 1);
  const D = 86_400_000;
  /** 20 persons, one view and one purchase a day for 14 days. */
  const csv = (() => {
    const lines = ['time,person,item,event'];
    for (let d = 0; d < 14; d++)
      for (let p = 0; p < 20; p++) {
        const t = T0 + d * D + p * 60_000;
        lines.push(`${t},p${p},i${(p + d) % 10},view`, `${t + 1000},p${p},i${(p + d) % 10},purchase`);
      }
    return lines.join('\n') + '\n';
  })();
  const file = writeLog('run.csv', csv);
  /** The same persons and items, every event at midnight of one day (a date column without its time). */
  const oneTime = writeLog(
    'one-time.csv',
    ['time,person,item,event', ...Array.from({ length: 20 }, (_, p) => [`${T0},p${p},i${p % 10},view`, `${T0},p${p},i${p % 10},purchase`]).flat()].join('\n') +
      '\n',
  );
  const scenario = (edit: (yaml: string) => string = (y) => y) =>
    parseScenario(
      edit(
        [
          'name: bad',
          `data: { path: ${file} }`,
          'train: { until: "50%" }',
          'eval: { k: [5], window: 2d, positives: [purchase], bootstrap: 0 }',
          'models: [ { name: pop, type: popularity } ]',
          'pipelines: [ { name: batch, refresh: 1d, latency: 0, identity: key }, { name: live, refresh: stream, latency: 0, identity: oracle } ]',
        ].join('\n'),
      ),
      'bad.yaml',
    );
  async function runMessage(edit: (yaml: string) => string): Promise<string> {
    const s = scenario(edit);
    const { log } = await loadLog(s, silentReporter());
    const error = await runScenario(s, { log, reporter: silentReporter() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }

  it('the log runs as given (the rows below each change one thing)', async () => {
    const s = scenario();
    const { log } = await loadLog(s, silentReporter());
    const { results } = await runScenario(s, { log, reporter: silentReporter() });
    expect(results.counts.requests).toBe(100);
  });

  it.each([
    [
      'a train split after the log leaves no test requests',
      (y: string) => y.replace('until: "50%"', 'until: 2030-01-01'),
      'no requests to evaluate: no session starts between the train split (2030-01-01T00:00:00.000Z) and the end of the log minus the label window (2d); move train.until earlier or shorten eval.window',
    ],
    [
      'a label window longer than the test period leaves no test requests',
      (y: string) => y.replace('window: 2d', 'window: 30d'),
      'no requests to evaluate: no session starts between the train split (2024-01-08T00:00:00.000Z) and the end of the log minus the label window (30d); move train.until earlier or shorten eval.window',
    ],
    [
      'a train split before the log leaves nothing to fit',
      (y: string) => y.replace('until: "50%"', 'until: 2000-01-01'),
      'no events before the train split 2000-01-01T00:00:00.000Z: nothing to fit the models on; move train.until later',
    ],
    [
      'a log whose events all share one time: no advice to move the split (issue 17 item 9)',
      (y: string) => y.replace(file, oneTime),
      "all 40 events of the log share one time, 2024-01-01T00:00:00.000Z: no split can put some before and some after it, so there is nothing to train on and nothing to evaluate; check the log's time column (a date without its time of day?)",
    ],
    [
      'positives the log does not have',
      (y: string) => y.replace('positives: [purchase]', 'positives: [refund]'),
      'eval.positives: unknown event type "refund"; the log has view, purchase',
    ],
    [
      'channels the log does not have',
      (y: string) => y.replace('identity: key }', 'identity: key, channels: [web] }'),
      'pipelines.batch.channels: unknown channel "web"; the log has unknown',
    ],
  ])('%s', async (_label, edit, message) => {
    const got = await runMessage(edit);
    expect(got).toBe(message);
    expect(got).not.toMatch(/[\n\r]/);
  });
});
