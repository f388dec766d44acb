// Sessions for events whose session field is empty in a log that has a session column. Left without one they
// could never start a request; instead they are cut by inactivity, as a log without a session column is: per
// key, a new session at the key's first such event and after every gap of at least the session gap. These
// sessions get ids after the file's own (above the largest), so they never merge with a session the file names.
import { NONE } from '../log/eventLog.ts';

/**
 * Fill the NONE entries of `session` (time-sorted columns) with inactivity sessions; returns how many events
 * were filled.
 *
 * @example
 * const filled = cutMissingSessions(cols.session, cols.key, cols.tsMs, dict.key.length, 30 * 60_000);
 */
export function cutMissingSessions(session: Int32Array, key: Int32Array, tsMs: Float64Array, keys: number, gapMs: number): number {
  const n = session.length;
  let filled = 0;
  let largest = -1;
  for (let i = 0; i < n; i++) {
    if (session[i] === NONE) filled++;
    else if (session[i] > largest) largest = session[i];
  }
  if (filled === 0) return 0;
  const lastTs = new Float64Array(keys).fill(-Infinity);
  const current = new Int32Array(keys).fill(-1);
  let next = largest + 1;
  for (let i = 0; i < n; i++) {
    if (session[i] !== NONE) continue;
    const k = key[i];
    const t = tsMs[i];
    if (current[k] < 0 || t - lastTs[k] >= gapMs) current[k] = next++;
    lastTs[k] = t;
    session[i] = current[k];
  }
  return filled;
}
