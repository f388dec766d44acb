// Stage 2: what was dropped and why. Counts come from the stage (and DuckDB's reject table for rows the CSV
// parser could not split); line numbers are looked up only for the first few rows of each reason.
import type { Duck } from './duck.ts';
import { InputError } from '../errors.ts';
import { dropReason, ingestMsg } from './messages.ts';
import type { Field, ReadPlan } from './plan.ts';
import { recordLines } from './recordLines.ts';
import { STAGE } from './stage.ts';

export interface DropReason {
  reason: string;
  count: number;
  /** 1-based line (or record) numbers, at most FIRST_LINES. */
  firstLines: number[];
}

export interface DropSummary {
  /** Records read, rejected ones included (for multi-event records: events). */
  readonly rows: number;
  readonly loaded: number;
  readonly dropped: DropReason[];
}

export const FIRST_LINES = 5;

/** The field a generic reason is about, for strict-mode messages. */
const FIELD_OF: Record<string, Field> = {
  [dropReason.unparseableTime]: 'time',
  [dropReason.unparseableValue]: 'value',
};

/**
 * Count the bad rows by reason with their first lines; in strict mode, throw on the first bad row instead.
 *
 * @example
 * const { loaded, dropped } = await summarizeDrops(duck, plan, spec.path, false);
 */
export async function summarizeDrops(duck: Duck, plan: ReadPlan, file: string, strict: boolean): Promise<DropSummary> {
  const [[total, good]] = (await duck.rows(`SELECT count(*), count(*) FILTER (WHERE reason IS NULL) FROM ${STAGE}`)) as number[][];
  const staged = (await duck.rows(
    `SELECT reason, count(*) AS n, min(rn, ${FIRST_LINES}) FROM ${STAGE} WHERE reason IS NOT NULL GROUP BY reason ORDER BY n DESC, reason`,
  )) as Array<[string, number, { items: number[] }]>;
  const rejected = plan.relation.rejects ? await rejectCounts(duck) : [];
  const rejectTotal = rejected.reduce((s, r) => s + r.count, 0);

  const records = [...new Set(staged.flatMap(([, , first]) => first.items))].sort((a, b) => a - b);
  const numbering = plan.relation.numbering;
  let lineOf = (rn: number) => rn;
  let tooMany: number[] = [];
  let tooFew: number[] = [];
  if (numbering.kind === 'lines' && (records.length > 0 || rejectTotal > 0)) {
    const scan = await recordLines(file, numbering, strict ? records.slice(0, 1) : records, strict ? 1 : FIRST_LINES);
    lineOf = (rn) => scan.lineOf.get(rn) ?? rn + numbering.headerLines;
    tooMany = scan.tooMany;
    tooFew = scan.tooFew;
  }

  if (strict && (staged.length > 0 || rejectTotal > 0)) {
    const firstStaged = staged.length ? Math.min(...staged.map(([, , f]) => f.items[0])) : Infinity;
    const stagedLine = Number.isFinite(firstStaged) ? lineOf(firstStaged) : Infinity;
    const rejectLine = Math.min(tooMany[0] ?? Infinity, tooFew[0] ?? Infinity);
    if (rejectLine < stagedLine) {
      const reason = rejectLine === tooMany[0] ? dropReason.tooManyFields : dropReason.tooFewFields;
      throw new InputError(ingestMsg.badRow(file, rejectLine, reason, null, null));
    }
    const [[reason, bad]] = (await duck.rows(`SELECT reason, bad FROM ${STAGE} WHERE rn = ${firstStaged} AND reason IS NOT NULL ORDER BY ${plan.relation.sub === '0' ? 'rn' : 'sub'} LIMIT 1`)) as Array<[string, string | null]>;
    throw new InputError(ingestMsg.badRow(file, stagedLine, reason, columnFor(plan, reason), bad));
  }

  const dropped: DropReason[] = staged.map(([reason, count, first]) => ({
    reason,
    count,
    firstLines: [...new Set(first.items.map(lineOf))].sort((a, b) => a - b),
  }));
  for (const r of rejected) {
    const lines = r.reason === dropReason.tooManyFields ? tooMany : r.reason === dropReason.tooFewFields ? tooFew : [];
    dropped.push({ reason: r.reason, count: r.count, firstLines: lines.slice(0, FIRST_LINES) });
  }
  dropped.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return { rows: total + rejectTotal, loaded: good, dropped };
}

/** Rows DuckDB's CSV parser rejected, by kind (one row may log several errors). */
async function rejectCounts(duck: Duck): Promise<Array<{ reason: string; count: number }>> {
  const rows = (await duck.rows(`SELECT error_type, count(DISTINCT line) FROM reject_errors GROUP BY error_type ORDER BY error_type`)) as Array<[string, number]>;
  return rows.map(([type, count]) => ({ reason: rejectReason(type), count }));
}

function rejectReason(type: string): string {
  if (type === 'TOO MANY COLUMNS') return dropReason.tooManyFields;
  if (type === 'MISSING COLUMNS') return dropReason.tooFewFields;
  return dropReason.malformedRow(type.toLowerCase());
}

/** The source column a reason is about: adapter drops name theirs, unknown events the event column. */
function columnFor(plan: ReadPlan, reason: string): string | null {
  const drop = plan.drops.find((d) => d.reason === reason);
  if (drop) return drop.column;
  const field = reason.startsWith('unknown event type') ? 'event' : FIELD_OF[reason];
  return field === undefined ? null : (plan.columnOf[field] ?? field);
}
