// Number formatting shared by report.html, summary.md and chart labels: fixed decimals for metrics,
// percentages, money with three significant digits (the assumptions do not support more), durations.
import type { Interval } from '../stats/bootstrap.ts';
import { formatDurationMs, MS } from '../util/duration.ts';

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Metric value with 4 decimals; 'n/a' when undefined. */
export function fmtMetric(x: number | null | undefined, digits = 4): string {
  return finite(x) ? x.toFixed(digits) : 'n/a';
}

/** 3 decimals, or 2 significant digits for values too small to show that way: 0.101, 0.000043. */
export function fmtSmall(x: number | null | undefined): string {
  if (!finite(x)) return 'n/a';
  return x !== 0 && Math.abs(x) < 0.0005 ? Number(x.toPrecision(2)).toString() : x.toFixed(3);
}

/** `0.1111 [0.1034, 0.1193]`, or just the mean when the interval is undefined. */
export function fmtInterval(i: Interval, digits = 4): string {
  return finite(i.lo) && finite(i.hi) ? `${fmtMetric(i.mean, digits)} [${fmtMetric(i.lo, digits)}, ${fmtMetric(i.hi, digits)}]` : fmtMetric(i.mean, digits);
}

/** A share as a percentage: 0.323 -> `32.3%`. */
export function fmtPct(x: number | null | undefined, digits = 1): string {
  return finite(x) ? `${(100 * x).toFixed(digits)}%` : 'n/a';
}

/** A difference of probabilities in percentage points with its sign: 0.0083 -> `+0.83 pp`. */
export function fmtPp(x: number | null | undefined, digits = 2): string {
  if (!finite(x)) return 'n/a';
  const v = 100 * x;
  return `${v > 0 ? '+' : v < 0 ? '-' : ''}${Math.abs(v).toFixed(digits)} pp`;
}

/** Integer count with thousands separators. */
export function fmtCount(x: number | null | undefined): string {
  return finite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a';
}

/** Round to `sig` significant digits (money is only as precise as its assumptions). */
export function roundSig(x: number, sig = 3): number {
  if (!finite(x) || x === 0) return x;
  const p = Math.pow(10, sig - 1 - Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x * p) / p;
}

/** `USD 12,300` (three significant digits, sign before the amount). */
export function fmtMoney(x: number | null | undefined, currency: string): string {
  if (!finite(x)) return 'n/a';
  const r = roundSig(x, 3);
  const abs = Math.abs(r).toLocaleString('en-US', { maximumFractionDigits: Math.abs(r) < 10 ? 2 : 0 });
  return `${currency} ${r < 0 ? '-' : ''}${abs}`;
}

/** A duration rounded to the minute below 1 day and to the hour above: `5d15h`, `3h20m`. */
export function fmtAge(ms: number | null | undefined): string {
  if (!finite(ms)) return 'n/a';
  const unit = ms >= MS.d ? MS.h : MS.m;
  return formatDurationMs(Math.round(ms / unit) * unit);
}

/** Plain number with up to `digits` decimals and separators: 1234.5 -> `1,234.5`. */
export function fmtNumber(x: number | null | undefined, digits = 2): string {
  return finite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
}

/** Round for data embedded in chart specs: 6 significant digits, null for undefined numbers. */
export function r6(x: number | null | undefined): number | null {
  return finite(x) ? Number(x.toPrecision(6)) : null;
}
