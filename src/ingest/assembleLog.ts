// Stages 4-5: the streamed columns become the EventLog. Fields the log lacks get their defaults (the person as
// key, no logins, one `unknown` channel), event types and channels take canonical order, rows are sorted by
// time in place, and sessions are cut by inactivity when the log had none. Identity signal columns the log
// has (ip, userAgent, geo) become EventLog.signals, a signal it lacks NONE on every event.
import { CHANNELS, EVENT_TYPES, NONE, type EventLog, type LogDictionaries } from '../log/eventLog.ts';
import { sessionize } from '../log/sessionize.ts';
import { canonicalOrder } from './canonicalOrder.ts';
import { UNKNOWN_CHANNEL } from './rowQuery.ts';
import { sortByTimeInPlace } from './sortInPlace.ts';
import { SIGNAL_FIELDS } from './plan.ts';
import type { Streamed } from './streamRows.ts';

/**
 * The log of the streamed rows (`streamed.loaded` of them, at least one).
 *
 * @example
 * const log = assembleLog(streamed, 30 * 60_000);
 */
export function assembleLog(streamed: Streamed, sessionGapMs: number): EventLog {
  const n = streamed.loaded;
  const cols = streamed.columns.take(n);
  const v = streamed.values;
  const person = v.person ?? [];
  // No key column: the key is the person (every loaded row has one, or it would have been dropped).
  if (v.key === undefined) cols.key.set(cols.person);
  if (v.person === undefined) cols.person.fill(NONE);
  if (v.login === undefined) cols.login.fill(NONE);
  const dict: LogDictionaries = {
    person,
    key: v.key ?? person,
    login: v.login ?? [],
    item: v.item!,
    channel: v.channel === undefined ? [UNKNOWN_CHANNEL] : canonicalOrder(v.channel, cols.channel, CHANNELS),
    type: canonicalOrder(v.type!, cols.type, EVENT_TYPES),
  };
  const sig = streamed.columns.takeSignals(n);
  sortByTimeInPlace(cols, Object.values(sig));
  if (v.session === undefined) cols.session = sessionize({ length: n, tsMs: cols.tsMs, key: cols.key, dict } as EventLog, sessionGapMs);
  if (!SIGNAL_FIELDS.some((f) => sig[f])) return { length: n, ...cols, dict };
  const column = (f: (typeof SIGNAL_FIELDS)[number]) => sig[f] ?? new Int32Array(n).fill(NONE);
  const signals = { ip: column('ip'), userAgent: column('userAgent'), geo: column('geo'), dict: { ip: v.ip ?? [], userAgent: v.userAgent ?? [], geo: v.geo ?? [] } };
  return { length: n, ...cols, dict, signals };
}
