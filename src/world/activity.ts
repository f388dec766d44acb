// Activity (docs/method.md 2.6): when a person's sessions start (a Poisson process, optionally thinned
// by time of day), how many views a session has, and how far apart its events are.
import type { Rng } from '../util/rng.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Relative session intensity by hour of day (UTC taken as local time): a night trough, a lunch bump
 * and an evening peak, the usual shape of e-commerce traffic. Normalised to mean 1 below.
 */
const HOURLY_SHAPE = [0.6, 0.35, 0.22, 0.15, 0.13, 0.15, 0.3, 0.55, 0.8, 0.95, 1.05, 1.1, 1.2, 1.15, 1.1, 1.1, 1.15, 1.25, 1.4, 1.6, 1.75, 1.7, 1.4, 1.0];
const HOURLY_MEAN = HOURLY_SHAPE.reduce((a, b) => a + b, 0) / 24;
const HOURLY = Float64Array.from(HOURLY_SHAPE, (w) => w / HOURLY_MEAN);
const HOURLY_MAX = Math.max(...HOURLY);

/** Mean gap between consecutive events of a session, and the cap that keeps gaps well under 30 min. */
const EVENT_GAP_MEAN_MS = 75_000;
const EVENT_GAP_MAX_MS = 10 * 60_000;
/** Arrivals closer than this to the end of the person's previous session are absorbed into it. */
export const SESSION_SEPARATION_MS = 30 * 60_000;

/**
 * Diurnal intensity multiplier (mean 1 over a day) at `tMs`.
 *
 * @example
 * diurnalFactor(Date.UTC(2024, 0, 1, 20)); // about 1.8: the evening peak
 */
export function diurnalFactor(tMs: number): number {
  const hour = Math.floor((((tMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
  return HOURLY[hour];
}

/**
 * Next session start after `fromMs` for a person with `ratePerDay` sessions per day on average, or a
 * value >= `endMs` when none falls in the period. With `diurnal`, candidates arrive at the peak rate and
 * are kept with probability factor(t) / peak (Lewis-Shedler thinning), so the mean rate is unchanged.
 *
 * @example
 * let t = startMs;
 * while ((t = nextSessionStart(t, 0.25, true, endMs, rng)) < endMs) { ... }
 */
export function nextSessionStart(fromMs: number, ratePerDay: number, diurnal: boolean, endMs: number, rng: Rng): number {
  if (!(ratePerDay > 0)) return endMs;
  const peakPerMs = (ratePerDay * (diurnal ? HOURLY_MAX : 1)) / DAY_MS;
  let t = fromMs;
  for (;;) {
    t += rng.exponential(peakPerMs);
    if (t >= endMs) return endMs;
    if (!diurnal || rng.float() * HOURLY_MAX < diurnalFactor(t)) return Math.round(t);
  }
}

/**
 * The one session start of a person who visits exactly once (activity.oneOff): uniform over [startMs, endMs),
 * thinned by time of day with `diurnal` as nextSessionStart is, so one-off visits keep the day's shape.
 *
 * @example
 * const t = oneSessionStart(startMs, endMs, true, rng); // startMs <= t < endMs
 */
export function oneSessionStart(startMs: number, endMs: number, diurnal: boolean, rng: Rng): number {
  for (;;) {
    const t = startMs + rng.float() * (endMs - startMs);
    if (!diurnal || rng.float() * HOURLY_MAX < diurnalFactor(t)) return Math.min(endMs - 1, Math.round(t));
  }
}

/**
 * Views in a session: 1 + Geometric, with mean `meanViews` overall (at least 1).
 *
 * @example
 * viewsInSession(4, rng); // 1, 2, 3, ... with mean 4
 */
export function viewsInSession(meanViews: number, rng: Rng): number {
  if (!(meanViews > 1)) return 1;
  // Failures before the first success with p = 1 / mean: mean (1 - p) / p = mean - 1.
  const q = 1 - 1 / meanViews;
  return 1 + Math.floor(Math.log(rng.floatOpen()) / Math.log(q));
}

/**
 * Gap before the next event of a session: at least one second, exponential with mean
 * EVENT_GAP_MEAN_MS, capped at EVENT_GAP_MAX_MS.
 *
 * @example
 * clock += eventGapMs(rng); // usually a minute or two
 */
export function eventGapMs(rng: Rng): number {
  return Math.min(EVENT_GAP_MAX_MS, 1000 + Math.round(rng.exponential(1 / (EVENT_GAP_MEAN_MS - 1000))));
}
