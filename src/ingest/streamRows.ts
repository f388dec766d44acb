// The single pass: rows stream from DuckDB in file order, chunk by chunk. Good rows go straight into the
// columns with their record numbers, their ids interned from DuckDB's hashes; bad rows are tallied by reason with
// their first record numbers. In strict mode the stream stops after the chunk that holds the first bad row.
import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import type { Duck } from './duck.ts';
import { InputError } from '../errors.ts';
import { NONE } from '../log/eventLog.ts';
import { GrowingColumns } from './columns.ts';
import { HashIds } from './hashIds.ts';
import { dropReason, ingestMsg } from './messages.ts';
import { SIGNAL_FIELDS, type ReadPlan, type SignalField } from './plan.ts';
import { rowQuery, UNKNOWN_EVENT, type IdField, type RowLayout } from './rowQuery.ts';
import { arrayWords, numbers } from './vectors.ts';

/** Records named per reason in the report. */
export const FIRST_RECORDS = 5;
/** Uint8 columns hold at most this many distinct values. */
const UINT8_VALUES = 256;

export interface ReasonTally {
  count: number;
  /** First record numbers (1-based, ascending, distinct), at most FIRST_RECORDS. */
  first: number[];
}

/** The first bad row, for strict mode. */
export interface FirstBad {
  readonly record: number;
  readonly reason: string;
  /** Raw text of the offending field, null when it is empty. */
  readonly value: string | null;
}

export interface Streamed {
  /** The good rows' columns, and their record numbers (`columns.records`) for pointing at duplicates. */
  readonly columns: GrowingColumns;
  /** Good rows in the columns. */
  readonly loaded: number;
  /** Rows streamed (good and bad; parser-rejected rows not included). */
  readonly rows: number;
  readonly reasons: Map<string, ReasonTally>;
  /** Set in strict mode when a bad row stopped the stream. */
  readonly firstBad: FirstBad | null;
  /** Distinct values per id field in id order; absent fields are missing. */
  readonly values: Partial<Record<IdField, string[]>>;
}

/**
 * Stream the plan's rows into columns sized for `capacity` rows.
 *
 * @example
 * const s = await streamRows(duck, plan, estimate, spec.strict);
 * s.values.item; // item ids in order of first appearance
 */
export async function streamRows(duck: Duck, plan: ReadPlan, capacity: number, strict: boolean, file: string): Promise<Streamed> {
  const { sql, layout } = rowQuery(plan, strict);
  const columns = new GrowingColumns(
    capacity,
    SIGNAL_FIELDS.filter((f) => layout.ids.some((x) => x.field === f)),
  );
  const tables = layout.ids.map(({ text }) => new HashIds(1024, text >= 0));
  const reasons = new Map<string, ReasonTally>();
  let rows = 0;
  let loaded = 0;
  let dest = new Int32Array(0);

  const values = () => Object.fromEntries(layout.ids.map(({ field }, j) => [field, tables[j].values])) as Partial<Record<IdField, string[]>>;

  const result = await duck.conn.stream(sql);
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const n = chunk.rowCount;
    columns.ensure(loaded + n, loaded);
    if (dest.length < n) dest = new Int32Array(n);
    // Where each good row goes in the columns (-1 for bad rows, which are tallied instead).
    const code = numbers(chunk.getColumnVector(layout.code), Uint8Array, n);
    const start = loaded;
    for (let r = 0; r < n; r++) dest[r] = code[r] === 0 ? loaded++ : -1;
    const firstBad = loaded - start < n ? tallyBadRows(chunk, layout, code, rows, reasons, strict) : null;
    if (loaded > start) fillChunk(chunk, layout, dest, n, rows, columns, tables, file);
    rows += n;
    // The good rows read so far stay: strict mode looks for duplicates among them.
    if (firstBad !== null) return { columns, loaded, rows, reasons, firstBad, values: values() };
  }
  return { columns, loaded, rows, reasons, firstBad: null, values: values() };
}

