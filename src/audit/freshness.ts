// Check 01, signal freshness: how old the newest signal a key's served profile reflects is at request
// time, for a refresh cadence and latency, against the drift window tau measured from the log itself.
import type { EventLog } from '../log/eventLog.ts';
import { groupEvents } from '../log/groupIndex.ts';
import { visibleCutMs, type ServingConfig } from '../pipeline/serving.ts';
import { MS } from '../util/duration.ts';
import { verdictAbove, type CheckResult } from './checks.ts';
import type { DriftEstimate } from './drift.ts';
import { auditMsg } from './messages.ts';
import { spread } from '../stats/quantiles.ts';
import { sessionStarts } from './sessionStarts.ts';
import { hash3, unitFromHash } from '../util/hash.ts';

export interface FreshnessOptions {
  /** Refresh cadence of the profile job in ms, or 'stream'. */
  refreshMs: number | 'stream';
  latencyMs: number;
  /**
   * Time of a refresh cut, pinning the schedule; default: averaged over the schedule's phase (each request
   * under its own uniformly drawn phase, from a hash), as the run does when a pipeline names no origin.
   */
  originMs?: number;
  /** Inactivity gap for logs without sessions; default 30 min. */
  gapMs?: number;
}

/** When data becomes visible: the part of a serving configuration that signal age depends on. */
export type CutSchedule = Pick<ServingConfig, 'refresh' | 'latencyMs' | 'originMs'>;

/** Warn when the median signal age exceeds this share of tau; fail above tau itself. */
const FRESHNESS_WARN_SHARE = 0.5;

export interface SignalAges {
  /** Requests: session starts whose key has events before them (first visits are cold starts, not staleness). */
  ageMs: Float64Array;
  /** Per request (aligned with ageMs): t minus the key's previous event, the inactivity no pipeline can remove. */
  inactivityMs: Float64Array;
  /** Per request: ageMs - inactivityMs, what the refresh and latency add (Infinity when nothing is visible). */
  lagMs: Float64Array;
  /** Session starts in total. */
  sessions: number;
  /** Session starts whose visible cut is at or before the log's first event (dropped: see signalAges). */
  warmup: number;
  /** Session starts without any earlier event of their key. */
  cold: number;
  /** Requests whose key has history but none of it visible at the cut (age Infinity). */
  hidden: number;
}

/**
 * Signal age per request: t minus the newest event of the request's key with ts < the visible cut
 * (visibleCutMs), Infinity when the key's history is all newer than the cut. Uses the key's own
 * history (identity `key`): the ages a non-stitching pipeline serves. Requests whose cut is at or before
 * the log's first event are warm-up, not staleness (the real pipeline would serve data from before the
 * log), and are dropped; first visits (no earlier event of the key) are cold starts and dropped too.
 *
 * @example
 * signalAges(log, { refresh: { kind: 'batch', cadenceMs: 86_400_000 }, latencyMs: 3_600_000, originMs: 0 })
 * // { ageMs: Float64Array [...], sessions, warmup, cold, hidden }
 */
export function signalAges(log: EventLog, config: CutSchedule, gapMs = 30 * MS.m, phaseSeed?: number): SignalAges {
  const { isStart } = sessionStarts(log, gapMs);
  const byKey = groupEvents(log.key, log.dict.key.length);
  const ts = log.tsMs;
  const logStart = log.length > 0 ? ts[0] : 0;
  const ages: number[] = [];
  const inactivity: number[] = [];
  const lags: number[] = [];
  // With a phase seed, each request's schedule is shifted by its own uniform share of the cadence.
  const cadence = config.refresh.kind === 'batch' ? config.refresh.cadenceMs : 0;
  const cutOf = (t: number, k: number, i: number) =>
    phaseSeed === undefined || cadence === 0
      ? visibleCutMs(config, t)
      : visibleCutMs(config, t, config.originMs + Math.floor(unitFromHash(hash3(phaseSeed, k, i)) * cadence));
  let sessions = 0;
  let warmup = 0;
  let cold = 0;
  let hidden = 0;
  for (let i = 0; i < log.length; i++) {
    if (!isStart[i]) continue;
    sessions++;
    const t = ts[i];
    const k = log.key[i];
    const cut = cutOf(t, k, i);
    if (cut <= logStart) {
      warmup++;
      continue;
    }
    const lo = byKey.offsets[k];
    const before = lowerBoundTs(byKey.events, ts, lo, byKey.offsets[k + 1], t);
    if (before === lo) {
      cold++;
      continue;
    }
    const visible = lowerBoundTs(byKey.events, ts, lo, before, cut);
    const idle = t - ts[byKey.events[before - 1]];
    const age = visible === lo ? Infinity : t - ts[byKey.events[visible - 1]];
    if (visible === lo) hidden++;
    ages.push(age);
    inactivity.push(idle);
    lags.push(age - idle);
  }
  return { ageMs: Float64Array.from(ages), inactivityMs: Float64Array.from(inactivity), lagMs: Float64Array.from(lags), sessions, warmup, cold, hidden };
}

