// The audit's four checks share one result shape (docs/method.md 6.5): a verdict, the number behind it, the
// threshold it was held to, a sentence for people and the supporting numbers for the report.

export type Verdict = 'pass' | 'warn' | 'fail';

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
}

/**
 * Verdict of a "higher is worse" number: fail above `failAt`, warn above `warnAt`, otherwise pass; values
 * exactly at a threshold take the milder verdict. NaN (nothing to measure) warns: the check cannot vouch.
 *
 * @example
 * verdictAbove(0.3, 0.2, 0.4) // 'warn'
 * verdictAbove(0.4, 0.2, 0.4) // 'warn' (at the threshold, not above it)
 */
export function verdictAbove(value: number, warnAt: number, failAt: number): Verdict {
  if (!(value === value)) return 'warn';
  if (value > failAt) return 'fail';
  if (value > warnAt) return 'warn';
  return 'pass';
}
