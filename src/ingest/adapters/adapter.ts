// A built-in adapter reads one public data set's own layout into a ReadPlan, without a column map.
import type { DataSpec } from '../../scenario/types.ts';
import type { Duck } from '../duck.ts';
import { InputError } from '../../errors.ts';
import { ingestMsg } from '../messages.ts';
import type { ReadPlan, Relation } from '../plan.ts';

export interface Adapter {
  /** Build the plan for `spec.path` (reads at most a sample of the file). */
  plan(duck: Duck, spec: DataSpec): Promise<ReadPlan>;
}

/**
 * Throw unless the relation has every named column (a file of another data set, or a wrong delimiter).
 *
 * @example
 * requireColumns(file, 'retailrocket', relation, ['timestamp', 'visitorid', 'event', 'itemid']);
 */
export function requireColumns(file: string, format: string, relation: Relation, names: readonly string[]): void {
  const have = relation.columns.map((c) => c.name);
  if (names.every((n) => have.includes(n))) return;
  throw new InputError(ingestMsg.adapterHeader(file, format, `columns ${names.join(', ')}`, have.join(',')));
}

/**
 * Throw unless the first line splits into `count` fields on `delimiter` (header-less files).
 *
 * @example
 * requireFieldCount(file, 'taobao', '1,2,3,pv,1511544070', ',', 5);
 */
export function requireFieldCount(file: string, format: string, line: string, delimiter: string, count: number, layout: string): void {
  if (line.split(delimiter).length === count) return;
  throw new InputError(ingestMsg.adapterHeader(file, format, layout, line));
}
