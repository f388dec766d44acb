// Check 04, conversion window alignment: how long after the journey starts conversions arrive, and how many
// an offline label window W misses. A request is a session start (docs/method.md 4.3), so the delay runs from
// the start of the session in which the buyer first looked at the item to the conversion.
import { NONE, type EventLog } from '../log/eventLog.ts';
import { MS } from '../util/duration.ts';
import { unknownCheck, verdictWithin, type CheckResult } from './checks.ts';
import { wilsonInterval } from '../stats/proportion.ts';
import { effectivePersons } from '../stats/bootstrap.ts';
import { auditMsg } from './messages.ts';
import { spreadBySelection } from '../stats/quantiles.ts';
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
  const n = log.length;
  const nPersons = log.dict.person.length;
  const nEntities = nPersons + log.dict.key.length;
  const { person, key, type, item, tsMs } = log;
  // Entity per event: the person when known, else the key (offset past the persons). Only events that can
  // matter are grouped: an entity's events up to its last conversion (later ones anchor nothing), and of
  // those only the ones on items it converts on (a touch of another item anchors nothing either). The
  // (entity, item) pairs with a conversion are a bit filter (8 bits per conversion, about 1 false hit in 9
  // for other pairs): a false hit keeps an event that changes nothing, so the delays are exact.
  let positiveEvents = 0;
  for (let i = 0; i < n; i++) positiveEvents += positives[type[i]];
  const filterBits = 2 ** Math.max(10, Math.ceil(Math.log2(8 * positiveEvents + 1)));
  const converted = new Int32Array(positiveEvents === n ? 0 : filterBits >>> 5);
  const lastConversion = new Int32Array(nEntities).fill(-1);
  let conversions = 0;
  for (let i = 0; i < n; i++) {
    if (!positives[type[i]]) continue;
    const g = person[i] !== NONE ? person[i] : nPersons + key[i];
    if (g < 0) continue; // no entity: not grouped, as groupEvents skips negative ids
    lastConversion[g] = i;
    conversions++;
    if (converted.length) {
      const h = pairHash(g, item[i]) & (filterBits - 1);
      converted[h >>> 5] |= 1 << (h & 31);
    }
  }
  const offsets = new Int32Array(nEntities + 1);
  if (conversions === n) {
    for (let i = 0; i < n; i++) offsets[(person[i] !== NONE ? person[i] : nPersons + key[i]) + 1]++;
    for (let g = 0; g < nEntities; g++) offsets[g + 1] += offsets[g];
    return withoutTouches(log, offsets, tsMs, startMs, session, nPersons);
  }
  // Which events are kept, one bit each, for the scatter below.
  const kept = new Int32Array((n + 31) >>> 5);
  const mask = filterBits - 1;
  const filtered = converted.length > 0; // not when every event is a positive but some have no entity
  for (let i = 0; i < n; i++) {
    const g = person[i] !== NONE ? person[i] : nPersons + key[i];
    if (g < 0 || i > lastConversion[g]) continue;
    if (filtered) {
      const h = pairHash(g, item[i]) & mask;
      if ((converted[h >>> 5] & (1 << (h & 31))) === 0) continue;
    }
    offsets[g + 1]++;
    kept[i >>> 5] |= 1 << (i & 31);
  }
  for (let g = 0; g < nEntities; g++) offsets[g + 1] += offsets[g];
  // The kept events' fields scattered into entity order in one pass over the log (sequential reads, instead
  // of reading the log's columns in entity order): item (~item for a conversion), time, session start.
  const nKept = offsets[nEntities];
  const code = new Int32Array(nKept);
  const time = new Float64Array(nKept);
  const start = new Float64Array(nKept);
  const fill = offsets.slice(0, nEntities);
  for (let w = 0; w < kept.length; w++) {
    // Only the set bits of each word: most events are not kept.
    for (let bits = kept[w]; bits !== 0; bits &= bits - 1) {
      const i = (w << 5) | (31 - Math.clz32(bits & -bits));
      const g = person[i] !== NONE ? person[i] : nPersons + key[i];
      const j = fill[g]++;
      code[j] = positives[type[i]] ? ~item[i] : item[i];
      time[j] = tsMs[i];
      start[j] = startMs[session[i]];
    }
  }
  const nItems = log.dict.item.length;
  // The current entity's open journey per item, valid while stamp[item] = entity.
  const stamp = new Int32Array(nItems).fill(-1);
  const firstAnchor = new Float64Array(nItems);
  const lastAnchor = new Float64Array(nItems);
  const lastTouch = new Float64Array(nItems);
  const last = new Float64Array(conversions);
  const first = new Float64Array(conversions);
  const touched = new Uint8Array(conversions);
  const buyer = new Int32Array(conversions);
  let c = 0;
  for (let g = 0; g < nEntities; g++) {
    for (let j = offsets[g]; j < offsets[g + 1]; j++) {
      const conversion = code[j] < 0;
      const it = conversion ? ~code[j] : code[j];
      const t = time[j];
      const open = stamp[it] === g && t - lastTouch[it] <= lookbackMs;
      if (conversion) {
        const own = start[j];
        last[c] = t - (open ? lastAnchor[it] : own);
        first[c] = t - (open ? firstAnchor[it] : own);
        touched[c] = open ? 1 : 0;
        buyer[c++] = g;
        stamp[it] = -1; // the next conversion on this item needs a new touch
        continue;
      }
      if (!open) {
        stamp[it] = g;
        firstAnchor[it] = start[j];
      }
      lastAnchor[it] = start[j];
      lastTouch[it] = t;
    }
  }
  return { lastTouchMs: last, firstTouchMs: first, touched, buyer };
}

