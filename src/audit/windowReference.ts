// Check 04 as it was computed before the one-pass version in window.ts (events read in entity order, one pass
// per share, quantiles by sorting): kept as the reference the fast path must equal value for value (tests,
// bench/windowCheck.ts). Slow on large logs.
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
import { WINDOW_FAIL, WINDOW_GRID_MS, WINDOW_WARN, type ConversionDelays, type WindowOptions } from './window.ts';

/**
 * conversionDelays as first written: the log's events grouped by entity (groupEvents) and read in that order.
 *
 * @example
 * const d = referenceConversionDelays(log, typeMask(log, ['purchase']), 30 * 86_400_000);
 */
export function referenceConversionDelays(log: EventLog, positives: Uint8Array, lookbackMs: number, gapMs = 30 * MS.m): ConversionDelays {
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
 * checkWindow as first written, on referenceConversionDelays.
 *
 * @example
 * expect(checkWindow(log, { windowMs })).toEqual(referenceCheckWindow(log, { windowMs }));
 */
export function referenceCheckWindow(log: EventLog, opts: WindowOptions): CheckResult {
  const { windowMs } = opts;
  if (!(windowMs > 0 && windowMs < Infinity)) throw new RangeError(auditMsg.invalid('windowMs', windowMs, 'a positive duration in ms'));
  const lookbackMs = opts.lookbackMs ?? 30 * MS.d;
  if (!(lookbackMs >= 0)) throw new RangeError(auditMsg.invalid('lookbackMs', lookbackMs, 'a non-negative duration in ms'));
  const positives = opts.positives ? checkMask('positives', opts.positives, log) : defaultPositives(log);
  const d = referenceConversionDelays(log, positives, lookbackMs, opts.gapMs);
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
