// The DuckDB 1.5 behaviour recordLines.ts builds on (a tripwire for DuckDB upgrades): reject_errors.line counts
// blank lines but not line breaks inside quoted fields; csv_line holds the rejected row's text (at times after a
// line break of the line before); a quote left open swallows the rest of the file, its line break included.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuck } from '../../src/ingest/duck.ts';

const dir = mkdtempSync(join(tmpdir(), 'recgap-ducklines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejects(text: string): Promise<unknown[][]> {
  const file = join(dir, 'f.csv');
  writeFileSync(file, text);
  const duck = await openDuck();
  try {
    await duck.rows(
      `SELECT * FROM read_csv('${file}', header=true, auto_detect=false, columns={'a':'VARCHAR','b':'VARCHAR','c':'VARCHAR'}, delim=',', quote='"', escape='"', store_rejects=true)`,
    );
    return await duck.rows(`SELECT line, CAST(error_type AS VARCHAR), csv_line FROM reject_errors ORDER BY line, byte_position`);
  } finally {
    duck.close();
  }
}

describe('DuckDB rejects, as recordLines reads them', () => {
  it.each<[string, string, unknown[][]]>([
    ['blank lines count, quoted line breaks do not', 'a,b,c\n1,2,3\n\n4,"x\ny",6\n7,8\n', [[5, 'MISSING COLUMNS', '7,8']]],
    [
      'a rejected row with a quoted line break',
      'a,b,c\n1,"x\ny",3,4\n5,6,7\n8,"p\nq"z,9\n',
      [
        [2, 'TOO MANY COLUMNS', '1,"x\ny",3,4'],
        [4, 'UNQUOTED VALUE', '8,"p\nq"z,9'],
      ],
    ],
    ['CRLF line ends', 'a,b,c\r\n1,"x\r\ny",3\r\n7,8\r\n', [[3, 'MISSING COLUMNS', '\n7,8']]],
    ['a quote left open', 'a,b,c\n1,2,3\n4,"x,6\n7,8,9\n', [[3, 'UNQUOTED VALUE', '4,"x,6\n7,8,9\n']]],
    ['a quote left open on the last line', 'a,b,c\n4,5,"x', [[2, 'UNQUOTED VALUE', '4,5,"x']]],
  ])('%s', async (_label, text, rows) => {
    expect(await rejects(text)).toEqual(rows);
  });
});

/** Per rejected row: its line, the byte offsets its text starts and ends at, and the start of its last field with a quote problem. */
async function rejectBytes(bytes: Buffer): Promise<unknown[][]> {
  const file = join(dir, 'b.csv');
  writeFileSync(file, bytes);
  const duck = await openDuck();
  try {
    await duck.rows(
      `SELECT * FROM read_csv('${file}', header=true, auto_detect=false, columns={'a':'VARCHAR','b':'VARCHAR','c':'VARCHAR'}, delim=',', quote='"', escape='"', store_rejects=true)`,
    );
    return await duck.rows(
      `SELECT line, min(line_byte_position) - 1, min(line_byte_position) - 1 + strlen(any_value(csv_line)), ` +
        `max(byte_position) FILTER (WHERE CAST(error_type AS VARCHAR) = 'UNQUOTED VALUE') - 1 FROM reject_errors GROUP BY line ORDER BY line`,
    );
  } finally {
    duck.close();
  }
}

describe('DuckDB rejects, as dropReport reads their bytes', () => {
  const bin = (s: string) => Buffer.from(s, 'latin1');
  it.each<[string, Buffer, unknown[][]]>([
    // Bad bytes show as one '?' each, a line break among them included: the text's length is the row's.
    [
      'bad bytes, one in a quoted field before a line break',
      bin('a,b,c\n1,2,3\xf0\n4,"x\xf0\ny",6\n'),
      [
        [2, 6, 12, null],
        [3, 13, 23, null],
      ],
    ],
    // A quote problem is logged at its field's start (a space before the quote included); an open quote's text runs to the end.
    [
      'CRLF, text after a closing quote and a quote left open',
      bin('a,b,c\r\n1,"x"y,3\r\n4,5," 6\r\n'),
      [
        [2, 7, 15, 9],
        [3, 17, 26, 21],
      ],
    ],
    // A lone \r ends a row outside quotes: "4," and "5,6" are rows of their own.
    [
      'a lone CR',
      bin('a,b,c\n1,2,3\n4,\r5,6\n'),
      [
        [3, 12, 14, null],
        [4, 15, 18, null],
      ],
    ],
  ])('%s', async (_label, bytes, rows) => {
    expect(await rejectBytes(bytes)).toEqual(rows);
  });
});
