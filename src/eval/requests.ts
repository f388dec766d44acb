// Serving requests and their labels (docs/method.md 4.3-4.4): one request at each session start after the
// split; labels are the person's distinct positive items in [t, t + W) on any key. Censored requests
// (t + W past the end of the log) and requests without labels are dropped and counted.
import type { EventLog } from '../log/eventLog.ts';
import type { ExcludeSeen } from '../scenario/types.ts';
import { InputError, msg } from '../errors.ts';
import { groupEvents, lowerBoundInt, lowerBoundTime, type GroupIndex } from '../log/groupIndex.ts';

export interface Requests {
  readonly length: number;
  readonly tsMs: Float64Array;
  readonly key: Int32Array;
  readonly person: Int32Array;
  /** The session whose start is the request. */
  readonly session: Int32Array;
  /**
   * The login the request's own event carries (the session's first event), -1 for none: all a request
   * knows of its account. A login later in the session (mid-session login) is not known at request time.
   */
  readonly login: Int32Array;
  /** Labels of request r: labelItems[labelOffsets[r] .. labelOffsets[r + 1]), distinct, ascending. */
  readonly labelOffsets: Int32Array;
  readonly labelItems: Int32Array;
  /**
   * Items every view excludes from ranking (excludeSeen 'person'): seenItems[seenOffsets[r] .. seenOffsets[r + 1]),
   * the person's positives before t; null in the other modes (under 'view' the replay masks each view's own).
   */
  readonly seenOffsets: Int32Array | null;
  readonly seenItems: Int32Array | null;
  readonly counts: RequestCounts;
  /** When this is a part of a larger request set (a shard): each request's index in the full set. */
  readonly ids?: Int32Array;
}

export interface RequestCounts {
  /** Session starts at or after the split. */
  candidates: number;
  /** Dropped because t + W is past the end of the log. */
  censored: number;
  /** Dropped because the person has no positive event in [t, t + W). */
  noLabels: number;
  /** Evaluated. */
  requests: number;
  /** Distinct persons among evaluated requests. */
  persons: number;
}

export interface RequestOptions {
  untilMs: number;
  windowMs: number;
  /** isPositive[type] = 1 for event types that are labels. */
  isPositive: Uint8Array;
  /** Unless 'none', labels leave out the person's positives before t; 'person' also lists them (seenItems). */
  excludeSeen: ExcludeSeen;
  /** End of the observed log; default: the last event's time. */
  endMs?: number;
}

/**
 * Build the evaluated requests.
 *
 * @example
 * const req = buildRequests(log, { untilMs, windowMs: 7 * 864e5, isPositive, excludeSeen: 'none' });
 * req.counts; // { candidates, censored, noLabels, requests, persons }
 */
