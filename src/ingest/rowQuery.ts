// The one query over the source: per row, every canonical field, a code for the first reason the row is
// unusable (0 for good rows) and, for the id fields, 64-bit hashes next to the texts so JS can intern ids
// without decoding strings. Rows come back in file order (DuckDB preserves insertion order), so a row's
// position in the stream is its record number.
import { dropReason } from './messages.ts';
import type { ReadPlan } from './plan.ts';
import { lit } from './sql.ts';
import { MAX_TIME_MS, MIN_TIME_MS } from './timeRange.ts';

/** Channel of rows whose log has no channel (or leaves it empty). */
export const UNKNOWN_CHANNEL = 'unknown';

/** Dictionary-encoded fields, named as the EventLog's columns (signals as EventLog.signals' columns). */
export const ID_FIELDS = ['person', 'key', 'login', 'channel', 'session', 'item', 'ip', 'userAgent', 'geo', 'type'] as const;
export type IdField = (typeof ID_FIELDS)[number];

/** Stands for the reason `unknown event type "<raw>"`, whose text depends on the row. */
export const UNKNOWN_EVENT = null;

/** Positions of the result columns; an id field absent from the log has no columns. */
export interface RowLayout {
  /** Column of reason codes: 0 for a good row, else 1 + index into `reasons`. */
  readonly code: number;
  readonly reasons: ReadonlyArray<string | typeof UNKNOWN_EVENT>;
  readonly t: number;
  readonly v: number;
  /**
   * Raw text of the offending field of a bad row (the unparseable time, ...), or -1 when not asked for: only
   * strict mode names it, and a mostly empty text column still costs its share of every transferred chunk.
   * The raw value of an unknown event type is always at hand as the type's text.
   */
  readonly bad: number;
  /** Record number column (multi-event records), or -1: the row's position is its record number. */
  readonly rn: number;
  /** Column of the hashes of the present id fields, one UBIGINT[k] array per row. */
  readonly hashes: number;
  /** Present id fields in array order, with the column of each one's text (-1 for sessions: ids only). */
  readonly ids: ReadonlyArray<{ readonly field: IdField; readonly text: number }>;
}

/**
 * SQL and layout of the row stream for a plan; `withBad` adds the raw text of each bad row's field.
 *
 * @example
 * const { sql, layout } = rowQuery(plan, false);
 * layout.ids.map((f) => f.field); // ['person', 'key', 'item', 'type'] for a log with those fields
 */
