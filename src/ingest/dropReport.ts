// What was dropped and why: the stream's tallies, the duplicate events and the rows DuckDB's CSV parser
// rejected, with the first line numbers of each reason. Physical lines are looked up only when there is
// something to point at. A row the parser rejects for several reasons counts once, under the first.
import type { Duck } from './duck.ts';
import type { Duplicates } from './dropDuplicates.ts';
import { InputError } from '../errors.ts';
import { dropReason, ingestMsg } from './messages.ts';
import type { Field, ReadPlan } from './plan.ts';
import { recordLines } from './recordLines.ts';
import { FIRST_RECORDS, type FirstBad, type ReasonTally } from './streamRows.ts';
import { numbers } from './vectors.ts';

export interface DropReason {
  reason: string;
  count: number;
  /** 1-based line (or record) numbers, at most 5. */
  firstLines: number[];
}

interface Rejected {
  readonly reason: string;
  readonly count: number;
  /** The first rows' lines as DuckDB counts them (blank lines counted, quoted line breaks not). */
  readonly duckLines: number[];
}

/** DuckDB's reject types in the order they take at one byte position (the extra field of a too-long row first). */
const REJECT_ORDER = ['TOO MANY COLUMNS', 'INVALID ENCODING', 'UNQUOTED VALUE', 'MISSING COLUMNS'];

/**
 * Bad rows by reason, most frequent first, with their first lines. Throws for a quoted field left open at the
 * end of the file: it swallowed every line after it, so no count would be right.
 *
 * @example
 * const dropped = await dropReport(duck, plan, file, streamed.reasons, { count: 0, first: [] });
 * dropped[0]; // { reason: 'unparseable time', count: 3, firstLines: [17, 250, 9001] }
 */
export async function dropReport(
  duck: Duck,
  plan: ReadPlan,
  file: string,
  reasons: ReadonlyMap<string, ReasonTally>,
  duplicates: Duplicates,
): Promise<{ dropped: DropReason[]; rejected: number }> {
  const rejected = await rejectedRows(duck, plan);
  const records = [...new Set([...[...reasons.values()].flatMap((t) => t.first), ...duplicates.first.map((d) => d.record)])];
  const lines = await linesFor(
    duck,
    plan,
    file,
    records,
    rejected.flatMap((r) => r.duckLines),
  );
  if (lines.unterminated !== null) throw new InputError(ingestMsg.unterminatedQuote(file, lines.unterminated));
  const dropped: DropReason[] = [...reasons].map(([reason, t]) => ({ reason, count: t.count, firstLines: t.first.map(lines.line) }));
  if (duplicates.count > 0)
    dropped.push({ reason: dropReason.duplicateEvent, count: duplicates.count, firstLines: duplicates.first.map((d) => lines.line(d.record)) });
  for (const r of rejected) dropped.push({ reason: r.reason, count: r.count, firstLines: r.duckLines.map(lines.rejectedLine) });
  dropped.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return { dropped, rejected: rejected.reduce((s, r) => s + r.count, 0) };
}

/**
 * Strict mode: throw for the first bad row of the file, if any: a row the stream flagged, a duplicate event, or
 * a malformed row the parser rejected, whichever comes first.
 *
 * @example
 * await failOnFirstBad(duck, plan, file, streamed.firstBad, duplicates);
 */
export async function failOnFirstBad(duck: Duck, plan: ReadPlan, file: string, firstBad: FirstBad | null, duplicates: Duplicates): Promise<void> {
  const dup = duplicates.first[0] ?? null;
  // The stream stopped early, before DuckDB logged its rejects: a second whole read logs them (and counts breaks).
  const breaks = plan.relation.rejects ? await recordBreaks(duck, plan, '') : undefined;
  const rejected = await rejectedRows(duck, plan, 'line_errors');
  if (firstBad === null && dup === null && rejected.length === 0) return;
  const records = [firstBad?.record, dup?.record, dup?.original].filter((r): r is number => r !== undefined);
  const lines = await linesFor(
    duck,
    plan,
    file,
    records,
    rejected.map((r) => r.duckLines[0]),
    breaks,
  );
  // Each candidate: its line and the message it would give.
  const candidates: Array<[number, () => string]> = [];
  if (firstBad !== null) {
    const line = lines.line(firstBad.record);
    candidates.push([line, () => ingestMsg.badRow(file, line, firstBad.reason, columnFor(plan, firstBad.reason), firstBad.value)]);
  }
  if (dup !== null) {
    const line = lines.line(dup.record);
    candidates.push([line, () => ingestMsg.duplicateEvent(file, line, lines.line(dup.original))]);
  }
  for (const r of rejected) {
    const line = lines.rejectedLine(r.duckLines[0]);
    candidates.push([line, () => (line === lines.unterminated ? ingestMsg.unterminatedQuote(file, line) : ingestMsg.badRow(file, line, r.reason, null, null))]);
  }
  const [, message] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a));
  throw new InputError(message());
}

interface Lines {
  line(record: number): number;
  rejectedLine(duckLine: number): number;
  /** Line of a quoted field left open at the end of the file, or null. */
  unterminated: number | null;
}

/**
 * Physical lines for text files (recordLines.ts, fed what DuckDB says about the rows); record numbers are the
 * numbers shown for Parquet and Arrow.
 */
