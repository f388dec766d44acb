// A session belongs to a key: many exports number sessions per user (1, 2, 3 for every user), so a file's
// session value names a session only together with the event's key. Sessions are renumbered to dense ids of the
// pair (key, file session), in order of first appearance in time order; an empty session field stays NONE.
import { NONE } from '../log/eventLog.ts';

/**
 * Renumber `session` (time-sorted columns, file session ids dense from 0) in place so that each (key, session)
 * pair has its own id, 0, 1, 2, ... in order of first appearance; returns how many pairs there are. O(n + keys +
 * sessions): events are grouped by key with a counting sort, each key's session values get pair ids through a
 * stamp per session value, and a last pass numbers the pairs by first appearance.
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
  // Events grouped by key, in time order within a key.
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < n; i++) if (session[i] !== NONE) start[key[i] + 1]++;
  for (let k = 0; k < keys; k++) start[k + 1] += start[k];
  const order = new Int32Array(start[keys]);
  const fill = start.slice(0, keys);
  for (let i = 0; i < n; i++) if (session[i] !== NONE) order[fill[key[i]]++] = i;
  // Pair ids in key order: a session value seen last under another key gets a new id for this one.
  const stampKey = new Int32Array(sessions).fill(-1);
  const pairOf = new Int32Array(sessions);
  const pair = new Int32Array(n);
  let pairs = 0;
  for (let k = 0; k < keys; k++) {
    for (let o = start[k]; o < start[k + 1]; o++) {
      const i = order[o];
      const s = session[i];
      if (stampKey[s] !== k) {
        stampKey[s] = k;
        pairOf[s] = pairs++;
      }
      pair[i] = pairOf[s];
    }
  }
  // Ids by first appearance in time order.
  const id = new Int32Array(pairs).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (session[i] === NONE) continue;
    const p = pair[i];
    if (id[p] < 0) id[p] = next++;
    session[i] = id[p];
  }
  return pairs;
}
