// Sessions by inactivity: a key's events separated by a gap of at least `gapMs` start a new session.
// For logs that carry no session column (the synthetic world writes its own).
import type { EventLog } from './eventLog.ts';

/**
 * Session id per event: a new session starts at a key's first event and after every gap >= gapMs
 * between consecutive events of that key. Ids are numbered in order of session start (log order).
 *
 * @example
 * const session = sessionize(log, 30 * 60_000);
 * const withSessions = { ...log, session };
 */
export function sessionize(log: EventLog, gapMs: number): Int32Array {
  const nKeys = log.dict.key.length;
  const lastTs = new Float64Array(nKeys).fill(-Infinity);
  const current = new Int32Array(nKeys).fill(-1);
  const session = new Int32Array(log.length);
  let next = 0;
  for (let i = 0; i < log.length; i++) {
    const k = log.key[i];
    const t = log.tsMs[i];
    if (current[k] < 0 || t - lastTs[k] >= gapMs) current[k] = next++;
    lastTs[k] = t;
    session[i] = current[k];
  }
  return session;
}
