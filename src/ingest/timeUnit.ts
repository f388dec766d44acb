// Time columns: typed timestamps, ISO 8601 text (UTC when no zone) or epoch seconds/milliseconds. 'auto'
// decides once per column from a sample, so every row of a file is read with the same unit.
//
// A detected epoch unit is then held to its magnitude, row by row: in a column of milliseconds a value below
// 1e11 (before 1973-03-03 as milliseconds, 1970-2100 as seconds when below 4.1e9) is a time in seconds, which
// read as milliseconds would be an event in January 1970; in a column of seconds a value from 1e11 up to
// 4.1e12 (2100 as milliseconds) is a time in milliseconds (as seconds, after the year 5000). Such rows are
// dropped with their own reason and lines (strict mode fails on the first). The adapters hold their datasets'
// fixed units to the same rule; a unit the scenario gives (data.timeUnit: s or ms) is taken at its word.
import type { Duck } from './duck.ts';
import { InputError } from '../errors.ts';
import { dropReason, ingestMsg } from './messages.ts';
import { MAX_TIME_MS, MIN_TIME_MS } from './timeRange.ts';
import type { Relation, SourceColumn, TimeSql, TimeUnit } from './plan.ts';
import { ident } from './sql.ts';

/** Epoch values below this are seconds (1e11 s is the year 5138; 1e11 ms is March 1973). */
const SECONDS_BELOW = 1e11;
const SAMPLE = 1000;

const TEMPORAL = /^(TIMESTAMP|DATE)/;
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

/**
 * SQL turning the column into epoch milliseconds, with the unit decided from the values when `unit` is 'auto'.
 *
 * @example
 * const t = await timeSql(duck, file, relation, { name: 'time', type: 'VARCHAR' }, 'auto');
 * t.unit; // 'ms' for 1700000000000, 's' for 1700000000, 'iso' for 2023-11-14T22:13:20Z
 */
export async function timeSql(duck: Duck, file: string, relation: Relation, column: SourceColumn, unit: 'auto' | TimeUnit): Promise<TimeSql> {
  const c = ident(column.name);
  const raw = `CAST(${c} AS VARCHAR)`;
  if (TEMPORAL.test(column.type)) {
    if (unit === 's' || unit === 'ms') throw new InputError(ingestMsg.timeUnitOnTimestamp(file, column.name, column.type, unit));
    return { ms: `CAST(epoch_ms(CAST(${c} AS TIMESTAMPTZ)) AS DOUBLE)`, raw, unit: 'iso' };
  }
  const numeric = NUMERIC.test(column.type);
  const chosen = unit === 'auto' ? await detectUnit(duck, relation, c, numeric) : unit;
  const time = { ms: epochMsSql(numeric ? c : raw, chosen, numeric), raw, unit: chosen };
  return unit === 'auto' ? { ...time, mismatch: unitMismatch(chosen) } : time;
}

/**
 * The times (in ms as read) that disagree with a detected epoch unit, and the drop reason for them.
 *
 * @example
 * unitMismatch('ms'); // { fromMs: 0, toMs: 1e11, reason: 'time in epoch seconds among milliseconds' }
 */
export function unitMismatch(unit: TimeUnit): TimeSql['mismatch'] {
  if (unit === 'ms') return { fromMs: MIN_TIME_MS, toMs: SECONDS_BELOW, reason: dropReason.secondsAmongMilliseconds };
  // Seconds are read x 1000: raw values in [1e11, MAX_TIME_MS) are plausible milliseconds.
  if (unit === 's') return { fromMs: SECONDS_BELOW * 1000, toMs: MAX_TIME_MS * 1000, reason: dropReason.millisecondsAmongSeconds };
  return undefined;
}

/**
 * SQL for epoch ms from a number or text in the given unit; NULL when the text does not parse.
 *
 * @example
 * epochMsSql('"ts"', 's', false); // 'CASE WHEN isfinite(TRY_CAST("ts" AS DOUBLE)) THEN round(TRY_CAST("ts" AS DOUBLE) * 1000) END'
 */
export function epochMsSql(x: string, unit: TimeUnit, numeric: boolean): string {
  if (unit === 'iso') return `CAST(epoch_ms(TRY_CAST(${numeric ? `CAST(${x} AS VARCHAR)` : x} AS TIMESTAMPTZ)) AS DOUBLE)`;
  const d = `TRY_CAST(${x} AS DOUBLE)`;
  // Seconds become whole milliseconds: fractional seconds keep their millisecond part, float noise goes.
  return `CASE WHEN isfinite(${d}) THEN ${unit === 's' ? `round(${d} * 1000)` : d} END`;
}

/** Majority of a sample: numbers (seconds below SECONDS_BELOW by the median, else ms) or ISO text. */
async function detectUnit(duck: Duck, relation: Relation, c: string, numeric: boolean): Promise<TimeUnit> {
  const x = numeric ? `CAST(${c} AS DOUBLE)` : c;
  const [[num, iso, median]] = await duck.rows(
    `SELECT count(*) FILTER (WHERE isfinite(TRY_CAST(x AS DOUBLE))), ` +
      (numeric ? '0, ' : `count(*) FILTER (WHERE TRY_CAST(x AS TIMESTAMPTZ) IS NOT NULL), `) +
      `median(TRY_CAST(x AS DOUBLE)) FROM (SELECT ${x} AS x FROM ${relation.from} WHERE ${c} IS NOT NULL LIMIT ${SAMPLE})`,
  );
  if ((num as number) === 0 || (iso as number) > (num as number)) return 'iso';
  return Math.abs(median as number) < SECONDS_BELOW ? 's' : 'ms';
}
