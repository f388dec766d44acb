// Check 02, identity coverage: how much of a person's history a key-level profile misses. Keys per person
// (where persons are known), events and conversions on keys that never log in, converting persons whose
// path to purchase spans several keys, and the anonymous share.
import { NONE, type EventLog } from '../log/eventLog.ts';
import { groupEvents } from '../log/groupIndex.ts';
import { MS } from '../util/duration.ts';
import { verdictAbove, type CheckResult } from './checks.ts';
import { auditMsg } from './messages.ts';
import { spread } from '../stats/quantiles.ts';
import { checkMask, defaultPositives } from './typeMask.ts';

export interface IdentityOptions {
  /** positives[type] = 1 for conversion types; default 'purchase'. */
  positives?: Uint8Array;
  /** A conversion's journey: the person's events in [t - journeyMs, t]; default 30 days. */
  journeyMs?: number;
}

/**
 * Thresholds on the share of converting persons with a multi-key journey. Criteo's cross-device report puts
 * multi-device purchase journeys at about 31% in the US: warn when a log is above 20% (a key-level profile
 * misses part of many buyers' paths), fail above 40% (most buyers' histories are split).
 */
export const IDENTITY_WARN = 0.2;
export const IDENTITY_FAIL = 0.4;

export interface IdentityStats {
  events: number;
  /** Events without a person id. */
  anonymousShare: number;
  /** Persons with at least one event, and the distribution of their distinct keys. */
  persons: number;
  keysPerPerson: { mean: number; p50: number; p90: number; max: number };
  /** Persons seen on more than one key. */
  multiKeyPersonShare: number;
  /** Keys with events, and those with no logged-in event; shares of all events and of conversions on them. */
  keys: number;
  neverLoginKeys: number;
  neverLoginEventShare: number;
  neverLoginConversionShare: number;
  conversions: number;
  convertingPersons: number;
  /** Converting persons with at least one conversion whose journey spans two or more keys. */
  multiKeyJourneyPersonShare: number;
  /** Conversions (by persons) whose journey spans two or more keys: the Criteo-style journey share. */
  multiKeyJourneyShare: number;
}

/**
 * Identity coverage numbers (NaN where the log lacks what a number needs, e.g. persons or conversions).
 *
 * @example
 * identityStats(log, defaultPositives(log), 30 * 86_400_000).multiKeyJourneyPersonShare // 0.27
 */
