// The times a log may hold: from 1970-01-01 up to (not including) 2100-01-01 UTC. Interaction logs live well
// inside; a time outside is a unit mix-up or a typo (an extra digit), and kept it would move the log's end, and
// with it which late requests are censored, or fall outside what a JS Date can show. Such rows are dropped and
// counted as `time out of range` (strict mode fails on the first).

/** Earliest time accepted: 1970-01-01T00:00:00Z. */
export const MIN_TIME_MS = 0;
/** First time no longer accepted: 2100-01-01T00:00:00Z. */
export const MAX_TIME_MS = Date.UTC(2100, 0, 1);
