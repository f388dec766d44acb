// Stage 3: dictionary encoding in DuckDB. Each id column's distinct values get dense ids in order of first
// appearance in time (ties by value), so ids are deterministic and early ids belong to early users. Event types
// and channels list the canonical names first, in their canonical order, as the synthetic world does.
import type { Duck } from './duck.ts';
import { InputError } from '../errors.ts';
import { ingestMsg } from './messages.ts';
import { lit } from './sql.ts';
import { STAGE } from './stage.ts';

export interface DictionaryOptions {
  /** Names that come first, in this order, when present. */
  readonly canonical?: readonly string[];
  /** Most distinct values allowed (Uint8 columns hold 256). */
  readonly max?: number;
  /** Also fetch the strings (sessions need ids only). */
  readonly fetch: boolean;
  /** Name for the too-many message. */
  readonly field: string;
}

/** Table holding `v -> id` for a stage column. */
export const dictTable = (column: string): string => `dict_${column}`;

/**
 * Build `dict_<column>` (v, id) from the good rows of the stage and return the values in id order.
 *
 * @example
 * const types = await buildDictionary(duck, 'e', file, { canonical: EVENT_TYPES, max: 256, fetch: true, field: 'event type' });
 */
export async function buildDictionary(duck: Duck, column: string, file: string, opts: DictionaryOptions): Promise<string[]> {
  const rank = opts.canonical?.length ? `coalesce(list_position([${opts.canonical.map(lit).join(', ')}], v), ${opts.canonical.length + 1}), ` : '';
  await duck.run(
    `CREATE TABLE ${dictTable(column)} AS SELECT v, CAST(row_number() OVER (ORDER BY ${rank}first, v) - 1 AS INTEGER) AS id ` +
      `FROM (SELECT ${column} AS v, min(t) AS first FROM ${STAGE} WHERE reason IS NULL AND ${column} IS NOT NULL GROUP BY ${column})`,
  );
  const [[count]] = (await duck.rows(`SELECT count(*) FROM ${dictTable(column)}`)) as number[][];
  if (opts.max !== undefined && count > opts.max) throw new InputError(ingestMsg.tooManyValues(file, opts.field, count, opts.max));
  if (!opts.fetch) return [];
  const reader = await duck.conn.runAndReadAll(`SELECT v FROM ${dictTable(column)} ORDER BY id`);
  return reader.getColumns()[0].map(String);
}
