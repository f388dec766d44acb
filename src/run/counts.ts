// The log's counts in results.json that depend on neither the pipelines nor the requests' replay: sessions,
// and visitors and conversions after the split as analytics counts them (keys) and as they are (persons).
import type { EventLog } from '../log/eventLog.ts';

/**
 * Visitors and conversions after the split, as analytics would count them (distinct keys: the measured
 * visitors) and as they are (distinct persons). Fragmentation inflates the first and so deflates the
 * measured conversion rate.
 *
 * @example
 * testPeriodCounts(log, trainBound, isPositive).testConvertingSessions // sessions after the split with a positive event
 */
export function testPeriodCounts(log: EventLog, from: number, isPositive: Uint8Array) {
  const keys = new Uint8Array(log.dict.key.length);
  const persons = new Uint8Array(log.dict.person.length);
  const buyerKeys = new Uint8Array(log.dict.key.length);
  const buyers = new Uint8Array(log.dict.person.length);
  let conversions = 0;
  // Sessions after the split (1) and those with a positive event (2): the conversion rate is a share of sessions.
  let maxSession = -1;
  for (let i = from; i < log.length; i++) if (log.session[i] > maxSession) maxSession = log.session[i];
  const sessionMark = new Uint8Array(maxSession + 1);
  for (let i = from; i < log.length; i++) {
    keys[log.key[i]] = 1;
    persons[log.person[i]] = 1;
    const s = log.session[i];
    if (s >= 0 && sessionMark[s] === 0) sessionMark[s] = 1;
    if (isPositive[log.type[i]]) {
      conversions++;
      buyerKeys[log.key[i]] = 1;
      buyers[log.person[i]] = 1;
      if (s >= 0) sessionMark[s] = 2;
    }
  }
  let sessions = 0;
  let convertingSessions = 0;
  for (let s = 0; s < sessionMark.length; s++) {
    if (sessionMark[s] > 0) sessions++;
    if (sessionMark[s] === 2) convertingSessions++;
  }
  const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  return {
    testEvents: log.length - from,
    testKeys: sum(keys),
    testPersons: sum(persons),
    testConversions: conversions,
    testSessions: sessions,
    testConvertingSessions: convertingSessions,
    testConvertingKeys: sum(buyerKeys),
    testConvertingPersons: sum(buyers),
  };
}

/**
 * Sessions in the log (session ids are 0..n-1).
 *
 * @example
 * countSessions(log) // 285375 on the quickstart world
 */
export function countSessions(log: EventLog): number {
  let max = -1;
  for (let i = 0; i < log.length; i++) if (log.session[i] > max) max = log.session[i];
  return max + 1;
}
