// Check 04, conversion window alignment: how long after the journey starts conversions arrive, and how many
// an offline label window W misses. A request is a session start (docs/method.md 4.3), so the delay runs from
// the start of the session in which the buyer first looked at the item to the conversion.
import { NONE, type EventLog } from '../log/eventLog.ts';
import { groupEvents } from '../log/groupIndex.ts';
import { MS } from '../util/duration.ts';
import { verdictWithin, type CheckResult } from './checks.ts';
import { wilsonInterval } from '../stats/proportion.ts';
import { effectivePersons } from '../stats/bootstrap.ts';
import { auditMsg } from './messages.ts';
import { spread } from '../stats/quantiles.ts';
import { sessionStarts } from './sessionStarts.ts';
import { checkMask, defaultPositives } from './typeMask.ts';

export interface WindowOptions {
  /** The label window W used offline. */
  windowMs: number;
  /** positives[type] = 1 for conversion types; default 'purchase'. */
  positives?: Uint8Array;
  /** An item's touches more than this apart start a new journey; default 30 days. */
  lookbackMs?: number;
  /** Inactivity gap for logs without sessions; default 30 min. */
  gapMs?: number;
}

/** The windows of the metric-free "metric as a function of W": share of conversions captured at each. */
export const WINDOW_GRID_MS: readonly number[] = [MS.h, 6 * MS.h, MS.d, 3 * MS.d, 7 * MS.d, 14 * MS.d, 28 * MS.d];

/**
 * Thresholds on the share of conversions outside W. Chapelle (KDD 2014) found about half of Criteo's
 * conversions more than 24 h after the click, so a 1-day window can lose half the labels: warn when more
 * than 10% fall outside W, fail above 25% (offline labels then miss a quarter of what the model caused).
 */
export const WINDOW_WARN = 0.1;
export const WINDOW_FAIL = 0.25;

export interface ConversionDelays {
  /** Per conversion: from the start of the session of the last earlier touch of the item (ms). */
  lastTouchMs: Float64Array;
  /** Per conversion: from the start of the session of the journey's first touch of the item (ms). */
  firstTouchMs: Float64Array;
  /** 1 when an earlier touch anchors the delay, 0 when it runs from the conversion's own session start. */
  touched: Uint8Array;
  /** Per conversion: the buyer (person, or key offset past the persons), the cluster of its interval. */
  buyer: Int32Array;
}

/**
 * Delays of conversions from the request that could have caused them. A touch is any non-positive event on
 * the item (view, cart, click, ...) by the same entity: the person, or the key for events without a person.
 * A journey is the run of touches of one item with gaps <= lookbackMs since its last conversion; each
 * conversion is measured from the start of the session of (a) the journey's last touch (last-touch
 * attribution, as Chapelle's click-to-conversion delays) and (b) its first touch. Without an earlier touch
 * both run from the conversion's own session start. In the synthetic world a delayed purchase follows its
 * cart without a new view, so the last-touch delays reproduce the planted funnel.
 *
 * Journeys that began before the log are cut at its start (delays then come out short): left truncation,
 * small when the log is long relative to W.
 *
 * @example
 * const d = conversionDelays(log, typeMask(log, ['purchase']), 30 * 86_400_000);
 * d.lastTouchMs; // Float64Array, one delay per conversion
 */
export function conversionDelays(log: EventLog, positives: Uint8Array, lookbackMs: number, gapMs = 30 * MS.m): ConversionDelays {
  const { session, startMs } = sessionStarts(log, gapMs);
  const nPersons = log.dict.person.length;
  // Entity per event: the person when known, else the key (offset past the persons).
  const entity = new Int32Array(log.length);
  for (let i = 0; i < log.length; i++) entity[i] = log.person[i] !== NONE ? log.person[i] : nPersons + log.key[i];
  const groups = groupEvents(entity, nPersons + log.dict.key.length);
  const nItems = log.dict.item.length;
  // The current entity's open journey per item, valid while stamp[item] = entity.
  const stamp = new Int32Array(nItems).fill(-1);
  const firstAnchor = new Float64Array(nItems);
  const lastAnchor = new Float64Array(nItems);
  const lastTouch = new Float64Array(nItems);
  const last: number[] = [];
  const first: number[] = [];
  const touched: number[] = [];
  const buyer: number[] = [];
  const ts = log.tsMs;
  for (let g = 0; g < groups.groups; g++) {
    for (let j = groups.offsets[g]; j < groups.offsets[g + 1]; j++) {
      const e = groups.events[j];
      const item = log.item[e];
      const t = ts[e];
      const open = stamp[item] === g && t - lastTouch[item] <= lookbackMs;
      if (positives[log.type[e]]) {
        const own = startMs[session[e]];
        last.push(t - (open ? lastAnchor[item] : own));
        first.push(t - (open ? firstAnchor[item] : own));
        touched.push(open ? 1 : 0);
        buyer.push(g);
        stamp[item] = -1; // the next conversion on this item needs a new touch
        continue;
      }
      const start = startMs[session[e]];
      if (!open) {
        stamp[item] = g;
        firstAnchor[item] = start;
      }
      lastAnchor[item] = start;
      lastTouch[item] = t;
    }
  }
  return { lastTouchMs: Float64Array.from(last), firstTouchMs: Float64Array.from(first), touched: Uint8Array.from(touched), buyer: Int32Array.from(buyer) };
}

