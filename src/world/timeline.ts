// Places a person's delayed purchases on their timeline so that their sessions never interleave:
// a purchase close to an existing session joins it, otherwise it opens a return session of its own.
import { SESSION_SEPARATION_MS } from './activity.ts';
import type { BehaviorLog } from './behaviorLog.ts';
import { PURCHASE } from './funnel.ts';
import type { PendingReturns } from './returns.ts';

/**
 * Move the pending returns of `person` into sessions. The person's browsing sessions are
 * log sessions [firstSession, log.sessions), in time order and at least SESSION_SEPARATION_MS apart
 * (simulate.ts guarantees both). A purchase within SESSION_SEPARATION_MS of one of them belongs to it
 * (the person is on that device at the time); purchases within that distance of each other share one
 * return session; any other purchase opens a new return session, which the identity layer places on a
 * device of its own. Return sessions are appended after the browsing ones.
 *
 * @example
 * placeReturns(log, person, firstSession, pending); // pending.count becomes 0
 */
export function placeReturns(log: BehaviorLog, person: number, firstSession: number, pending: PendingReturns): void {
  const n = pending.count;
  if (n === 0) return;
  const order = sortedOrder(pending);
  const browsingEnd = log.sessions;
  const gap = SESSION_SEPARATION_MS;
  let j = firstSession;
  let lastReturn = -1;
  for (let k = 0; k < n; k++) {
    const r = order[k];
    const t = pending.ts[r];
    while (j < browsingEnd && log.sessionEnd[j] + gap < t) j++;
    let session: number;
    if (j < browsingEnd && log.sessionStart[j] - gap <= t) session = j;
    else if (lastReturn >= 0 && t - log.sessionEnd[lastReturn] < gap) session = lastReturn;
    else session = lastReturn = log.openSession(person, t);
    log.addEvent(t, pending.item[r], PURCHASE, pending.value[r], session);
  }
  pending.clear();
}

/** Indices of the pending returns by time (insertion sort: a person has only a handful). */
function sortedOrder(pending: PendingReturns): Int32Array {
  const n = pending.count;
  const ts = pending.ts;
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let p = k;
    while (p > 0 && ts[order[p - 1]] > ts[k]) {
      order[p] = order[p - 1];
      p--;
    }
    order[p] = k;
  }
  return order;
}