export function identityStats(log: EventLog, positives: Uint8Array, journeyMs: number): IdentityStats {
  const n = log.length;
  const nKeys = log.dict.key.length;
  // Keys that ever log in, events and conversions.
  const logsIn = new Uint8Array(nKeys);
  let anonymous = 0;
  let conversions = 0;
  for (let i = 0; i < n; i++) {
    if (log.login[i] !== NONE) logsIn[log.key[i]] = 1;
    if (log.person[i] === NONE) anonymous++;
    if (positives[log.type[i]]) conversions++;
  }
  let neverLoginKeys = 0;
  let keysWithEvents = 0;
  const seenKey = new Uint8Array(nKeys);
  let neverEvents = 0;
  let neverConversions = 0;
  for (let i = 0; i < n; i++) {
    const k = log.key[i];
    if (!seenKey[k]) {
      seenKey[k] = 1;
      keysWithEvents++;
      if (!logsIn[k]) neverLoginKeys++;
    }
    if (logsIn[k]) continue;
    neverEvents++;
    if (positives[log.type[i]]) neverConversions++;
  }

  // Per person: distinct keys, and the distinct keys of each conversion's journey (sliding window).
  const byPerson = groupEvents(log.person, log.dict.person.length);
  const keyCount = new Int32Array(nKeys);
  const keyStamp = new Int32Array(nKeys).fill(-1);
  const keysOf: number[] = [];
  let convertingPersons = 0;
  let multiJourneyPersons = 0;
  let personConversions = 0;
  let multiJourneyConversions = 0;
  const ts = log.tsMs;
  for (let p = 0; p < byPerson.groups; p++) {
    const lo = byPerson.offsets[p];
    const hi = byPerson.offsets[p + 1];
    if (lo === hi) continue;
    let distinctEver = 0;
    let inWindow = 0;
    let left = lo;
    let converted = false;
    let multi = false;
    for (let j = lo; j < hi; j++) {
      const e = byPerson.events[j];
      const k = log.key[e];
      if (keyStamp[k] !== p) {
        keyStamp[k] = p;
        distinctEver++;
      }
      if (keyCount[k]++ === 0) inWindow++;
      while (ts[byPerson.events[left]] < ts[e] - journeyMs) {
        if (--keyCount[log.key[byPerson.events[left]]] === 0) inWindow--;
        left++;
      }
      if (!positives[log.type[e]]) continue;
      converted = true;
      personConversions++;
      if (inWindow >= 2) {
        multi = true;
        multiJourneyConversions++;
      }
    }
    for (let j = left; j < hi; j++) keyCount[log.key[byPerson.events[j]]] = 0;
    keysOf.push(distinctEver);
    if (converted) {
      convertingPersons++;
      if (multi) multiJourneyPersons++;
    }
  }
  const keysDist = spread(Float64Array.from(keysOf));
  let sumKeys = 0;
  let maxKeys = 0;
  let multiKeyPersons = 0;
  for (const c of keysOf) {
    sumKeys += c;
    if (c > maxKeys) maxKeys = c;
    if (c > 1) multiKeyPersons++;
  }
  const persons = keysOf.length;
  return {
    events: n,
    anonymousShare: n ? anonymous / n : NaN,
    persons,
    keysPerPerson: { mean: persons ? sumKeys / persons : NaN, p50: keysDist.p50, p90: keysDist.p90, max: persons ? maxKeys : NaN },
    multiKeyPersonShare: persons ? multiKeyPersons / persons : NaN,
    keys: keysWithEvents,
    neverLoginKeys,
    neverLoginEventShare: n ? neverEvents / n : NaN,
    neverLoginConversionShare: conversions ? neverConversions / conversions : NaN,
    conversions,
    convertingPersons,
    multiKeyJourneyPersonShare: convertingPersons ? multiJourneyPersons / convertingPersons : NaN,
    multiKeyJourneyShare: personConversions ? multiJourneyConversions / personConversions : NaN,
  };
}

/**
 * Check 02. value = share of converting persons with a multi-key journey (a conversion whose person used two
 * or more keys in the preceding journeyMs). warn > 20%, fail > 40% (IDENTITY_WARN, IDENTITY_FAIL). A log
 * without person ids or without conversions cannot be judged and warns.
 *
 * @example
 * checkIdentity(world.log)
 * // { id: '02', verdict: 'warn', value: 0.27, threshold: 0.4, unit: 'share', ... }
 */
export function checkIdentity(log: EventLog, opts: IdentityOptions = {}): CheckResult {
  const positives = opts.positives ? checkMask('positives', opts.positives, log) : defaultPositives(log);
  const journeyMs = opts.journeyMs ?? 30 * MS.d;
  if (!(journeyMs >= 0 && journeyMs < Infinity)) throw new RangeError(auditMsg.invalid('journeyMs', journeyMs, 'a non-negative duration in ms'));
  const s = identityStats(log, positives, journeyMs);
  const value = s.multiKeyJourneyPersonShare;
  const verdict = verdictAbove(value, IDENTITY_WARN, IDENTITY_FAIL);
  return {
    id: '02',
    name: auditMsg.identityName,
    verdict,
    value,
    threshold: IDENTITY_FAIL,
    unit: 'share',
    detail: auditMsg.identityDetail({ verdict, stats: s, journeyMs }),
    data: { warnAt: IDENTITY_WARN, failAt: IDENTITY_FAIL, journeyMs, ...s },
  };
}
