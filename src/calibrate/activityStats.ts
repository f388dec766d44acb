// Activity as both logs can show it: how many visits a person makes and how many events a visit holds. A
// visit is a burst of one person's events (any key) separated by at least 30 minutes from the next, the
// world's own session separation (world/activity.ts), so a real log's session column and a twin's sessions
// are counted the same way.
import { NONE, type EventLog } from '../log/eventLog.ts';
import { groupEvents } from '../log/groupIndex.ts';
import { SESSION_SEPARATION_MS } from '../world/activity.ts';

export interface ActivityStats {
  /** Persons with at least one event. */
  persons: number;
  events: number;
  /** Distinct items with at least one event. */
  items: number;
  /** Last event time minus first, in days. */
  days: number;
  /** Visits per person: mean and coefficient of variation (sd / mean) over persons with events. */
  visitsPerPerson: number;
  visitsCv: number;
  /** Share of persons with exactly one visit (reported: the world has no knob for it beside the two above). */
  oneVisitShare: number;
  /** Events per visit, the mean. */
  eventsPerVisit: number;
}

/**
 * Visit id per event: a person's events separated by at least `gapMs` start a new visit; NONE for events
 * without a person. Visits are numbered per person in time order (person 0's first, second, ..., then person 1's).
 *
 * @example
 * const { visit, visits } = personVisits(log); // visits: how many bursts the log holds
 */
export function personVisits(log: EventLog, gapMs = SESSION_SEPARATION_MS): { visit: Int32Array; visits: number; perPerson: Int32Array } {
  const byPerson = groupEvents(log.person, log.dict.person.length);
  const visit = new Int32Array(log.length).fill(NONE);
  const perPerson = new Int32Array(byPerson.groups);
  let next = 0;
  for (let p = 0; p < byPerson.groups; p++) {
    let last = -Infinity;
    for (let j = byPerson.offsets[p]; j < byPerson.offsets[p + 1]; j++) {
      const e = byPerson.events[j];
      if (log.tsMs[e] - last >= gapMs) {
        next++;
        perPerson[p]++;
      }
      last = log.tsMs[e];
      visit[e] = next - 1;
    }
  }
  return { visit, visits: next, perPerson };
}

/**
 * Persons, items, span, visits per person and events per visit.
 *
 * @example
 * activityStats(log) // { persons: 6528, visitsPerPerson: 2.95, eventsPerVisit: 27.3, ... }
 */
export function activityStats(log: EventLog): ActivityStats {
  const { visit, visits, perPerson } = personVisits(log);
  let withPerson = 0;
  for (let i = 0; i < log.length; i++) if (visit[i] !== NONE) withPerson++;
  let persons = 0;
  let one = 0;
  let sum = 0;
  let sumSq = 0;
  for (let p = 0; p < perPerson.length; p++) {
    const v = perPerson[p];
    if (v === 0) continue;
    persons++;
    sum += v;
    sumSq += v * v;
    if (v === 1) one++;
  }
  const mean = persons ? sum / persons : NaN;
  const variance = persons ? Math.max(0, sumSq / persons - mean * mean) : NaN;
  const seenItem = new Uint8Array(log.dict.item.length);
  let items = 0;
  for (let i = 0; i < log.length; i++) {
    if (seenItem[log.item[i]]) continue;
    seenItem[log.item[i]] = 1;
    items++;
  }
  return {
    persons,
    events: log.length,
    items,
    days: log.length ? (log.tsMs[log.length - 1] - log.tsMs[0]) / 86_400_000 : NaN,
    visitsPerPerson: mean,
    visitsCv: mean > 0 ? Math.sqrt(variance) / mean : NaN,
    oneVisitShare: persons ? one / persons : NaN,
    eventsPerVisit: visits ? withPerson / visits : NaN,
  };
}
