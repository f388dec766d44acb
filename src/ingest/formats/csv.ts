// Delimited text through DuckDB's read_csv. Every column is read as text and cast by the plan, so one bad value
// never aborts the read: it becomes a counted bad row. Rows the parser cannot split (wrong field count, broken
// quoting, bad UTF-8) are skipped by DuckDB and logged in its reject_errors table, which the report counts.
// The dialect is fixed up front (delimiter from the header, RFC 4180 quotes) rather than left to DuckDB's
// sniffer, which a handful of malformed rows can talk into a wrong delimiter.
import type { Duck } from '../duck.ts';
import { firstLine } from '../peek.ts';
import type { Relation } from '../plan.ts';
import { lit, structLit } from '../sql.ts';
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
  const delimiter = opts.delimiter ?? detectDelimiter(await firstLine(file));
  const dialect = `delim=${lit(delimiter)}, quote=${lit(QUOTE)}, escape=${lit(QUOTE)}`;
  const shape = header ? 'header=true, all_varchar=true' : `header=false, columns=${structLit(Object.fromEntries(opts.names!.map((n) => [n, 'VARCHAR'])))}`;
  const from = `read_csv(${lit(file)}, ${shape}, ${dialect}, store_rejects=true)`;
  const columns = await describeColumns(duck, from);
  return {
    from,
    rn: null,
    columns,
    numbering: { kind: 'lines', headerLines: header ? 1 : 0, delimiter, quote: QUOTE, fields: columns.length },
    rejects: true,
  };
}

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
