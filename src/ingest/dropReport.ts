// What was dropped and why: the stream's tallies, the duplicate events and the rows DuckDB's CSV parser
// rejected, with the first line numbers of each reason. Physical lines are looked up only when there is
// something to point at. A row the parser rejects for several reasons counts once, under the first.
import type { Duck } from './duck.ts';
import type { Duplicates } from './dropDuplicates.ts';
import { InputError } from '../errors.ts';
import { dropReason, ingestMsg } from './messages.ts';
import type { Field, ReadPlan } from './plan.ts';
import { recordLines, type LineQuery, type MalformedKind } from './recordLines.ts';
import { FIRST_RECORDS, type FirstBad, type ReasonTally } from './streamRows.ts';

export interface DropReason {
  reason: string;
  count: number;
  /** 1-based line (or record) numbers, at most 5. */
  firstLines: number[];
}

interface Rejected {
  readonly reason: string;
  readonly kind: MalformedKind | null;
  readonly count: number;
  /** Lines as DuckDB counts them (exact unless quoted fields span lines); used when the scan cannot place them. */
  readonly duckLines: number[];
}

/** DuckDB's reject types the line scan recognises, and the order they take at one byte position. */
const KIND_OF: Record<string, MalformedKind> = {
  'TOO MANY COLUMNS': 'tooMany',
  'INVALID ENCODING': 'encoding',
  'UNQUOTED VALUE': 'quote',
  'MISSING COLUMNS': 'tooFew',
};

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
  const malformed: Partial<Record<MalformedKind, number>> = {};
  for (const r of rejected) if (r.kind !== null) malformed[r.kind] = Math.min(FIRST_RECORDS, r.count);
  const lines = await linesFor(plan, file, { records, malformed, toEnd: malformed.quote !== undefined });
  if (lines.unterminated !== null) throw new InputError(ingestMsg.unterminatedQuote(file, lines.unterminated));
  const dropped: DropReason[] = [...reasons].map(([reason, t]) => ({ reason, count: t.count, firstLines: t.first.map(lines.line) }));
  if (duplicates.count > 0)
    dropped.push({ reason: dropReason.duplicateEvent, count: duplicates.count, firstLines: duplicates.first.map((d) => lines.line(d.record)) });
  for (const r of rejected) dropped.push({ reason: r.reason, count: r.count, firstLines: linesOfRejected(lines, r).slice(0, FIRST_RECORDS) });
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
  const rejected = await rejectedRows(duck, plan);
  if (firstBad === null && dup === null && rejected.length === 0) return;
  const records = [firstBad?.record, dup?.record, dup?.original].filter((r): r is number => r !== undefined);
  const malformed: Partial<Record<MalformedKind, number>> = {};
  for (const r of rejected) if (r.kind !== null) malformed[r.kind] = 1;
  const lines = await linesFor(plan, file, { records, malformed, stopAtRecords: records.length > 0 });
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
    const line = linesOfRejected(lines, r)[0];
    if (line === undefined) continue;
    const open = r.kind === 'quote' && line === lines.unterminated;
    candidates.push([line, () => (open ? ingestMsg.unterminatedQuote(file, line) : ingestMsg.badRow(file, line, r.reason, null, null))]);
  }
  if (candidates.length === 0) return;
  const [, message] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a));
  throw new InputError(message());
}

/** The lines the scan found for a rejected kind, else DuckDB's own. */
function linesOfRejected(lines: Lines, r: Rejected): number[] {
  const scanned = r.kind === null ? [] : lines.malformed[r.kind];
  return scanned.length > 0 ? scanned : r.duckLines;
}

interface Lines {
  line(record: number): number;
  malformed: Readonly<Record<MalformedKind, number[]>>;
  unterminated: number | null;
}

const NO_MALFORMED: Lines['malformed'] = { tooMany: [], tooFew: [], encoding: [], quote: [] };

/** Physical lines for text files; record numbers are the numbers shown for Parquet and Arrow. */
async function linesFor(plan: ReadPlan, file: string, query: LineQuery): Promise<Lines> {
  const numbering = plan.relation.numbering;
  const nothing = query.records.length === 0 && Object.keys(query.malformed).length === 0;
  if (numbering.kind === 'records' || nothing) return { line: (r) => r, malformed: NO_MALFORMED, unterminated: null };
  const scan = await recordLines(file, numbering, query);
  return { line: (r) => scan.lineOf.get(r) ?? r + numbering.headerLines, malformed: scan.malformed, unterminated: scan.unterminated };
}

/** Rows DuckDB's CSV parser rejected, by the first reason of each row (one row may log several errors). */
async function rejectedRows(duck: Duck, plan: ReadPlan): Promise<Rejected[]> {
  if (!plan.relation.rejects) return [];
  const exists = await duck.rows(`SELECT 1 FROM duckdb_tables() WHERE table_name = 'reject_errors'`);
  if (exists.length === 0) return [];
  // Errors of one row in byte order; at one position the extra field of a too-long row comes first.
  const order = `byte_position * 4 + CASE CAST(error_type AS VARCHAR) ${Object.keys(KIND_OF)
    .map((t, i) => `WHEN '${t}' THEN ${i}`)
    .join(' ')} ELSE 3 END`;
  const rows = (await duck.rows(
    `SELECT type, count(*), list_sort(min(line, ${FIRST_RECORDS})) FROM ` +
      `(SELECT line, CAST(arg_min(error_type, ${order}) AS VARCHAR) AS type FROM reject_errors GROUP BY line) GROUP BY type ORDER BY type`,
  )) as Array<[string, number, { items: number[] }]>;
  return rows.map(([type, count, lines]) => ({ reason: rejectReason(type), kind: KIND_OF[type] ?? null, count, duckLines: lines.items }));
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
