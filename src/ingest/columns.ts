// The log's columns while rows stream in: sized from an estimate of the row count and grown one column at a
// time if the estimate falls short, so growing never holds two copies of the whole log. Pages past the rows
// actually filled are never touched, so an estimate on the high side costs address space, not memory.
import type { LogColumns } from '../log/eventLog.ts';
import { COLUMN_NAMES } from '../log/eventLog.ts';
import type { SignalField } from './plan.ts';

export type SignalColumns = Partial<Record<SignalField, Int32Array>>;

/**
 * Columns with room for `capacity` rows.
 *
 * @example
 * const cols = new GrowingColumns(1 << 20);
 * cols.ensure(n + chunkRows, n);
 */
export class GrowingColumns {
  cols: LogColumns;
  /** Identity signal id columns, only for the signals the log has. */
  signals: SignalColumns = {};
  /** Each row's record number (1-based, as the report counts before turning them into lines). */
  records: Int32Array;
  capacity: number;

  constructor(capacity: number, signalFields: readonly SignalField[] = []) {
    this.capacity = Math.max(1024, Math.ceil(capacity));
    const c = this.capacity;
    this.cols = {
      tsMs: new Float64Array(c),
      person: new Int32Array(c),
      key: new Int32Array(c),
      login: new Int32Array(c),
      channel: new Uint8Array(c),
      session: new Int32Array(c),
      item: new Int32Array(c),
      type: new Uint8Array(c),
      value: new Float32Array(c),
    };
    for (const f of signalFields) this.signals[f] = new Int32Array(c);
    this.records = new Int32Array(c);
  }

  /** Make room for `rows` rows, keeping the first `used`. */
  ensure(rows: number, used: number): void {
    if (rows <= this.capacity) return;
    const next = Math.max(rows, Math.ceil(this.capacity * 1.5));
    for (const name of COLUMN_NAMES) {
      const old = this.cols[name];
      const grown = new (old.constructor as Float64ArrayConstructor)(next);
      grown.set((old as Float64Array).subarray(0, used));
      (this.cols as unknown as Record<string, unknown>)[name] = grown;
    }
    for (const [f, old] of Object.entries(this.signals) as Array<[SignalField, Int32Array]>) {
      const grown = new Int32Array(next);
      grown.set(old.subarray(0, used));
      this.signals[f] = grown;
    }
    const records = new Int32Array(next);
    records.set(this.records.subarray(0, used));
    this.records = records;
    this.capacity = next;
  }

  /**
   * The first `n` rows as exact-length arrays: views (the unused tail was never touched, so it holds no memory)
   * unless the estimate was far off, then copies.
   */
  take(n: number): LogColumns {
    const out = {} as Record<string, unknown>;
    const view = this.capacity <= 2 * n + 1024;
    for (const name of COLUMN_NAMES) {
      const a = this.cols[name] as Float64Array;
      out[name] = view ? a.subarray(0, n) : a.slice(0, n);
      // Let each oversized column go before the next copy is made.
      (this.cols as unknown as Record<string, unknown>)[name] = undefined;
    }
    return out as unknown as LogColumns;
  }

  /**
   * The first `n` rows of the signal columns, as `take` does for the others.
   *
   * @example
   * const { ip, userAgent } = cols.takeSignals(n); // undefined for signals the log lacks
   */
  takeSignals(n: number): SignalColumns {
    const out: SignalColumns = {};
    const view = this.capacity <= 2 * n + 1024;
    for (const [f, a] of Object.entries(this.signals) as Array<[SignalField, Int32Array]>) out[f] = view ? a.subarray(0, n) : a.slice(0, n);
    this.signals = {};
    return out;
  }

  /**
   * The first `n` record numbers, as `take` does for the columns.
   *
   * @example
   * const records = cols.takeRecords(n); // records[i]: the record row i came from
   */
  takeRecords(n: number): Int32Array {
    const out = this.capacity <= 2 * n + 1024 ? this.records.subarray(0, n) : this.records.slice(0, n);
    this.records = new Int32Array(0);
    return out;
  }
}
