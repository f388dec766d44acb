// One private in-memory DuckDB per read: the staging tables live only for the call, and closing the instance
// returns their memory. Times are parsed with the session zone set to UTC, so ISO strings without a zone are UTC.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface Duck {
  readonly conn: DuckDBConnection;
  /** Rows of a query as plain JS values (BIGINT as number). */
  rows(sql: string): Promise<unknown[][]>;
  run(sql: string): Promise<void>;
  /** Release the database (idempotent). */
  close(): void;
}

/**
 * Open a fresh in-memory database.
 *
 * @example
 * const duck = await openDuck();
 * try { await duck.rows('SELECT 42'); } finally { duck.close(); }
 */
export async function openDuck(): Promise<Duck> {
  // Nothing may be fetched at run time (offline machines): extensions load only if bundled.
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const conn = await instance.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  let closed = false;
  return {
    conn,
    async rows(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRows().map((r) => r.map(plain));
    },
    async run(sql) {
      await conn.run(sql);
    },
    close() {
      if (closed) return;
      closed = true;
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** BIGINT arrives as bigint (also inside lists); every count and row number here fits a double. */
const plain = (v: unknown): unknown => {
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && Array.isArray((v as { items?: unknown }).items)) return { items: (v as { items: unknown[] }).items.map(plain) };
  return v;
};

/**
 * The first line of a DuckDB error, without its "... Error: " prefix and hints.
 *
 * @example
 * duckDetail(new Error('IO Error: No magic bytes found\nLINE 1: ...')); // 'No magic bytes found'
 */
export function duckDetail(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].replace(/^[A-Za-z ]*Error: /, '');
}
