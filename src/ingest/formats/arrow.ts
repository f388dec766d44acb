// Arrow IPC files. DuckDB's arrow extension is not bundled and cannot be fetched offline, so the file is decoded
// by flechette (a small Arrow reader with no dependencies of its own) and appended into a DuckDB table; from
// there it takes the same path as every other format. Numbers become DOUBLE, dates and timestamps TIMESTAMP,
// everything else text.
import { readFileSync } from 'node:fs';
import { tableFromIPC, type Table } from '@uwdata/flechette';
import { DOUBLE, TIMESTAMP, VARCHAR, DuckDBDataChunk, timestampValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { Duck } from '../duck.ts';
import { duckDetail } from '../duck.ts';
import { InputError } from '../../errors.ts';
import { ingestMsg } from '../messages.ts';
import type { Relation } from '../plan.ts';
import { ident } from '../sql.ts';
import { recordsRelation } from './describe.ts';

type Kind = 'number' | 'time' | 'text';
const SQL_TYPE: Record<Kind, string> = { number: 'DOUBLE', time: 'TIMESTAMP', text: 'VARCHAR' };
const DUCK_TYPE: Record<Kind, DuckDBType> = { number: DOUBLE, time: TIMESTAMP, text: VARCHAR };
const CHUNK = 2048;
const TABLE = 'arrow_src';

/**
 * The Arrow IPC file (file or stream format) as a table in `duck`, rows in file order.
 *
 * @example
 * const rel = await arrowRelation(duck, '/data/events.arrow');
 */
export async function arrowRelation(duck: Duck, file: string): Promise<Relation> {
  let table: Table;
  try {
    // useDate: timestamps and dates as Date objects (numbers otherwise), so their kind is recognisable.
    table = tableFromIPC(readFileSync(file), { useDate: true });
  } catch (e) {
    throw new InputError(ingestMsg.unreadable(file, 'arrow', duckDetail(e)));
  }
  const names = table.names;
  const cols = names.map((n) => table.getChild(n));
  const kinds = cols.map(kindOf);
  await duck.run(`CREATE TABLE ${TABLE} (${names.map((n, j) => `${ident(n)} ${SQL_TYPE[kinds[j]]}`).join(', ')})`);
  const appender = await duck.conn.createAppender(TABLE);
  const types = kinds.map((k) => DUCK_TYPE[k]);
  const n = table.numRows;
  for (let r0 = 0; r0 < n; r0 += CHUNK) {
    const size = Math.min(CHUNK, n - r0);
    const chunk = DuckDBDataChunk.create(types, size);
    cols.forEach((col, j) =>
      chunk.setColumnValues(
        j,
        Array.from({ length: size }, (_, r) => toDuck(col.at(r0 + r), kinds[j])),
      ),
    );
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  return recordsRelation(duck, `(SELECT * FROM ${TABLE})`);
}

/** Kind of a column from its first non-null value (flechette gives numbers, Dates, strings). */
function kindOf(col: { length: number; at(i: number): unknown }): Kind {
  for (let i = 0; i < col.length; i++) {
    const v = col.at(i);
    if (v === null || v === undefined) continue;
    if (typeof v === 'number' || typeof v === 'bigint') return 'number';
    if (v instanceof Date) return 'time';
    return 'text';
  }
  return 'text';
}

function toDuck(v: unknown, kind: Kind): DuckDBValue {
  if (v === null || v === undefined) return null;
  if (kind === 'number') return Number(v);
  if (kind === 'time') return timestampValue(BigInt(Math.round((v as Date).getTime())) * 1000n);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