export function rowQuery(plan: ReadPlan, withBad: boolean): { sql: string; layout: RowLayout } {
  const ev = plan.event;
  // The key falls back to the person (generic files) or is the person (key: null, one dictionary for both).
  const ids: Array<[IdField, string | null]> = [
    ['person', plan.person],
    ['key', plan.key],
    ['login', plan.login],
    ['channel', plan.channel === null ? null : `coalesce(${plan.channel}, ${lit(UNKNOWN_CHANNEL)})`],
    ['session', plan.session],
    ['item', plan.item],
    ['ip', plan.signals?.ip ?? null],
    ['userAgent', plan.signals?.userAgent ?? null],
    ['geo', plan.signals?.geo ?? null],
  ];
  const present = ids.filter((x): x is [IdField, string] => x[1] !== null);
  const inner = [
    plan.relation.rn === null ? null : `${plan.relation.rn} AS rn`,
    `${plan.time.ms} AS t`,
    `${plan.time.raw} AS t_raw`,
    ...present.map(([f, sql]) => `${sql} AS ${f}`),
    'constant' in ev ? `${lit(ev.constant)} AS e_raw` : `${ev.raw} AS e_raw`,
    plan.value === null ? 'CAST(1 AS DOUBLE) AS v_num, NULL AS v_raw' : `${plan.value.num} AS v_num, ${plan.value.raw} AS v_raw`,
    ...plan.drops.flatMap((d, j) => [`(${d.when}) AS d${j}`, `CAST(${d.value} AS VARCHAR) AS dv${j}`]),
  ].filter((x) => x !== null);
  const mapped =
    'constant' in ev || ev.map === null
      ? 'e_raw'
      : `CASE e_raw ${Object.entries(ev.map)
          .map(([k, v]) => `WHEN ${lit(k)} THEN ${lit(v)}`)
          .join(' ')} END`;
  const range = plan.timeRange ?? null;
  const bounds =
    range === null ? [] : [range.fromMs === null ? null : `t < ${range.fromMs}`, range.toMs === null ? null : `t >= ${range.toMs}`].filter((b) => b !== null);
  const outside = bounds.length === 0 ? null : bounds.join(' OR ');
  const mismatch = plan.time.mismatch;
  const anyKey = plan.key !== null ? 'key' : plan.person !== null ? 'person' : 'NULL';
  // The first failing check names the row's reason (its code is 1 + its index); `bad` keeps the raw text.
  const checks: Array<[string, string | typeof UNKNOWN_EVENT, string]> = [
    ...plan.drops.map((d, j): [string, string, string] => [`d${j}`, d.reason, `dv${j}`]),
    ['t_raw IS NULL', dropReason.missingTime, 'NULL'],
    ['t IS NULL', dropReason.unparseableTime, 't_raw'],
    // A time whose magnitude says another unit than the column's (seconds among milliseconds would load as 1970).
    ...(mismatch === undefined ? [] : [[`t >= ${mismatch.fromMs} AND t < ${mismatch.toMs}`, mismatch.reason, 't_raw'] as [string, string, string]]),
    [`t < ${MIN_TIME_MS} OR t >= ${MAX_TIME_MS}`, dropReason.timeOutOfRange, 't_raw'],
    // data.timeRange, right after the time checks: a row the scenario leaves out is not judged on its other fields.
    ...(outside === null ? [] : [[outside, dropReason.outsideTimeRange, 't_raw'] as [string, string, string]]),
    ['item IS NULL', dropReason.missingItem, 'NULL'],
    [`${anyKey} IS NULL`, dropReason.missingKey, 'NULL'],
    ['e_raw IS NULL', dropReason.missingEvent, 'NULL'],
    ['type IS NULL', UNKNOWN_EVENT, 'e_raw'],
    ['v_raw IS NOT NULL AND v IS NULL', dropReason.unparseableValue, 'v_raw'],
  ];
  // Values are stored as float32: one beyond its range is unparseable like text (TRY_CAST gives NULL).
  const checked = `SELECT *, ${mapped} AS type, CASE WHEN isfinite(v_num) THEN TRY_CAST(v_num AS FLOAT) END AS v FROM (SELECT ${inner.join(', ')} FROM ${plan.relation.from})`;

  const fields: IdField[] = [...present.map(([f]) => f), 'type'];
  const out: string[] = [];
  const col = (sql: string, name: string) => out.push(`${sql} AS ${name}`) - 1;
  const layout: RowLayout = {
    code: col('code', 'code_'),
    reasons: checks.map(([, r]) => r),
    t: col('CAST(t AS DOUBLE)', 't_'),
    v: col('CAST(coalesce(v, 1) AS FLOAT)', 'v_'),
    bad: withBad ? col('bad', 'bad_') : -1,
    rn: plan.relation.rn === null ? -1 : col('CAST(rn AS DOUBLE)', 'rn_'),
    // 0 marks NULL; real hashes get their low bit set so they are never 0. One array column instead of one
    // column per field: fewer vectors to move per chunk.
    hashes: col(
      `CAST([${fields.map((f) => `CASE WHEN ${f} IS NULL THEN CAST(0 AS UBIGINT) ELSE hash(${f}) | CAST(1 AS UBIGINT) END`).join(', ')}] AS UBIGINT[${fields.length}])`,
      'h_',
    ),
    // Sessions need dense ids but no dictionary: their text would only cost transfer.
    ids: fields.map((field) => ({ field, text: field === 'session' ? -1 : col(field === 'type' ? 'coalesce(type, e_raw)' : field, `s_${field}`) })),
  };
  const sql =
    `SELECT ${out.join(', ')} FROM (SELECT *, ` +
    `CAST(CASE ${checks.map(([w], j) => `WHEN ${w} THEN ${j + 1}`).join(' ')} ELSE 0 END AS UTINYINT) AS code, ` +
    (withBad ? `CASE ${checks.map(([w, , b]) => `WHEN ${w} THEN ${b}`).join(' ')} END AS bad ` : 'NULL AS bad ') +
    `FROM (${checked}))`;
  return { sql, layout };
}
