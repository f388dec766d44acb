// Numbers out of DuckDB result vectors without a call per value. The vector classes of @duckdb/node-api keep a
// typed-array view of DuckDB's buffer in `items`; when it is there and of the expected kind one copy moves a
// whole chunk, otherwise values are read through the public `getItem` (same result, slower).
import type { DuckDBVector } from '@duckdb/node-api';

type Numeric = Float64Array | Float32Array | Uint8Array | BigUint64Array;
type Ctor<T extends Numeric> = { new (length: number): T; from(values: Iterable<number | bigint>): T; prototype: T };

/**
 * The first `rows` values of a numeric vector as a typed array (a view into DuckDB's buffer when possible:
 * valid only until the next chunk is fetched).
 *
 * @example
 * const ts = numbers(chunk.getColumnVector(0), Float64Array, chunk.rowCount);
 */
export function numbers<T extends Numeric>(vector: DuckDBVector, type: Ctor<T>, rows: number): T {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof type && items.length >= rows) return items;
  const out = new type(rows);
  const big = type === (BigUint64Array as unknown);
  for (let r = 0; r < rows; r++) {
    const v = vector.getItem(r);
    (out as unknown as Array<number | bigint>)[r] = big ? BigInt((v as bigint | null) ?? 0n) : Number(v ?? 0);
  }
  return out;
}

/**
 * A UBIGINT vector as 32-bit words, low word first (two per row), without converting to bigint.
 *
 * @example
 * const words = hashWords(chunk.getColumnVector(3), chunk.rowCount); // words[2 * r], words[2 * r + 1]
 */
function hashWords(vector: DuckDBVector, rows: number): Uint32Array {
  const big = numbers(vector, BigUint64Array, rows);
  return new Uint32Array(big.buffer, big.byteOffset, rows * 2);
}

/**
 * A UBIGINT[k] (fixed-size array) vector as 32-bit words: value j of row r at words[2 * (r * k + j)] (low) and
 * the next index (high). The array's values are one contiguous child vector, so one copy serves all k fields.
 *
 * @example
 * const words = arrayWords(chunk.getColumnVector(5), chunk.rowCount, 7);
 */
export function arrayWords(vector: DuckDBVector, rows: number, k: number): Uint32Array {
  const child = (vector as unknown as { childData?: DuckDBVector }).childData;
  if (child !== undefined) return hashWords(child, rows * k);
  const out = new BigUint64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const items = (vector.getItem(r) as { items: Array<bigint | null> } | null)?.items ?? [];
    for (let j = 0; j < k; j++) out[r * k + j] = items[j] ?? 0n;
  }
  return new Uint32Array(out.buffer, 0, rows * k * 2);
}
