// The plan for a generic file (csv, jsonl, parquet, arrow): canonical fields from the column map, ids as text,
// time in the unit asked for or detected, events through data.eventMap.
import type { DataSpec } from '../scenario/types.ts';
import type { Duck } from './duck.ts';
import { resolveColumns } from './columnMap.ts';
import { SIGNAL_FIELDS, type ReadPlan, type Relation } from './plan.ts';
import { ident } from './sql.ts';
import { timeSql } from './timeUnit.ts';

/** Event type of every row when the file has no event column. */
const DEFAULT_EVENT = 'purchase';

/**
 * Text id of a column, NULL when empty.
 *
 * @example
 * idSql('user') // `NULLIF(CAST("user" AS VARCHAR), '')`
 */
export const idSql = (column: string): string => `NULLIF(CAST(${ident(column)} AS VARCHAR), '')`;

/**
 * Build the plan for a generic format.
 *
 * @example
 * const plan = await genericPlan(duck, spec, await csvRelation(duck, spec.path, { delimiter: spec.delimiter }));
 */
export async function genericPlan(duck: Duck, spec: DataSpec, relation: Relation): Promise<ReadPlan> {
  const cols = resolveColumns(spec.path, relation, spec.columns);
  const opt = (c: string | undefined) => (c === undefined ? null : idSql(c));
  const person = opt(cols.person);
  // A row without a key falls back to its person: the key column is optional per row when persons are known.
  const key = cols.key === undefined || cols.key === cols.person ? null : person === null ? idSql(cols.key) : `coalesce(${idSql(cols.key)}, ${person})`;
  const timeColumn = relation.columns.find((c) => c.name === cols.time)!;
  return {
    relation,
    time: await timeSql(duck, spec.path, relation, timeColumn, spec.timeUnit),
    person,
    key,
    login: opt(cols.login),
    channel: opt(cols.channel),
    session: opt(cols.session),
    item: idSql(cols.item!),
    event: cols.event === undefined ? { constant: DEFAULT_EVENT } : { raw: idSql(cols.event), map: spec.eventMap },
    value: cols.value === undefined ? null : { num: `TRY_CAST(${ident(cols.value)} AS DOUBLE)`, raw: idSql(cols.value) },
    drops: [],
    signals: Object.fromEntries(SIGNAL_FIELDS.filter((f) => cols[f] !== undefined).map((f) => [f, idSql(cols[f]!)])),
    columnOf: cols,
  };
}
