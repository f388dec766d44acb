// A session belongs to a key: many exports number sessions per user (1, 2, 3 for every user), so a file's
// session value names a session only together with the event's key. Sessions are renumbered to dense ids of the
// pair (key, file session), in order of first appearance in time order; an empty session field stays NONE.
import { NONE } from '../log/eventLog.ts';

/**
 * Renumber `session` (time-sorted columns, file session ids dense from 0) in place so that each (key, session)
 * pair has its own id, 0, 1, 2, ... in order of first appearance; returns how many pairs there are. O(n + keys +
 * sessions). When every session value has one key (globally unique session ids) one pass in time order numbers
 * them. Otherwise events are grouped by session value with a counting sort (a session's events sit close
 * together in time, so the grouping moves through memory almost in order), each value's keys get pair ids
 * through a stamp per key, and a last pass numbers the pairs by first appearance.
 *
 * @example
 * const session = Int32Array.from([0, 0, 1, 1]); // users a, b each numbered their sessions "1", "2"
 * sessionsPerKey(session, Int32Array.from([0, 1, 0, 1]), 2); // 4
 * session; // [0, 1, 2, 3]
 */
export function sessionsPerKey(session: Int32Array, key: Int32Array, keys: number): number {
  const n = session.length;
  let sessions = 0;
  for (let i = 0; i < n; i++) if (session[i] >= sessions) sessions = session[i] + 1;
  if (sessions === 0) return 0;
  // Each value's first key; a second key for any value means pairs must be told apart.
  const keyOf = new Int32Array(sessions).fill(NONE);
  let shared = false;
  for (let i = 0; i < n && !shared; i++) {
    const s = session[i];
    if (s === NONE) continue;
    if (keyOf[s] === NONE) keyOf[s] = key[i];
    else shared = keyOf[s] !== key[i];
  }
  return shared ? numberPairs(session, key, keys, sessions) : numberByFirstAppearance(session, sessions);
}

/** Every value is one pair: ids by first appearance of the value. */
function numberByFirstAppearance(session: Int32Array, sessions: number): number {
  const id = new Int32Array(sessions).fill(NONE);
  let next = 0;
  for (let i = 0; i < session.length; i++) {
    const s = session[i];
    if (s === NONE) continue;
    if (id[s] === NONE) id[s] = next++;
    session[i] = id[s];
  }
  return next;
}

function numberPairs(session: Int32Array, key: Int32Array, keys: number, sessions: number): number {
  const n = session.length;
  // Events grouped by session value, in time order within a value.
  const start = new Int32Array(sessions + 1);
  for (let i = 0; i < n; i++) if (session[i] !== NONE) start[session[i] + 1]++;
  for (let s = 0; s < sessions; s++) start[s + 1] += start[s];
  const order = new Int32Array(start[sessions]);
  const fill = start.slice(0, sessions);
  for (let i = 0; i < n; i++) if (session[i] !== NONE) order[fill[session[i]]++] = i;
  // Pair ids in value order: a key seen last under another value gets a new id for this one.
  const stampValue = new Int32Array(keys).fill(NONE);
  const pairOf = new Int32Array(keys);
  const pair = new Int32Array(n);
  let pairs = 0;
  for (let s = 0; s < sessions; s++) {
    for (let o = start[s]; o < start[s + 1]; o++) {
      const i = order[o];
      const k = key[i];
      if (stampValue[k] !== s) {
        stampValue[k] = s;
        pairOf[k] = pairs++;
      }
      pair[i] = pairOf[k];
    }
  }
  // Ids by first appearance in time order.
  const id = new Int32Array(pairs).fill(NONE);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (session[i] === NONE) continue;
    const p = pair[i];
    if (id[p] === NONE) id[p] = next++;
    session[i] = id[p];
  }
  return pairs;
}