export function buildRequests(log: EventLog, opts: RequestOptions): Requests {
  const n = log.length;
  const endMs = opts.endMs ?? (n ? log.tsMs[n - 1] : 0);
  const positives = positivesByPerson(log, opts.isPositive);
  const nItems = log.dict.item.length;
  const mark = new Int32Array(nItems).fill(-1);
  const excluding = opts.excludeSeen !== 'none';
  // Only 'person' ranks against the person's whole past; 'view' needs no per-request list.
  const listing = opts.excludeSeen === 'person';

  const start = lowerBoundTime(log.tsMs, opts.untilMs);
  // A session's first event is its start; sessions that began before the split are not requests.
  const seenSession = new Uint8Array(maxSession(log) + 1);
  for (let i = 0; i < start; i++) if (log.session[i] >= 0) seenSession[log.session[i]] = 1;

  const ts: number[] = [];
  const keys: number[] = [];
  const persons: number[] = [];
  const sessions: number[] = [];
  const logins: number[] = [];
  const labelOff: number[] = [0];
  const labels: number[] = [];
  const seenOff: number[] = [0];
  const seen: number[] = [];
  let candidates = 0;
  let censored = 0;
  let noLabels = 0;
  let stampId = 0;
  for (let i = start; i < n; i++) {
    const s = log.session[i];
    if (s < 0 || seenSession[s]) continue;
    seenSession[s] = 1;
    candidates++;
    const t = log.tsMs[i];
    if (t + opts.windowMs > endMs) {
      censored++;
      continue;
    }
    const p = log.person[i] >= 0 ? log.person[i] : -1;
    if (p < 0) {
      noLabels++;
      continue;
    }
    const lo = positives.offsets[p];
    const hi = positives.offsets[p + 1];
    const first = lowerBoundTimeIn(positives, log.tsMs, lo, hi, t);
    // Items the person converted on before t: excluded from the labels in both modes.
    stampId++;
    const seenStamp = stampId;
    if (excluding) for (let o = lo; o < first; o++) mark[log.item[positives.events[o]]] = seenStamp;
    stampId++;
    const before = labels.length;
    for (let o = first; o < hi; o++) {
      const e = positives.events[o];
      if (log.tsMs[e] >= t + opts.windowMs) break;
      const it = log.item[e];
      if (mark[it] === seenStamp || mark[it] === stampId) continue;
      mark[it] = stampId;
      labels.push(it);
    }
    if (labels.length === before) {
      noLabels++;
      continue;
    }
    sortTail(labels, before);
    labelOff.push(labels.length);
    if (listing) {
      const sb = seen.length;
      for (let o = lo; o < first; o++) {
        const it = log.item[positives.events[o]];
        if (mark[it] === seenStamp) {
          mark[it] = -1;
          seen.push(it);
        }
      }
      sortTail(seen, sb);
      seenOff.push(seen.length);
    }
    ts.push(t);
    keys.push(log.key[i]);
    persons.push(p);
    sessions.push(s);
    logins.push(log.login[i]);
  }
  const personSet = new Set(persons);
  return {
    length: ts.length,
    tsMs: Float64Array.from(ts),
    key: Int32Array.from(keys),
    person: Int32Array.from(persons),
    session: Int32Array.from(sessions),
    login: Int32Array.from(logins),
    labelOffsets: Int32Array.from(labelOff),
    labelItems: Int32Array.from(labels),
    seenOffsets: listing ? Int32Array.from(seenOff) : null,
    seenItems: listing ? Int32Array.from(seen) : null,
    counts: { candidates, censored, noLabels, requests: ts.length, persons: personSet.size },
  };
}

/** Positive events grouped by person. */
export function positivesByPerson(log: EventLog, isPositive: Uint8Array): GroupIndex {
  const keep = new Uint8Array(log.length);
  for (let i = 0; i < log.length; i++) keep[i] = isPositive[log.type[i]];
  return groupEvents(log.person, log.dict.person.length, keep);
}

function lowerBoundTimeIn(idx: GroupIndex, ts: Float64Array, lo: number, hi: number, t: number): number {
  // Event indices are time-ordered, so compare through the log's time column.
  const bound = lowerBoundTime(ts, t);
  return lowerBoundInt(idx.events, lo, hi, bound);
}

function maxSession(log: EventLog): number {
  let m = -1;
  for (let i = 0; i < log.length; i++) if (log.session[i] > m) m = log.session[i];
  return m;
}

function sortTail(a: number[], from: number): void {
  if (a.length - from > 1) {
    const tail = a.splice(from).sort((x, y) => x - y);
    a.push(...tail);
  }
}

/**
 * isPositive[type] = 1 for the event types named in eval.positives; an unknown name is an input error.
 *
 * @example
 * const isPositive = positiveMask(log, ['purchase']);
 */
export function positiveMask(log: EventLog, positives: readonly string[]): Uint8Array {
  const mask = new Uint8Array(Math.max(256, log.dict.type.length));
  for (const p of positives) {
    const i = log.dict.type.indexOf(p);
    if (i < 0) throw new InputError(msg.unknownPositive(p, log.dict.type));
    mask[i] = 1;
  }
  return mask;
}
