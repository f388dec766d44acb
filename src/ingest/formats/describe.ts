// Column names and DuckDB types of any FROM item, without reading past what DuckDB's sniffers sample.
import type { Duck } from '../duck.ts';
import type { Relation, SourceColumn } from '../plan.ts';

/**
 * The columns a FROM item yields.
 *
 * @example
 * await describeColumns(duck, "read_parquet('/data/log.parquet')"); // [{ name: 'time', type: 'TIMESTAMP' }, ...]
 */
export async function describeColumns(duck: Duck, from: string): Promise<SourceColumn[]> {
  const rows = await duck.rows(`DESCRIBE SELECT * FROM ${from}`);
  return rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
}

/**
 * A FROM item whose rows are numbered as records (no text lines to point at: parquet, arrow), with its
 * columns described.
 *
 * @example
 * const rel = await recordsRelation(duck, "read_parquet('/data/log.parquet')");
 */
export async function recordsRelation(duck: Duck, from: string): Promise<Relation> {
  return { from, rn: null, columns: await describeColumns(duck, from), numbering: { kind: 'records' }, rejects: false };
}
