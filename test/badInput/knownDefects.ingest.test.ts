// Defects found by the issue #8 audit and the property tests, each pinned as `it.fails` with the behaviour
// it should have. These pass while the defect is there; when a fix lands the test starts failing: flip it to
// `it` (adjusting the proposed message if the fix words it differently) and drop the matching KNOWN entry in
// test/property/. Current behaviour is written next to each row.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { ingestMsg } from '../../src/ingest/messages.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import type { DataFormat, DataSpec } from '../../src/scenario/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'recgap-defects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write `content` (`\x80` stands for a lone 0x80 byte, never valid UTF-8) as `name`. */
function writeLog(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  const bytes = typeof content === 'string' ? Buffer.concat(content.split('\x80').flatMap((p, i) => (i ? [Buffer.from([0x80]), Buffer.from(p)] : [Buffer.from(p)]))) : content;
  writeFileSync(file, bytes);
  return file;
}
const spec = (path: string, format: DataFormat = 'csv', extra: Partial<DataSpec> = {}): DataSpec => ({
  path, format, columns: null, timeUnit: 'auto', eventMap: null, delimiter: null, sessionGapMs: 30 * 60_000, strict: false, ...extra,
});
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Error);
/** An InputError with exactly `message`. */
async function expectInputError(p: Promise<unknown>, message: string): Promise<void> {
  const e = await errorOf(p);
  expect(e).toBeInstanceOf(InputError);
  expect(e!.message).toBe(message);
}

const H = 'time,person,item,event\n';
const base = readFileSync(new URL('../../scenarios/quickstart.yaml', import.meta.url), 'utf8');
const edit = (from: string, to: string) => {
  if (!base.includes(from)) throw new Error(`fixture drift: ${from}`);
  return base.replace(from, to);
};
function scenarioError(text: string, overrides: string[] = []): Error {
  try {
    parseScenario(text, 'q.yaml', overrides);
  } catch (e) {
    return e as Error;
  }
  throw new Error('parsed without an error');
}

