// Delimited text through DuckDB's read_csv. Every column is read as text and cast by the plan, so one bad value
// never aborts the read: it becomes a counted bad row. Rows the parser cannot split (wrong field count, broken
// quoting, bad UTF-8) are skipped by DuckDB and logged in its reject_errors table, which the report counts.
// The dialect is fixed up front (delimiter from the header, RFC 4180 quotes) rather than left to DuckDB's
// sniffer, which a handful of malformed rows can talk into a wrong delimiter; when the sniffer fails outright
// (a malformed row among those it samples), the columns come from the header line and nothing is sniffed.
import type { Duck } from '../duck.ts';
import { InputError } from '../../errors.ts';
import { ingestMsg } from '../messages.ts';
import { firstLineBytes } from '../peek.ts';
import type { Relation } from '../plan.ts';
import { ident, lit, structLit } from '../sql.ts';
import { headerNames } from './csvHeader.ts';
import { describeColumns } from './describe.ts';

export interface CsvOptions {
  /** null: detect from the header. */
  readonly delimiter: string | null;
  /** Column names when the file has no header row; undefined: the first row is the header. */
  readonly names?: readonly string[];
}

/** Candidates for detection, in order of preference on ties. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
const QUOTE = '"';

/**
 * The CSV file as a relation of VARCHAR columns.
 *
 * @example
 * const rel = await csvRelation(duck, '/data/events.csv', { delimiter: null });
 * rel.columns.map((c) => c.name); // ['time', 'person', ...]
 */
export async function csvRelation(duck: Duck, file: string, opts: CsvOptions): Promise<Relation> {
  const header = opts.names === undefined;
  const head = await firstLineBytes(file);
  // DuckDB would skip an undecodable header and take the first data row for it.
  if (header && !isUtf8(head)) throw new InputError(ingestMsg.headerNotUtf8(file));
  const delimiter = opts.delimiter ?? detectDelimiter(head.toString('utf8'));
  // DuckDB 1.5 fails an internal assertion (and invalidates the database) when it rejects a row for bad UTF-8
  // while reading only some of the columns: make every query read them all.
  await duck.run(`SET disabled_optimizers = 'unused_columns'`);
  const dialect = `delim=${lit(delimiter)}, quote=${lit(QUOTE)}, escape=${lit(QUOTE)}, store_rejects=true`;
  // The second read counts line breaks for pointing at lines (recordLines.ts): its rejects go to other tables.
  const read = (shape: string, rejects = '') => `(SELECT * FROM read_csv(${lit(file)}, ${shape}, ${dialect}${rejects}))`;
  const typed = (names: readonly string[]) => `columns=${structLit(Object.fromEntries(names.map((n) => [n, 'VARCHAR'])))}`;
  let shape = header ? 'header=true, all_varchar=true' : `header=false, ${typed(opts.names!)}`;
  let columns: Awaited<ReturnType<typeof describeColumns>>;
  try {
    columns = await describeColumns(duck, read(shape));
  } catch (e) {
    if (!/Error when sniffing file/.test(e instanceof Error ? e.message : String(e))) throw e;
    shape = `header=${header}, auto_detect=false, ${typed(opts.names ?? headerNames(head.toString('utf8'), delimiter))}`;
    columns = await describeColumns(duck, read(shape));
  }
  // Line breaks in a value, as DuckDB breaks lines outside quotes: \n, \r\n or a lone \r (counted as \n once the
  // others are; the test first keeps it as cheap as counting \n alone).
  const lf = (c: string) => `replace(replace(${ident(c)}, chr(13) || chr(10), chr(10)), chr(13), chr(10))`;
  const count = (c: string) => `CASE WHEN regexp_matches(${ident(c)}, '[\\r\\n]') THEN length(${lf(c)}) - length(replace(${lf(c)}, chr(10), '')) ELSE 0 END`;
  const breaks = columns.map((c) => `coalesce(${count(c.name)}, 0)`).join(' + ');
  return {
    from: read(shape),
    rn: null,
    columns,
    numbering: {
      kind: 'lines',
      headerLines: header ? 1 : 0,
      delimiter,
      breaks: `SELECT CAST(${breaks} AS DOUBLE) FROM ${read(shape, ", rejects_table='line_errors', rejects_scan='line_scans'")}`,
    },
    rejects: true,
  };
}

const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/**
 * The candidate delimiter that splits the header line into the most fields (outside quotes); ',' when none does.
 *
 * @example
 * detectDelimiter('sessionId;userId;itemId'); // ';'
 */
export function detectDelimiter(header: string): string {
  const unquoted = header.replace(/"[^"]*"/g, '');
  let best: string = DELIMITERS[0];
  let most = 0;
  for (const d of DELIMITERS) {
    const n = unquoted.split(d).length - 1;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}
