// What was dropped and why: the stream's tallies plus the rows DuckDB's CSV parser rejected, with the first
// line numbers of each reason. Physical lines are looked up only when there is something to point at.
import type { Duck } from './duck.ts';
import { InputError } from '../errors.ts';
import { dropReason, ingestMsg } from './messages.ts';
import type { Field, ReadPlan } from './plan.ts';
import { recordLines, type RecordLines } from './recordLines.ts';
import { FIRST_RECORDS, type FirstBad, type ReasonTally } from './streamRows.ts';

export interface DropReason {
  reason: string;
  count: number;
  /** 1-based line (or record) numbers, at most 5. */
  firstLines: number[];
}

interface Rejected {
  readonly reason: string;
  readonly count: number;
  /** Lines as DuckDB counts them (exact unless quoted fields span lines); used for kinds the scan cannot see. */
  readonly duckLines: number[];
}

/**
 * Bad rows by reason, most frequent first, with their first lines.
 *
 * @example
 * const dropped = await dropReport(duck, plan, file, streamed.reasons);
 * dropped[0]; // { reason: 'unparseable time', count: 3, firstLines: [17, 250, 9001] }
 */
export async function dropReport(duck: Duck, plan: ReadPlan, file: string, reasons: ReadonlyMap<string, ReasonTally>): Promise<{ dropped: DropReason[]; rejected: number }> {
  const rejected = await rejectedRows(duck, plan);
  const records = [...new Set([...reasons.values()].flatMap((t) => t.first))];
  const want = (reason: string) => Math.min(FIRST_RECORDS, rejected.find((r) => r.reason === reason)?.count ?? 0);
  const lines = await linesFor(plan, file, { records, tooMany: want(dropReason.tooManyFields), tooFew: want(dropReason.tooFewFields) });
  const dropped: DropReason[] = [...reasons].map(([reason, t]) => ({ reason, count: t.count, firstLines: t.first.map(lines.line) }));
  for (const r of rejected) {
    const first = r.reason === dropReason.tooManyFields ? lines.tooMany : r.reason === dropReason.tooFewFields ? lines.tooFew : r.duckLines;
    dropped.push({ reason: r.reason, count: r.count, firstLines: first.slice(0, FIRST_RECORDS) });
  }
  dropped.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return { dropped, rejected: rejected.reduce((s, r) => s + r.count, 0) };
}

/**
 * Strict mode: throw for the first bad row of the file, if any (a row the stream flagged, or a malformed row
 * the parser rejected, whichever comes first).
 *
 * @example
 * await failOnFirstBad(duck, plan, file, streamed.firstBad);
 */
export async function failOnFirstBad(duck: Duck, plan: ReadPlan, file: string, firstBad: FirstBad | null): Promise<void> {
  if (firstBad !== null) {
    const lines = await linesFor(plan, file, { records: [firstBad.record], tooMany: 1, tooFew: 1, stopAtRecords: true });
    const line = lines.line(firstBad.record);
    throwMalformedBefore(file, lines, line);
    throw new InputError(ingestMsg.badRow(file, line, firstBad.reason, columnFor(plan, firstBad.reason), firstBad.value));
  }
  const rejected = await rejectedRows(duck, plan);
  if (rejected.length === 0) return;
  const count = (reason: string) => Math.min(1, rejected.find((r) => r.reason === reason)?.count ?? 0);
  const lines = await linesFor(plan, file, { records: [], tooMany: count(dropReason.tooManyFields), tooFew: count(dropReason.tooFewFields) });
  throwMalformedBefore(file, lines, Infinity);
  // Only other kinds of rejects (e.g. invalid UTF-8): DuckDB's own line numbers.
  const other = rejected.reduce((a, b) => (a.duckLines[0] <= b.duckLines[0] ? a : b));
  throw new InputError(ingestMsg.badRow(file, other.duckLines[0], other.reason, null, null));
}

function throwMalformedBefore(file: string, lines: Lines, line: number): void {
  const many = lines.tooMany[0] ?? Infinity;
  const few = lines.tooFew[0] ?? Infinity;
  if (Math.min(many, few) < line) throw new InputError(ingestMsg.badRow(file, Math.min(many, few), many < few ? dropReason.tooManyFields : dropReason.tooFewFields, null, null));
}

interface Lines extends Omit<RecordLines, 'lineOf'> {
  line(record: number): number;
}

/** Physical lines for text files; record numbers are the numbers shown for Parquet and Arrow. */
async function linesFor(plan: ReadPlan, file: string, query: Parameters<typeof recordLines>[2]): Promise<Lines> {
  const numbering = plan.relation.numbering;
  const nothing = query.records.length === 0 && query.tooMany === 0 && query.tooFew === 0;
  if (numbering.kind === 'records' || nothing) return { line: (r) => r, tooMany: [], tooFew: [] };
  const scan = await recordLines(file, numbering, query);
  return { line: (r) => scan.lineOf.get(r) ?? r + numbering.headerLines, tooMany: scan.tooMany, tooFew: scan.tooFew };
}

/** Rows DuckDB's CSV parser rejected, by kind (one row may log several errors). */
async function rejectedRows(duck: Duck, plan: ReadPlan): Promise<Rejected[]> {
  if (!plan.relation.rejects) return [];
  const exists = await duck.rows(`SELECT 1 FROM duckdb_tables() WHERE table_name = 'reject_errors'`);
  if (exists.length === 0) return [];
  const rows = (await duck.rows(
    `SELECT error_type, count(DISTINCT line), list_sort(list_distinct(min(line, ${FIRST_RECORDS}))) FROM reject_errors GROUP BY error_type ORDER BY error_type`,
  )) as Array<[string, number, { items: number[] }]>;
  return rows.map(([type, count, lines]) => ({ reason: rejectReason(type), count, duckLines: lines.items }));
}

function rejectReason(type: string): string {
  if (type === 'TOO MANY COLUMNS') return dropReason.tooManyFields;
  if (type === 'MISSING COLUMNS') return dropReason.tooFewFields;
  return dropReason.malformedRow(type.toLowerCase());
}

/** The field a generic reason is about, for strict-mode messages. */
const FIELD_OF: Record<string, Field> = {
  [dropReason.unparseableTime]: 'time',
  [dropReason.unparseableValue]: 'value',
};

/** The source column a reason is about: adapter drops name theirs, unknown events the event column. */
function columnFor(plan: ReadPlan, reason: string): string | null {
  const drop = plan.drops.find((d) => d.reason === reason);
  if (drop) return drop.column;
  const field = reason.startsWith('unknown event type') ? 'event' : FIELD_OF[reason];
  return field === undefined ? null : (plan.columnOf[field] ?? field);
}
