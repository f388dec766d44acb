// Stage 4: the good rows, dictionary-encoded and sorted by time in DuckDB, streamed chunk by chunk straight
// into exactly sized typed arrays: only numbers cross into JS, and the log is never held twice.
import type { DuckDBVector } from '@duckdb/node-api';
import type { Duck } from './duck.ts';
import { NONE } from '../log/eventLog.ts';
import { dictTable } from './dictionaries.ts';
import { STAGE, type StageShape } from './stage.ts';

/** The log's columns in time order; `session` is null when sessions are still to be cut by inactivity. */
export interface FetchedColumns {
  tsMs: Float64Array;
  person: Int32Array;
  key: Int32Array;
  login: Int32Array;
  channel: Uint8Array;
  session: Int32Array | null;
  item: Int32Array;
  type: Uint8Array;
  value: Float32Array;
}

type Target = Float64Array | Float32Array | Int32Array | Uint8Array;

/**
 * Fetch the `n` good rows of the stage, sorted by time (ties in file order).
 *
 * @example
 * const cols = await fetchColumns(duck, shape, loaded);
 */
export async function fetchColumns(duck: Duck, shape: StageShape, n: number): Promise<FetchedColumns> {
  const out: FetchedColumns = {
    tsMs: new Float64Array(n),
    person: new Int32Array(n),
    key: new Int32Array(n),
    login: new Int32Array(n),
    channel: new Uint8Array(n),
    session: shape.session ? new Int32Array(n) : null,
    item: new Int32Array(n),
    type: new Uint8Array(n),
    value: new Float32Array(n),
  };
  const select: Array<[string, Target]> = [['CAST(st.t AS DOUBLE)', out.tsMs]];
  const joins: string[] = [];
  const join = (column: string, optional: boolean, target: Target, sqlType = 'INTEGER') => {
    const d = `d_${column}`;
    joins.push(`${optional ? 'LEFT ' : ''}JOIN ${dictTable(column)} ${d} ON st.${column} = ${d}.v`);
    select.push([`CAST(${optional ? `coalesce(${d}.id, ${NONE})` : `${d}.id`} AS ${sqlType})`, target]);
  };
  if (shape.person) join('p', true, out.person);
  else out.person.fill(NONE);
  if (shape.key) join('k', false, out.key);
  if (shape.login) join('l', true, out.login);
  else out.login.fill(NONE);
  if (shape.channel) join('c', false, out.channel, 'UTINYINT');
  if (out.session !== null) join('s', true, out.session);
  join('i', false, out.item);
  join('e', false, out.type, 'UTINYINT');
  select.push(['CAST(st.v AS FLOAT)', out.value]);

  const order = shape.sub ? 'st.t, st.rn, st.sub' : 'st.t, st.rn';
  const result = await duck.conn.stream(`SELECT ${select.map(([s]) => s).join(', ')} FROM ${STAGE} st ${joins.join(' ')} WHERE st.reason IS NULL ORDER BY ${order}`);
  let offset = 0;
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const rows = chunk.rowCount;
    select.forEach(([, target], j) => copyInto(target, chunk.getColumnVector(j), offset, rows));
    offset += rows;
  }
  // The key is the person: one dictionary, the same ids.
  if (!shape.key) out.key.set(out.person);
  return out;
}

/**
 * Copy one vector into `dst` at `offset`. The vector classes keep their values in a typed array view of DuckDB's
 * buffer (`items`); when it is there and of the right kind, one `set` copies the chunk, otherwise values are
 * read one by one through the public API (same result, slower). No value is NULL: the query coalesces them.
 */
function copyInto(dst: Target, vector: DuckDBVector, offset: number, rows: number): void {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof (dst.constructor as typeof Float64Array) && (items as Target).length === rows) {
    dst.set(items as Float64Array, offset);
    return;
  }
  for (let r = 0; r < rows; r++) dst[offset + r] = vector.getItem(r) as number;
}
