// Delimited text through DuckDB's read_csv. Every column is read as text and cast by the plan, so one bad value
// never aborts the read: it becomes a counted bad row. Rows the parser cannot split (wrong field count, broken
// quoting, bad UTF-8) are skipped by DuckDB and logged in its reject_errors table, which the report counts.
import type { Duck } from '../duck.ts';
import type { Relation } from '../plan.ts';
import { lit, structLit } from '../sql.ts';
import { describeColumns } from './describe.ts';

export interface CsvOptions {
  /** null: detect. */
  readonly delimiter: string | null;
  /** Column names when the file has no header row; undefined: the first row is the header. */
  readonly names?: readonly string[];
}

/**
 * The CSV file as a relation of VARCHAR columns with record numbers.
 *
 * @example
 * const rel = await csvRelation(duck, '/data/events.csv', { delimiter: null });
 * rel.columns.map((c) => c.name); // ['time', 'person', ...]
 */
export async function csvRelation(duck: Duck, file: string, opts: CsvOptions): Promise<Relation> {
  const header = opts.names === undefined;
  const given = opts.delimiter === null ? '' : `, delim=${lit(opts.delimiter)}`;
  const [[delimiter, quote, escape]] = (await duck.rows(`SELECT Delimiter, Quote, Escape FROM sniff_csv(${lit(file)}, header=${header}${given})`)) as string[][];
  const none = (s: string) => (s === '(empty)' ? '' : s);
  const dialect = `delim=${lit(none(delimiter))}, quote=${lit(none(quote))}, escape=${lit(none(escape))}`;
  const shape = header ? 'header=true, all_varchar=true' : `header=false, columns=${structLit(Object.fromEntries(opts.names!.map((n) => [n, 'VARCHAR'])))}`;
  const from = `read_csv(${lit(file)}, ${shape}, ${dialect}, store_rejects=true) WITH ORDINALITY`;
  const columns = (await describeColumns(duck, from)).filter((c) => c.name !== 'ordinality');
  return {
    from,
    rn: 'ordinality',
    sub: '0',
    columns,
    numbering: { kind: 'lines', headerLines: header ? 1 : 0, delimiter: none(delimiter), quote: none(quote) || null, fields: columns.length },
    rejects: true,
  };
}
