// Session starts for the checks: requests happen at session starts (docs/method.md section 1) and conversion delays are
// measured from the start of the session that opened the journey. Logs without a session column are
// sessionized by inactivity.
import type { EventLog } from '../log/eventLog.ts';
import { sessionize } from '../log/sessionize.ts';

export interface SessionStarts {
  /** Session id of each event (the log's own, or from sessionize when any event lacks one). */
  session: Int32Array;
  /** startMs[s] = time of session s's first event. */
  startMs: Float64Array;
  /** isStart[i] = 1 when event i is the first event of its session: a request. */
  isStart: Uint8Array;
}

/**
 * Session id, start time and "is the first event" per event.
 *
 * @example
 * const { session, startMs, isStart } = sessionStarts(log, 30 * 60_000);
 * startMs[session[i]]; // when event i's session began
 */
export function sessionStarts(log: EventLog, gapMs: number): SessionStarts {
  let complete = true;
  let max = -1;
  for (let i = 0; i < log.length; i++) {
    const s = log.session[i];
    if (s < 0) complete = false;
    if (s > max) max = s;
  }
  const session = complete ? log.session : sessionize(log, gapMs);
  if (!complete) for (let i = 0; i < session.length; i++) if (session[i] > max) max = session[i];
  const startMs = new Float64Array(max + 1).fill(NaN);
  const isStart = new Uint8Array(log.length);
  // The log is time-sorted, so a session's first occurrence is its start.
  for (let i = 0; i < log.length; i++) {
    const s = session[i];
    if (startMs[s] !== startMs[s]) {
      startMs[s] = log.tsMs[i];
      isStart[i] = 1;
    }
  }
  return { session, startMs, isStart };
}