describe('known defects: reading logs (src/ingest)', () => {
  // Now: a plain Error "INTERNAL Error: Attempted to access index 2 within vector of size 1" followed by DuckDB's
  // native stack trace (many lines), in strict and non-strict mode; the CLI exits 1.
  it.fails('invalid UTF-8 at the very end of a CSV file (no final newline) is a counted bad row', async () => {
    const file = writeLog('tail-byte.csv', 'item,person,time\ni1,p1,1700000000000\ni2,p2,1700000000000\x80');
    const { report } = await readLog(spec(file));
    expect(report).toMatchObject({ rows: 2, loaded: 1, dropped: [{ reason: 'malformed row (invalid encoding)', count: 1, firstLines: [3] }] });
  });

  // Now: plain Error "incorrect header check" / "unexpected end of file" from zlib; the CLI exits 1 and asks for --debug.
  it.fails.each([
    ['not gzip at all', Buffer.from('time,person,item\n')],
    ['truncated', gzipSync(Buffer.from(H + '1700000000000,p1,i1,view\n'.repeat(100))).subarray(0, 40)],
  ])('a broken .csv.gz (%s) is an InputError naming the file', async (_label, bytes) => {
    const file = writeLog(`broken-${_label.length}.csv.gz`, bytes);
    const e = await errorOf(readLog(spec(file)));
    expect(e).toBeInstanceOf(InputError);
    expect(e!.message.startsWith(`${file}: `)).toBe(true);
  });

  // Now: the whole read fails: "F: cannot read as csv: Type DOUBLE with value 1e+39 can't be cast because the value
  // is out of range for the destination type FLOAT" (the same for JSONL), although one bad value should never abort a read.
  it.fails('a value beyond float range is one counted bad row', async () => {
    const file = writeLog('huge-value.csv', 'time,person,item,event,value\n1700000000000,p1,i1,view,1e39\n1700000000000,p1,i1,view,1\n');
    const { report } = await readLog(spec(file));
    expect(report).toMatchObject({ rows: 2, loaded: 1, dropped: [{ reason: 'unparseable value', count: 1, firstLines: [2] }] });
  });

  // Now: loaded as is (tsMs 1e308 and 1e17); the log's end moves to that time, so requests that should be censored
  // are evaluated (a 14-day log went from 40 censored requests to 0). Strict mode accepts them too.
  it.fails.each([['1e308'], ['100000000000000000'], ['-100000000000000000']])('a time outside the Date range (%s ms) is a counted bad row', async (t) => {
    const file = writeLog(`far-time-${t.length}.csv`, H + `1700000000000,p1,i1,view\n${t},p1,i2,view\n`);
    const { report } = await readLog(spec(file));
    expect(report.loaded).toBe(1);
    expect(report.dropped).toHaveLength(1);
    expect(report.dropped[0].firstLines).toEqual([3]);
  });

  // Now: rows 3 for 2 data rows; line 3 listed under both "malformed row (invalid encoding)" and "too many fields".
  it.fails('a row with two parser errors is counted once', async () => {
    const file = writeLog('two-errors.csv', 'person,time,item\np1,1700000000000,i1\np2,1700000000000,i\x80,x\n');
    const { report } = await readLog(spec(file));
    expect(report.rows).toBe(2);
    expect(report.dropped.reduce((s, d) => s + d.count, 0)).toBe(1);
  });

  // Now: a quote inside an unquoted field ("p#"1") is literal text to DuckDB but opens a quoted field for the line
  // scan, so later bad rows get wrong lines: here [3] (record number + header) instead of [4].
  it.fails('a stray quote in an unquoted field does not shift the lines of later bad rows', async () => {
    const file = writeLog('stray-quote.csv', 'person,time,item\np#"1,1700000000000,i1\n\np2,bad,i2\np3,1700000000000,i3\n');
    const { report } = await readLog(spec(file));
    expect(report.dropped).toEqual([{ reason: 'unparseable time', count: 1, firstLines: [4] }]);
  });

  // Now: { reason: 'too many fields', count: 1, firstLines: [] }; in strict mode "F:2: too few fields" (wrong line and reason).
  it.fails('after a stray quote, a row with too many fields still has its line (and strict mode names it)', async () => {
    const text = 'person,time,item\np#"1,1700000000000,i1\np2,1700000000000,i2,extra\np3,1700000000000,i3\n';
    const file = writeLog('stray-quote-fields.csv', text);
    const { report } = await readLog(spec(file));
    expect(report.dropped).toEqual([{ reason: 'too many fields', count: 1, firstLines: [3] }]);
    await expectInputError(readLog(spec(file, 'csv', { strict: true })), ingestMsg.badRow(file, 3, 'too many fields', null, null));
  });

  // Now: `F: cannot read as csv: Error when sniffing file "F".` (no line, no cause, the path twice).
  it.fails('an unterminated quote names its line', async () => {
    const file = writeLog('open-quote.csv', H + '1700000000000,p1,i1,view\n1700000000000,p1,"i2,view\n');
    const e = await errorOf(readLog(spec(file)));
    expect(e).toBeInstanceOf(InputError);
    expect(e!.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: .*quote`));
  });

  // Now: `F: no "time" column; the file has "1700000000000", "p1", "i1", "view"; ...`: DuckDB skips the bad header
  // and takes the first data row as the header.
  it.fails('invalid UTF-8 in the header is reported as such, at line 1', async () => {
    const file = writeLog('bad-header.csv', 'ti\x80me,person,item,event\n1700000000000,p1,i1,view\n');
    const e = await errorOf(readLog(spec(file)));
    expect(e).toBeInstanceOf(InputError);
    expect(e!.message.startsWith(`${file}:1: `)).toBe(true);
    expect(e!.message).toMatch(/UTF-8|encoding/);
  });

  // Now: CSV `F: the header "column0" is a single column with delimiter ","; wrong delimiter? set data.delimiter`;
  // JSONL `F: no "time" column; the file has "json"; ...` (with two blank lines instead of three, JSONL gets the
  // CSV delimiter message too).
  it.fails.each([
    ['blank.csv', 'csv' as const],
    ['blank.jsonl', 'jsonl' as const],
  ])('a file of blank lines only (%s) has no data rows', async (name, format) => {
    const file = writeLog(name, '\n\n\n');
    await expectInputError(readLog(spec(file, format)), ingestMsg.noDataRows(file));
  });

  // Now: both rows load; nothing in the report says they are duplicates (a duplicated purchase counts twice as a label).
  it.fails('duplicate events are reported', async () => {
    const file = writeLog('duplicates.csv', H + '1700000000000,p1,i1,purchase\n1700000000000,p1,i1,purchase\n');
    const { report } = await readLog(spec(file));
    expect(JSON.stringify({ ...report, file: '' })).toMatch(/duplicate/i);
  });

  // Now: rows are sorted by time silently (which is right), but nothing says the file was out of order.
  it.fails('out-of-order timestamps are reported', async () => {
    const file = writeLog('unsorted.csv', H + '1700000120000,p1,i1,view\n1700000000000,p1,i2,view\n1700000060000,p1,i3,view\n');
    const { report } = await readLog(spec(file));
    expect(JSON.stringify({ ...report, file: '' })).toMatch(/order/i);
  });
});