async function linesFor(
  duck: Duck,
  plan: ReadPlan,
  file: string,
  records: readonly number[],
  rejected: readonly number[],
  breaksOf?: Map<number, number>,
): Promise<Lines> {
  const numbering = plan.relation.numbering;
  if (numbering.kind === 'records' || (records.length === 0 && rejected.length === 0)) return { line: (r) => r, rejectedLine: (d) => d, unterminated: null };
  const rejects = plan.relation.rejects && rejected.length > 0;
  // Every rejected row, where its text starts (past a line break DuckDB at times puts before it) and ends; and the
  // start of the last field DuckDB found a quote problem in: a quote opened there may run to the end of the file.
  const [lines = [], starts = [], ends = []] = rejects
    ? await columns(duck, `SELECT line, start + strlen(text) - strlen(ltrim(text, chr(13) || chr(10))), start + strlen(text) FROM rejected_rows ORDER BY start`)
    : [];
  const [[openField] = [], [openLine] = []] = rejects
    ? await columns(duck, `SELECT quote_field, line FROM rejected_rows WHERE quote_field IS NOT NULL ORDER BY quote_field DESC LIMIT 1`)
    : [];
  // Records before a row at DuckDB's line d number fewer than d (and none follow a quote left open).
  const limit = ` LIMIT ${Math.max(...records, ...rejected, openLine ?? 0)}`;
  const records_ = breaksOf ?? (await recordBreaks(duck, plan, limit));
  const breaks = { records: records_, rejected: lines.map((duckLine, i) => ({ duckLine, start: starts[i], end: ends[i] })) };
  const scan = await recordLines(file, { headerLines: numbering.headerLines, json: numbering.delimiter === null }, breaks, {
    records,
    rejected: openLine === undefined ? rejected : [...rejected, openLine],
    openField,
  });
  return {
    line: (r) => scan.lineOf.get(r) ?? r + numbering.headerLines,
    rejectedLine: (d) => scan.rejectedLine.get(d) ?? d,
    unterminated: scan.open && openLine !== undefined ? (scan.rejectedLine.get(openLine) ?? openLine) : null,
  };
}

/** Line breaks inside the values of the records, by record number (only records with any). */
async function recordBreaks(duck: Duck, plan: ReadPlan, limit: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const numbering = plan.relation.numbering;
  if (numbering.kind === 'lines' && numbering.breaks !== null) (await column(duck, numbering.breaks + limit)).forEach((n, i) => n > 0 && out.set(i + 1, n));
  return out;
}

/** The first column of a query's rows as numbers. */
async function column(duck: Duck, sql: string): Promise<number[]> {
  return (await columns(duck, sql))[0] ?? [];
}

/** A query's columns as numbers, read chunk by chunk. */
async function columns(duck: Duck, sql: string): Promise<number[][]> {
  const result = await duck.conn.stream(`SELECT COLUMNS(*)::DOUBLE FROM (${sql})`);
  const out: number[][] = [];
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (let c = 0; c < chunk.columnCount; c++) {
      const values = numbers(chunk.getColumnVector(c), Float64Array, chunk.rowCount);
      const into = (out[c] ??= []);
      for (let r = 0; r < chunk.rowCount; r++) into.push(values[r]);
    }
  }
  return out;
}

/** Rows DuckDB's CSV parser rejected, by the first reason of each row (one row may log several errors). */
async function rejectedRows(duck: Duck, plan: ReadPlan, table = 'reject_errors'): Promise<Rejected[]> {
  if (!plan.relation.rejects) return [];
  const exists = await duck.rows(`SELECT 1 FROM duckdb_tables() WHERE table_name = '${table}'`);
  if (exists.length === 0) return [];
  // Errors of one row in byte order; at one position the extra field of a too-long row comes first.
  const order = `byte_position * 4 + CASE CAST(error_type AS VARCHAR) ${REJECT_ORDER.map((t, i) => `WHEN '${t}' THEN ${i}`).join(' ')} ELSE 3 END`;
  await duck.run(
    `CREATE OR REPLACE TEMP TABLE rejected_rows AS SELECT line, CAST(arg_min(error_type, ${order}) AS VARCHAR) AS type, any_value(csv_line) AS text, ` +
      `min(line_byte_position) - 1 AS start, max(byte_position) FILTER (WHERE CAST(error_type AS VARCHAR) = 'UNQUOTED VALUE') - 1 AS quote_field FROM ${table} GROUP BY line`,
  );
  const rows = (await duck.rows(`SELECT type, count(*), list_sort(min(line, ${FIRST_RECORDS})) FROM rejected_rows GROUP BY type ORDER BY type`)) as Array<
    [string, number, { items: number[] }]
  >;
  return rows.map(([type, count, lines]) => ({ reason: rejectReason(type), count, duckLines: lines.items }));
}

function rejectReason(type: string): string {
  if (type === 'TOO MANY COLUMNS') return dropReason.tooManyFields;
  if (type === 'MISSING COLUMNS') return dropReason.tooFewFields;
  // DuckDB calls it an unquoted value; an unterminated quote, the other cause, fails the read.
  if (type === 'UNQUOTED VALUE') return dropReason.malformedRow('text after a closing quote');
  return dropReason.malformedRow(type.toLowerCase());
}

/** The field a generic reason is about, for strict-mode messages. */
const FIELD_OF: Record<string, Field> = {
  [dropReason.unparseableTime]: 'time',
  [dropReason.timeOutOfRange]: 'time',
  [dropReason.secondsAmongMilliseconds]: 'time',
  [dropReason.millisecondsAmongSeconds]: 'time',
  [dropReason.outsideTimeRange]: 'time',
  [dropReason.unparseableValue]: 'value',
};

/** The source column a reason is about: adapter drops name theirs, unknown events the event column. */
function columnFor(plan: ReadPlan, reason: string): string | null {
  const drop = plan.drops.find((d) => d.reason === reason);
  if (drop) return drop.column;
  const field = reason.startsWith('unknown event type') ? 'event' : FIELD_OF[reason];
  return field === undefined ? null : (plan.columnOf[field] ?? field);
}
