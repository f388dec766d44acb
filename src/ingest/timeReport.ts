// A log's time range, and the stray events at either end of it. One event months after the rest moves the end
// of the log, and with it which requests are censored; one weeks before the rest moves the default refresh
// origin and the train.until quantile. Such a small group, far from the bulk of the log, is reported so the user
// can clip it with data.timeRange; nothing is dropped unless they do.
//
// The rule: an edge group is at most EDGE_SHARE of the log (0.1%, at least 1 event, at most EDGE_MAX = 1,000):
// more than that is part of the log (a soft launch, a slow first week), not a stray. Among the gaps between
// consecutive events in that edge, the one nearest the bulk that is at least the threshold separates the group.
// The threshold is the larger of
//   - ISOLATION_FACTOR (100) x the log's typical spacing, the 95th percentile of the positive gaps between
//     consecutive events away from the edges: positive, because ties (several events per time, minute or
//     day-resolution timestamps) say nothing about spacing; the 95th percentile, because nights and weekends
//     are a few percent of the gaps of a busy log (UCI Online Retail: 1.5%; its 95th percentile is 32 minutes,
//     its 99th a night's 15 hours), so it is the spacing of the log's active hours, and 100 times that (53 hours
//     there) spans a night or a weekend; in a log of a few events a day the nights reach the 95th percentile,
//     so only strays months away are flagged;
//   - MIN_GAP_MS (1 day): in a busy log the 95th percentile is seconds, and an outage of an hour is not a stray
//     event; what a stray moves (the log's end, the refresh origin at UTC midnight, daily cadences) works in days.
import { MS } from '../util/duration.ts';

/** Largest share of the log an edge group may hold (at least one event, at most EDGE_MAX). */
const EDGE_SHARE = 0.001;
const EDGE_MAX = 1000;
/** The threshold is at least this many times the typical spacing... */
const ISOLATION_FACTOR = 100;
/** ...and at least this long. */
const MIN_GAP_MS = MS.d;
/** Quantile of the positive gaps that stands for the typical spacing. */
const SPACING_QUANTILE = 0.95;
/** Positive gaps sorted for the quantile at most (every k-th one beyond): the quantile stays O(n). */
const SPACING_SAMPLE = 100_000;

/** Events at one end of the log, separated from the rest by `gapMs`. */
export interface IsolatedGroup {
  events: number;
  /** ISO times of the group's first and last events. */
  from: string;
  to: string;
  /** From the group to the nearest event of the rest of the log. */
  gapMs: number;
}

export interface TimeReport {
  /** ISO times of the first and last events. */
  timeRange: { from: string; to: string };
  isolated: {
    /** Gaps at least this long separate an edge group: max(100 x the typical spacing, 1 day); null for a log too small to tell. */
    thresholdMs: number | null;
    start: IsolatedGroup | null;
    end: IsolatedGroup | null;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The time range of a time-sorted log (at least one event) and its isolated edge groups.
 *
 * @example
 * timeReport(log.tsMs).isolated.end; // { events: 1, from: '2018-03-02T10:00:00.000Z', to: ..., gapMs: 7776000000 }
 */
export function timeReport(tsMs: Float64Array): TimeReport {
  const n = tsMs.length;
  const timeRange = { from: iso(tsMs[0]), to: iso(tsMs[n - 1]) };
  const edge = Math.max(1, Math.min(EDGE_MAX, Math.floor(n * EDGE_SHARE)));
  // The typical spacing is measured between the edges (gaps edge .. n - 2 - edge), so a stray never sets it.
  const spacing = n - 1 - edge > edge ? typicalSpacing(tsMs, edge, n - 1 - edge) : null;
  if (spacing === null) return { timeRange, isolated: { thresholdMs: null, start: null, end: null } };
  const thresholdMs = Math.max(ISOLATION_FACTOR * spacing, MIN_GAP_MS);
  let start: IsolatedGroup | null = null;
  // Gap i lies between events i and i + 1; the one nearest the bulk wins, so the group holds every stray.
  for (let i = edge - 1; i >= 0 && start === null; i--) {
    const gap = tsMs[i + 1] - tsMs[i];
    if (gap >= thresholdMs) start = { events: i + 1, from: iso(tsMs[0]), to: iso(tsMs[i]), gapMs: gap };
  }
  let end: IsolatedGroup | null = null;
  for (let i = n - 1 - edge; i < n - 1 && end === null; i++) {
    const gap = tsMs[i + 1] - tsMs[i];
    if (gap >= thresholdMs) end = { events: n - 1 - i, from: iso(tsMs[i + 1]), to: iso(tsMs[n - 1]), gapMs: gap };
  }
  return { timeRange, isolated: { thresholdMs, start, end } };
}

/** The SPACING_QUANTILE of the positive gaps lo .. hi - 1 (gap i: tsMs[i + 1] - tsMs[i]); 0 when every gap is 0. */
function typicalSpacing(tsMs: Float64Array, lo: number, hi: number): number {
  let positive = 0;
  for (let i = lo; i < hi; i++) if (tsMs[i + 1] > tsMs[i]) positive++;
  if (positive === 0) return 0;
  const every = Math.ceil(positive / SPACING_SAMPLE);
  const sample = new Float64Array(Math.ceil(positive / every));
  let seen = 0;
  let k = 0;
  for (let i = lo; i < hi; i++) {
    const gap = tsMs[i + 1] - tsMs[i];
    if (gap > 0 && seen++ % every === 0) sample[k++] = gap;
  }
  const sorted = sample.subarray(0, k).sort();
  return sorted[Math.min(k - 1, Math.floor(SPACING_QUANTILE * k))];
}
