// The one line a read leaves in the progress output: events loaded, and whatever the report says beyond that
// (rows dropped by reason, rows out of time order, events given inactivity sessions); and the warnings a run
// prints about the log (stray events at its ends).
import { ingestMsg } from './messages.ts';
import type { IngestReport } from './readLog.ts';

const n = (x: number) => x.toLocaleString('en-US');

/**
 * One-line summary of an ingest report.
 *
 * @example
 * ingestSummary(report); // '526,005 events from /d/retail.csv.gz (15,904 rows dropped: 9,288 cancelled ..., 5,277 duplicate event; 12 rows out of time order, sorted)'
 */
export function ingestSummary(report: Omit<IngestReport, 'seconds'>): string {
  const dropped = report.dropped.reduce((a, d) => a + d.count, 0);
  const notes = [
    dropped > 0 ? `${n(dropped)} rows dropped: ${report.dropped.map((d) => `${n(d.count)} ${d.reason}`).join(', ')}` : '',
    report.outOfOrder > 0 ? `${n(report.outOfOrder)} rows out of time order, sorted` : '',
    report.emptySessionEvents > 0 ? `${n(report.emptySessionEvents)} events with an empty session, cut by inactivity` : '',
  ].filter((s) => s !== '');
  return `${n(report.loaded)} events from ${report.file}` + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
}

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Warnings about the log: one line when events at either end lie far from the rest, with the data.timeRange that
 * leaves them out (from the UTC midnight of the rest's first day to the midnight after its last day).
 *
 * @example
 * ingestWarnings(report); // ['/d/log.csv: 1 event on 2023-01-15T08:00:00Z comes 137 days before the rest of the log; set data.timeRange: [2023-06-01, null] ...']
 */
export function ingestWarnings(report: Omit<IngestReport, 'seconds'>): string[] {
  const { start, end } = report.isolated;
  if (start === null && end === null) return [];
  const from = start === null ? null : day(Date.parse(start.to) + start.gapMs);
  const to = end === null ? null : day(Math.floor((Date.parse(end.from) - end.gapMs) / DAY_MS) * DAY_MS + DAY_MS);
  return [ingestMsg.isolatedEvents(report.file, start, end, from, to)];
}
