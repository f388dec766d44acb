// Parquet through DuckDB's read_parquet: columns keep their stored types (timestamps stay timestamps).
import type { Duck } from '../duck.ts';
import type { Relation } from '../plan.ts';
import { lit } from '../sql.ts';
import { recordsRelation } from './describe.ts';

/**
 * The Parquet file as a relation with record numbers.
 *
 * @example
 * const rel = await parquetRelation(duck, '/data/events.parquet');
 */
export async function parquetRelation(duck: Duck, file: string): Promise<Relation> {
  return recordsRelation(duck, `read_parquet(${lit(file)})`);
}