/** Copy one chunk's good rows into the columns, interning their ids. `before`: rows streamed before the chunk. */
function fillChunk(
  chunk: DuckDBDataChunk,
  layout: RowLayout,
  dest: Int32Array,
  n: number,
  before: number,
  columns: GrowingColumns,
  tables: HashIds[],
  file: string,
): void {
  const { cols, signals, records } = columns;
  const ts = numbers(chunk.getColumnVector(layout.t), Float64Array, n);
  const value = numbers(chunk.getColumnVector(layout.v), Float32Array, n);
  const rn = layout.rn >= 0 ? numbers(chunk.getColumnVector(layout.rn), Float64Array, n) : null;
  for (let r = 0; r < n; r++) {
    const i = dest[r];
    if (i >= 0) {
      cols.tsMs[i] = ts[r];
      cols.value[i] = value[r];
      records[i] = rn === null ? before + r + 1 : rn[r];
    }
  }
  const k = layout.ids.length;
  const words = arrayWords(chunk.getColumnVector(layout.hashes), n, k);
  layout.ids.forEach(({ field, text }, j) => {
    internColumn(tables[j], words, j, k, chunk, text, dest, n, isSignal(field) ? signals[field]! : field === 'type' ? cols.type : cols[field]);
    if ((field === 'type' || field === 'channel') && tables[j].size > UINT8_VALUES)
      throw new InputError(ingestMsg.tooManyValues(file, field === 'type' ? 'event type' : 'channel', tables[j].size, UINT8_VALUES));
  });
}

const isSignal = (field: string): field is SignalField => (SIGNAL_FIELDS as readonly string[]).includes(field);

/**
 * Count a chunk's bad rows by reason, keeping the first record numbers. In strict mode, return the first one
 * instead. `before` is the number of rows streamed before this chunk.
 */
function tallyBadRows(
  chunk: DuckDBDataChunk,
  layout: RowLayout,
  code: Uint8Array,
  before: number,
  reasons: Map<string, ReasonTally>,
  strict: boolean,
): FirstBad | null {
  const rn = layout.rn >= 0 ? numbers(chunk.getColumnVector(layout.rn), Float64Array, chunk.rowCount) : null;
  const typeText = layout.ids[layout.ids.length - 1].text;
  for (let r = 0; r < chunk.rowCount; r++) {
    if (code[r] === 0) continue;
    const record = rn === null ? before + r + 1 : rn[r];
    const known = layout.reasons[code[r] - 1];
    // An unknown event's raw value is the type's text; other raw values come only in strict mode.
    const value = known === UNKNOWN_EVENT ? textAt(chunk, typeText, r) : layout.bad >= 0 ? textAt(chunk, layout.bad, r) : null;
    const reason = known ?? dropReason.unknownEvent(value ?? '');
    if (strict) return { record, reason, value };
    let tally = reasons.get(reason);
    if (tally === undefined) reasons.set(reason, (tally = { count: 0, first: [] }));
    tally.count++;
    // Records holding several events (OTTO) may repeat: name each record once.
    if (tally.first.length < FIRST_RECORDS && tally.first[tally.first.length - 1] !== record) tally.first.push(record);
  }
  return null;
}

function textAt(chunk: DuckDBDataChunk, column: number, r: number): string | null {
  const v = chunk.getColumnVector(column).getItem(r);
  return v === null ? null : String(v);
}

/** Ids for one chunk's column: hash lookups only; the text vector is opened and decoded only for new values. */
function internColumn(
  table: HashIds,
  words: Uint32Array,
  j: number,
  k: number,
  chunk: DuckDBDataChunk,
  textColumn: number,
  dest: Int32Array,
  n: number,
  out: Int32Array | Uint8Array,
): void {
  let text: DuckDBVector | null = null;
  // Logs repeat the previous row's value often (a session's events, a key's burst): skip the table then.
  let lastLo = 0;
  let lastHi = 0;
  let lastId = NONE;
  for (let r = 0; r < n; r++) {
    const i = dest[r];
    if (i < 0) continue;
    const at = 2 * (r * k + j);
    const lo = words[at];
    const hi = words[at + 1];
    if (lo === lastLo && hi === lastHi) {
      out[i] = lastId;
      continue;
    }
    let id = NONE;
    if (lo !== 0) {
      id = table.find(lo, hi);
      if (id < 0) id = table.add(lo, hi, textColumn < 0 ? '' : String((text ??= chunk.getColumnVector(textColumn)).getItem(r)));
    }
    out[i] = id;
    lastLo = lo;
    lastHi = hi;
    lastId = id;
  }
}
