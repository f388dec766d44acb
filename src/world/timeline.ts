// Places a person's delayed purchases on their timeline so that their sessions never interleave:
// a purchase close to an existing session joins it, otherwise it opens a return session of its own.
import { SESSION_SEPARATION_MS } from './activity.ts';
import { PURCHASE } from './funnel.ts';
import type { PersonTrace } from './personTrace.ts';

/**
 * Move `trace`'s pending returns into sessions. A purchase within SESSION_SEPARATION_MS of one of the
 * person's browsing sessions belongs to it (the person is on that device at the time); purchases within
 * that distance of each other share one return session; any other purchase opens a new return session,
 * which the identity layer later places on a device of its own. Browsing sessions must already be in
 * time order and at least SESSION_SEPARATION_MS apart, which simulate.ts guarantees.
 *
 * @example
 * placeReturns(trace); // trace.returns becomes 0; trace.sessions may grow
 */
export function placeReturns(trace: PersonTrace): void {
  const n = trace.returns;
  if (n === 0) return;
  const order = sortedReturnOrder(trace);
  const browsing = trace.sessions;
  const gap = SESSION_SEPARATION_MS;
  let j = 0;
  let lastReturnSlot = -1;
  for (let k = 0; k < n; k++) {
    const r = order[k];
    const t = trace.returnTs[r];
    while (j < browsing && trace.sessionEnd[j] + gap < t) j++;
    let slot: number;
    if (j < browsing && trace.sessionStart[j] - gap <= t) slot = j;
    else if (lastReturnSlot >= 0 && t - trace.sessionEnd[lastReturnSlot] < gap) slot = lastReturnSlot;
    else slot = lastReturnSlot = trace.openSession(t);
    trace.addEvent(t, trace.returnItem[r], PURCHASE, trace.returnValue[r], slot);
  }
  trace.returns = 0;
}

/** Indices of the pending returns by time (insertion sort: a person has only a handful). */
function sortedReturnOrder(trace: PersonTrace): Int32Array {
  const n = trace.returns;
  const ts = trace.returnTs;
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
