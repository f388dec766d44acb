// The audit's four checks share one result shape (docs/method.md 6.5): a verdict, the number behind it, the
// threshold it was held to, a sentence for people and the supporting numbers for the report.

/** `unknown`: the log cannot answer the check (the result says why and what would); never a pass by default. */
export type Verdict = 'pass' | 'warn' | 'fail' | 'unknown';

/** 01 freshness, 02 identity, 03 offline-online gap (built by the lead's pipeline), 04 conversion window. */
export type CheckId = '01' | '02' | '03' | '04';

export interface CheckResult {
  id: CheckId;
  name: string;
  verdict: Verdict;
  /** The number the verdict is based on, in `unit`. */
  value: number;
  /** The fail threshold, in `unit` (the warn threshold is in `data.warnAt` and in `detail`). */
  threshold: number;
  unit: string;
  /** The number in words plus one sentence on what to do. */
  detail: string;
  /** Supporting numbers for the report. */
  data: Record<string, unknown>;
  /** With verdict `unknown`: why the log cannot answer, and what would. */
  reason?: string;
}

/**
 * A check the log cannot answer: verdict `unknown`, no value, the reason as its detail.
 *
 * @example
 * unknownCheck({ id: '04', name: 'conversion window alignment', threshold: 0.25, unit: 'share' }, 'the log has only purchases ...')
 */
export function unknownCheck(c: Pick<CheckResult, 'id' | 'name' | 'threshold' | 'unit'>, reason: string): CheckResult {
  return { ...c, verdict: 'unknown', value: NaN, detail: reason, data: {}, reason };
}

/**
 * Verdict of a "higher is worse" number: fail above `failAt`, warn above `warnAt`, otherwise pass; values
 * exactly at a threshold take the milder verdict. NaN (nothing to measure) is unknown: the check cannot vouch.
 *
 * @example
 * verdictAbove(0.3, 0.2, 0.4) // 'warn'
 * verdictAbove(0.4, 0.2, 0.4) // 'warn' (at the threshold, not above it)
 */
export function verdictAbove(value: number, warnAt: number, failAt: number): Verdict {
  if (!(value === value)) return 'unknown';
  if (value > failAt) return 'fail';
  if (value > warnAt) return 'warn';
  return 'pass';
}

/**
 * Verdict of a "higher is worse" number known only within an interval: pass when the whole interval is at or
 * below `warnAt`, fail when all of it is above `failAt`, unknown when it reaches from the pass region past
 * `failAt` (the data cannot tell pass from fail), warn otherwise (above the warn line or unable to rule it
 * out). No interval (NaN bounds) is unknown: a verdict is never claimed on a point estimate alone.
 *
 * @example
 * verdictWithin({ mean: 0, lo: 0, hi: 0.28 }, 0.1, 0.25) // 'unknown' (0 of 10 conversions)
 * verdictWithin({ mean: 0.02, lo: 0.01, hi: 0.03 }, 0.1, 0.25) // 'pass'
 * verdictWithin({ mean: 0.09, lo: 0.07, hi: 0.11 }, 0.1, 0.25) // 'warn' (cannot rule out above 10%)
 */
export function verdictWithin(i: { mean: number; lo: number; hi: number }, warnAt: number, failAt: number): Verdict {
  if (!(Number.isFinite(i.mean) && Number.isFinite(i.lo) && Number.isFinite(i.hi))) return 'unknown';
  if (i.lo > failAt) return 'fail';
  if (i.hi <= warnAt) return 'pass';
  if (i.lo <= warnAt && i.hi > failAt) return 'unknown';
  return 'warn';
}
