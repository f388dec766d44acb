// JSON lines through DuckDB's read_json. Top-level fields are read as text (a JSON number as its digits) so a
// value of an unexpected type becomes a counted bad row instead of aborting the read.
import type { Duck } from '../duck.ts';
import type { Relation } from '../plan.ts';
import { lit, structLit } from '../sql.ts';
import { describeColumns } from './describe.ts';

/**
 * The JSONL file as a relation: its top-level fields (as sampled by DuckDB) as VARCHAR, or `columns` as given.
 *
 * @example
 * const rel = await jsonlRelation(duck, '/data/events.jsonl');
 */
export async function jsonlRelation(duck: Duck, file: string, columns?: Readonly<Record<string, string>>): Promise<Relation> {
  const reader = (cols: Readonly<Record<string, string>> | null) =>
    `read_json(${lit(file)}, format='newline_delimited'${cols === null ? '' : `, columns=${structLit(cols as Record<string, string>)}`})`;
  const types = columns ?? Object.fromEntries((await describeColumns(duck, reader(null))).map((c) => [c.name, 'VARCHAR']));
  const from = reader(types);
  return {
    from,
    rn: null,
    columns: await describeColumns(duck, from),
    numbering: { kind: 'lines', headerLines: 0, delimiter: null, breaks: null },
    rejects: false,
  };
}
