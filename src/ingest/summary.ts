// The one line a read leaves in the progress output: events loaded, and whatever the report says beyond that
// (rows dropped by reason, rows out of time order, events given inactivity sessions).
import type { IngestReport } from './readLog.ts';

const n = (x: number) => x.toLocaleString('en-US');

/**
 * One-line summary of an ingest report.
 *
 * @example
 * ingestSummary(report); // '526,005 events from /d/retail.csv.gz (15,904 rows dropped: 9,288 cancelled ..., 5,277 duplicate event; 12 rows out of time order, sorted)'
 */
export function ingestSummary(report: IngestReport): string {
  const dropped = report.dropped.reduce((a, d) => a + d.count, 0);
  const notes = [
    dropped > 0 ? `${n(dropped)} rows dropped: ${report.dropped.map((d) => `${n(d.count)} ${d.reason}`).join(', ')}` : '',
    report.outOfOrder > 0 ? `${n(report.outOfOrder)} rows out of time order, sorted` : '',
    report.emptySessionEvents > 0 ? `${n(report.emptySessionEvents)} events with an empty session, cut by inactivity` : '',
  ].filter((s) => s !== '');
  return `${n(report.loaded)} events from ${report.file}` + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
}
