// Stages 4-6: the streamed columns become the EventLog. Fields the log lacks get their defaults (the person as
// key, no logins, one `unknown` channel), event types and channels take canonical order, rows are sorted by
// time in place (how many came out of order is counted), duplicate events are dropped, the file's sessions become
// (key, session) pairs (many exports number sessions per user), and sessions are cut by inactivity where the log
// has none (no session column, or an empty session field). Identity signal columns the log has (ip, userAgent,
// geo) become EventLog.signals, a signal it lacks NONE on every event.
import { CHANNELS, EVENT_TYPES, NONE, type EventLog, type LogColumns, type LogDictionaries } from '../log/eventLog.ts';
import { COLUMN_NAMES } from '../log/eventLog.ts';
import { sessionize } from '../log/sessionize.ts';
import { canonicalOrder } from './canonicalOrder.ts';
import { dropDuplicates, type Duplicates } from './dropDuplicates.ts';
import { cutMissingSessions } from './gapSessions.ts';
import { sessionsPerKey } from './keySessions.ts';
import { UNKNOWN_CHANNEL } from './rowQuery.ts';
import { sortByTimeInPlace } from '../log/timeSort.ts';
import { SIGNAL_FIELDS, type SignalField } from './plan.ts';
import type { Streamed } from './streamRows.ts';

export interface Assembled {
  readonly log: EventLog;
  /** Repeats dropped (the log holds the first of each). */
  readonly duplicates: Duplicates;
  /** Loaded rows whose time is earlier than the row before them in the file (the log is sorted regardless). */
  readonly outOfOrder: number;
  /** Events whose session field was empty, given inactivity sessions (0 when the log has no session column). */
  readonly emptySessionEvents: number;
}

/**
 * The log of the streamed rows (`streamed.loaded` of them, at least one).
 *
 * @example
 * const { log, duplicates } = assembleLog(streamed, 30 * 60_000);
 */
export function assembleLog(streamed: Streamed, sessionGapMs: number): Assembled {
  const n0 = streamed.loaded;
  const full = streamed.columns.take(n0);
  const v = streamed.values;
  const person = v.person ?? [];
  // No key column: the key is the person (every loaded row has one, or it would have been dropped).
  if (v.key === undefined) full.key.set(full.person);
  if (v.person === undefined) full.person.fill(NONE);
  if (v.login === undefined) full.login.fill(NONE);
  const dict: LogDictionaries = {
    person,
    key: v.key ?? person,
    login: v.login ?? [],
    item: v.item!,
    channel: v.channel === undefined ? [UNKNOWN_CHANNEL] : canonicalOrder(v.channel, full.channel, CHANNELS),
    type: canonicalOrder(v.type!, full.type, EVENT_TYPES),
  };
  const fullSig = streamed.columns.takeSignals(n0);
  const records = streamed.columns.takeRecords(n0);
  const outOfOrder = countOutOfOrder(full.tsMs);
  const present = SIGNAL_FIELDS.filter((f) => fullSig[f] !== undefined);
  sortByTimeInPlace(full, [...present.map((f) => fullSig[f]!), records]);
  const { length: n, duplicates } = dropDuplicates(
    full,
    present.map((f) => fullSig[f]!),
    records,
  );
  const cols = n === n0 ? full : (Object.fromEntries(COLUMN_NAMES.map((c) => [c, full[c].subarray(0, n)])) as unknown as LogColumns);
  const sig: Partial<Record<SignalField, Int32Array>> = Object.fromEntries(present.map((f) => [f, fullSig[f]!.subarray(0, n)]));

  let emptySessionEvents = 0;
  if (v.session === undefined) cols.session = sessionize({ length: n, tsMs: cols.tsMs, key: cols.key, dict } as EventLog, sessionGapMs);
  else {
    // Duplicates were found on the file's session ids; from here on a session is a (key, file session) pair.
    sessionsPerKey(cols.session, cols.key, dict.key.length);
    emptySessionEvents = cutMissingSessions(cols.session, cols.key, cols.tsMs, dict.key.length, sessionGapMs);
  }
  const assembled = { duplicates, outOfOrder, emptySessionEvents };
  if (present.length === 0) return { log: { length: n, ...cols, dict }, ...assembled };
  const column = (f: SignalField) => sig[f] ?? new Int32Array(n).fill(NONE);
  const signals = {
    ip: column('ip'),
    userAgent: column('userAgent'),
    geo: column('geo'),
    dict: { ip: v.ip ?? [], userAgent: v.userAgent ?? [], geo: v.geo ?? [] },
  };
  return { log: { length: n, ...cols, dict, signals }, ...assembled };
}

/** Rows earlier than the row before them. */
function countOutOfOrder(tsMs: Float64Array): number {
  let count = 0;
  for (let i = 1; i < tsMs.length; i++) if (tsMs[i] < tsMs[i - 1]) count++;
  return count;
}