/** A 32-bit mix of an (entity, item) pair, for the filter of converted pairs. */
function pairHash(entity: number, item: number): number {
  let h = Math.imul(entity, 0x9e3779b1) ^ Math.imul(item + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/**
 * conversionDelays when every event is a conversion (all event types positive): nothing is a touch, so each
 * delay runs from the conversion's own session start. The same arrays, in the same (entity) order.
 */
function withoutTouches(
  log: EventLog,
  offsets: Int32Array,
  tsMs: Float64Array,
  startMs: Float64Array,
  session: Int32Array,
  nPersons: number,
): ConversionDelays {
  const n = log.length;
  const nEntities = offsets.length - 1;
  const last = new Float64Array(n);
  const buyer = new Int32Array(n);
  const fill = offsets.slice(0, nEntities);
  for (let i = 0; i < n; i++) {
    const g = log.person[i] !== NONE ? log.person[i] : nPersons + log.key[i];
    if (g < 0) continue;
    last[fill[g]++] = tsMs[i] - startMs[session[i]];
  }
  for (let g = 0; g < nEntities; g++) buyer.fill(g, offsets[g], offsets[g + 1]);
  return { lastTouchMs: last, firstTouchMs: last.slice(), touched: new Uint8Array(n), buyer };
}

/**
 * Shares of delays below (captured by [t, t + w)) and at least (outside) each threshold, from one pass over
 * the delays instead of one per threshold; NaN without conversions.
 */
function delayShares(delayMs: Float64Array, thresholds: readonly number[]): { below(w: number): number; atLeast(w: number): number } {
  const ws = [...new Set(thresholds)].sort((a, b) => a - b);
  const below = new Float64Array(ws.length);
  let missing = 0;
  for (let i = 0; i < delayMs.length; i++) {
    const v = delayMs[i];
    if (v !== v) {
      missing++;
      continue;
    }
    for (let k = ws.length - 1; k >= 0 && v < ws[k]; k--) below[k]++;
  }
  const n = delayMs.length;
  const countBelow = (w: number) => below[ws.indexOf(w)];
  return {
    below: (w) => (n ? countBelow(w) / n : NaN),
    atLeast: (w) => (n ? (n - missing - countBelow(w)) / n : NaN),
  };
}

/**
 * effectivePersons of a buyer column grouped by buyer (conversionDelays gives them in entity order): counts
 * from runs, summed in the same (first-appearance) order, so equal to it bit for bit; any other column goes
 * through effectivePersons.
 */
function effectiveBuyers(buyer: Int32Array): { distinct: number; effective: number } {
  for (let i = 1; i < buyer.length; i++) if (buyer[i] < buyer[i - 1]) return effectivePersons(buyer);
  let distinct = 0;
  let squares = 0;
  for (let i = 0; i < buyer.length; ) {
    let j = i + 1;
    while (j < buyer.length && buyer[j] === buyer[i]) j++;
    squares += (j - i) * (j - i);
    distinct++;
    i = j;
  }
  return { distinct, effective: squares > 0 ? (buyer.length * buyer.length) / squares : 0 };
}

/**
 * Check 04 as the audit and a run's report state it: checkWindow, or `unknown` when every event type the log
 * holds counts as a conversion (a purchases-only log, or positives that list every type, as a dense protocol's
 * view, cart and purchase do). No conversion then has an earlier touch that is not itself a conversion, and
 * its "delay" would only be the time since its own session started: a pass would measure nothing.
 *
 * @example
 * windowCheckOf(log, { windowMs: 7 * 86_400_000, positives: typeMask(log, ['purchase']) });
 */
export function windowCheckOf(log: EventLog, opts: WindowOptions): CheckResult {
  const positives = opts.positives ? checkMask('positives', opts.positives, log) : defaultPositives(log);
  const present = new Uint8Array(log.dict.type.length);
  for (let e = 0; e < log.length; e++) present[log.type[e]] = 1;
  const types = log.dict.type.filter((_, t) => present[t]);
  // Decided before the delays are measured: on such a log the whole pass would be thrown away.
  if (types.length > 0 && types.every((t) => positives[log.dict.type.indexOf(t)])) {
    return unknownCheck({ id: '04', name: auditMsg.windowName, threshold: WINDOW_FAIL, unit: 'share' }, auditMsg.conversionsOnly(types));
  }
  return checkWindow(log, opts);
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
  const grid = [...new Set([...WINDOW_GRID_MS, windowMs])].sort((a, b) => a - b);
  let touched = 0;
  for (let i = 0; i < n; i++) touched += d.touched[i];
  // Without an earlier touch both delays run from the conversion's own session start: when no conversion
  // was touched (e.g. every event type is a positive), the first-touch delays are the last-touch ones.
  const same = touched === 0;
  const lastShares = delayShares(d.lastTouchMs, [...grid, MS.d]);
  const firstShares = same ? lastShares : delayShares(d.firstTouchMs, grid);
  const outside = lastShares.atLeast(windowMs);
  const firstOutside = firstShares.atLeast(windowMs);
  const captured = grid.map((w) => ({ windowMs: w, share: lastShares.below(w), firstTouchShare: firstShares.below(w) }));
  // Conversions of one buyer are not independent: the interval counts effective buyers, not conversions.
  const buyers = effectiveBuyers(d.buyer);
  const interval = wilsonInterval(outside, buyers.effective);
  const verdict = n ? verdictWithin(interval, WINDOW_WARN, WINDOW_FAIL) : 'unknown';
  const capturedAtDay = lastShares.below(MS.d);
  // The delays are not needed in their order any more: quantiles by selection, in place.
  const lastDist = spreadBySelection(d.lastTouchMs);
  const firstDist = same ? { ...lastDist } : spreadBySelection(d.firstTouchMs);
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
    capturedAtDay,
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
      firstTouch: { outsideShare: firstOutside, delayMs: firstDist },
      captured,
    },
  };
}