/** First position in events[lo, hi) whose event time is >= t. */
function lowerBoundTs(events: Int32Array, ts: Float64Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[events[mid]] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Check 01. value = median signal age (days) over requests with history; threshold = tau (days), the drift
 * window from measureDrift. data.streamAgeMs is the age the same requests would have with stream serving
 * and no latency (the time since the key's previous visit), which no refresh cadence can remove. fail: median > tau; warn: median > tau / 2; pass otherwise. A log whose drift
 * could not be measured is unknown; one without measurable drift (status 'no-decay') is held to tau's upper
 * bound (365 days).
 *
 * @example
 * const drift = measureDrift(log, categoryOf, { seed: 7 });
 * checkFreshness(log, { refreshMs: 7 * 86_400_000, latencyMs: 6 * 3_600_000 }, drift)
 * // { id: '01', verdict: 'fail', value: 4.1, threshold: 2.6, unit: 'days', ... }
 */
export function checkFreshness(log: EventLog, opts: FreshnessOptions, drift: DriftEstimate): CheckResult {
  const config = servingConfig(log, opts);
  const phaseAveraged = opts.originMs === undefined && opts.refreshMs !== 'stream';
  const ages = signalAges(log, config, opts.gapMs, phaseAveraged ? PHASE_SEED : undefined);
  // The verdict is on the pipeline's lag; the person's inactivity (time since the key's previous visit) is
  // reported beside it, since no refresh cadence can remove it.
  const lag = spread(ages.lagMs.slice());
  const age = spread(ages.ageMs.slice());
  const idle = spread(ages.inactivityMs.slice());
  const medianDays = lag.p50 / MS.d;
  const tauDays = drift.tauMs / MS.d;
  const warnAt = FRESHNESS_WARN_SHARE * tauDays;
  const measured = drift.status !== 'too-little-data';
  const verdict = measured ? verdictAbove(medianDays, warnAt, tauDays) : 'unknown';
  const refresh = opts.refreshMs === 'stream' ? 'stream' : opts.refreshMs;
  return {
    id: '01',
    name: auditMsg.freshnessName,
    verdict,
    value: medianDays,
    threshold: tauDays,
    unit: 'days of pipeline lag',
    detail: auditMsg.freshnessDetail({
      verdict,
      lagMedianMs: lag.p50,
      ageMedianMs: age.p50,
      inactivityMedianMs: idle.p50,
      tauMs: drift.tauMs,
      halfLifeMs: drift.halfLifeMs,
      status: drift.status,
      refresh,
      latencyMs: opts.latencyMs,
      requests: ages.ageMs.length,
      hiddenShare: ages.ageMs.length ? ages.hidden / ages.ageMs.length : NaN,
      phaseAveraged,
    }),
    data: {
      warnAt,
      failAt: tauDays,
      lagMs: lag,
      ageMs: age,
      inactivityMs: idle,
      requests: ages.ageMs.length,
      sessions: ages.sessions,
      warmup: ages.warmup,
      coldStarts: ages.cold,
      hidden: ages.hidden,
      refreshMs: refresh,
      latencyMs: opts.latencyMs,
      originMs: config.originMs,
      phaseAveraged,
      drift: { status: drift.status, tauMs: drift.tauMs, halfLifeMs: drift.halfLifeMs, c: drift.c, band: drift.band, persons: drift.persons },
    },
  };
}

/** Seed of the per-request schedule phases (any fixed value: the hash only has to spread phases evenly). */
const PHASE_SEED = 0x0f4e5a11;

function servingConfig(log: EventLog, opts: FreshnessOptions): CutSchedule {
  const { refreshMs, latencyMs } = opts;
  if (refreshMs !== 'stream' && !(refreshMs > 0 && refreshMs < Infinity))
    throw new RangeError(auditMsg.invalid('refreshMs', refreshMs, "a positive cadence in ms or 'stream'"));
  if (!(latencyMs >= 0 && latencyMs < Infinity)) throw new RangeError(auditMsg.invalid('latencyMs', latencyMs, 'a non-negative duration in ms'));
  const first = log.length > 0 ? log.tsMs[0] : 0;
  const originMs = opts.originMs ?? Math.floor(first / MS.d) * MS.d;
  if (!Number.isFinite(originMs)) throw new RangeError(auditMsg.invalid('originMs', originMs, 'a finite time in epoch ms'));
  return {
    refresh: refreshMs === 'stream' ? { kind: 'stream' } : { kind: 'batch', cadenceMs: refreshMs },
    latencyMs,
    originMs,
  };
}