/** Share of delays >= w (outside [t, t + w)); NaN without conversions. */
function shareAtLeast(delayMs: Float64Array, w: number): number {
  let c = 0;
  for (let i = 0; i < delayMs.length; i++) if (delayMs[i] >= w) c++;
  return delayMs.length ? c / delayMs.length : NaN;
}

/** Share of delays < w (captured by [t, t + w)); NaN without conversions. */
function shareBelow(delayMs: Float64Array, w: number): number {
  let c = 0;
  for (let i = 0; i < delayMs.length; i++) if (delayMs[i] < w) c++;
  return delayMs.length ? c / delayMs.length : NaN;
}

/**
 * Check 04. value = share of conversions whose last-touch delay is >= W (outside the label window
 * [t, t + W) of the request that last showed the item). warn > 10%, fail > 25% (WINDOW_WARN, WINDOW_FAIL);
 * no conversions: warn. data.captured: share captured (last-touch delay < W') at each W' of WINDOW_GRID_MS
 * and at W, the metric-free "metric as a function of W"; data.firstTouch: the same from the first touch.
 *
 * @example
 * checkWindow(log, { windowMs: 86_400_000 })
 * // { id: '04', verdict: 'fail', value: 0.31, threshold: 0.25, unit: 'share', ... }
 */
export function checkWindow(log: EventLog, opts: WindowOptions): CheckResult {
  const { windowMs } = opts;
  if (!(windowMs > 0 && windowMs < Infinity)) throw new RangeError(auditMsg.invalid('windowMs', windowMs, 'a positive duration in ms'));
  const lookbackMs = opts.lookbackMs ?? 30 * MS.d;
  if (!(lookbackMs >= 0)) throw new RangeError(auditMsg.invalid('lookbackMs', lookbackMs, 'a non-negative duration in ms'));
  const positives = opts.positives ? checkMask('positives', opts.positives, log) : defaultPositives(log);
  const d = conversionDelays(log, positives, lookbackMs, opts.gapMs);
  const n = d.lastTouchMs.length;
  const outside = shareAtLeast(d.lastTouchMs, windowMs);
  const firstOutside = shareAtLeast(d.firstTouchMs, windowMs);
  let touched = 0;
  for (let i = 0; i < n; i++) touched += d.touched[i];
  const grid = [...new Set([...WINDOW_GRID_MS, windowMs])].sort((a, b) => a - b);
  const captured = grid.map((w) => ({ windowMs: w, share: shareBelow(d.lastTouchMs, w), firstTouchShare: shareBelow(d.firstTouchMs, w) }));
  // Conversions of one buyer are not independent: the interval counts effective buyers, not conversions.
  const buyers = effectivePersons(d.buyer);
  const interval = wilsonInterval(outside, buyers.effective);
  const verdict = n ? verdictWithin(interval, WINDOW_WARN, WINDOW_FAIL) : 'unknown';
  const lastDist = spread(d.lastTouchMs.slice());
  const detail = auditMsg.windowDetail({
    verdict,
    outsideShare: outside,
    outsideLo: interval.lo,
    outsideHi: interval.hi,
    buyers: buyers.distinct,
    firstTouchOutsideShare: firstOutside,
    windowMs,
    conversions: n,
    medianMs: lastDist.p50,
    capturedAtDay: shareBelow(d.lastTouchMs, MS.d),
  });
  return {
    id: '04',
    name: auditMsg.windowName,
    verdict,
    value: outside,
    threshold: WINDOW_FAIL,
    unit: 'share',
    detail,
    ...(verdict === 'unknown' ? { reason: detail } : {}),
    data: {
      warnAt: WINDOW_WARN,
      failAt: WINDOW_FAIL,
      windowMs,
      lookbackMs,
      conversions: n,
      buyers: buyers.distinct,
      effectiveBuyers: buyers.effective,
      outsideInterval: { lo: interval.lo, hi: interval.hi },
      touchedShare: n ? touched / n : NaN,
      delayMs: lastDist,
      firstTouch: { outsideShare: firstOutside, delayMs: spread(d.firstTouchMs.slice()) },
      captured,
    },
  };
}
