// Final stage: number sessions globally, sort events by time and attach identity, producing the
// EventLog other stages read. Sorts column by column, releasing each source as it goes.
import { CHANNELS, EVENT_TYPES, type EventLog, finishLog, type LogColumns, type LogDictionaries } from '../log/eventLog.ts';
import type { BehaviorLog } from './behaviorLog.ts';
import type { SessionIdentity, SessionTable } from './sessionIdentity.ts';
import { TimeSorter } from '../log/timeSort.ts';

/**
 * Sessions in global order: numbered by start time, ties by person (generation order is by person, and
 * the sort is stable). Returns the table and `globalId`, mapping generation-order session -> global id.
 *
 * @example
 * const { table, globalId } = orderSessions(behavior);
 * table.start[0]; // earliest session start
 */
export function orderSessions(behavior: BehaviorLog): { table: SessionTable; globalId: Int32Array } {
  const S = behavior.sessions;
  const sorter = new TimeSorter(behavior.sessionStart, S);
  const generation = new Int32Array(S);
  for (let s = 0; s < S; s++) generation[s] = s;
  const order = sorter.apply(generation);
  const globalId = new Int32Array(S);
  for (let g = 0; g < S; g++) globalId[order[g]] = g;
  const table = { count: S, start: sorter.apply(behavior.sessionStart), end: sorter.apply(behavior.sessionEnd), person: sorter.apply(behavior.sessionPerson) };
  return { table, globalId };
}

/**
 * Sort the behaviour events by time (stable: ties keep generation order), give each its global session
 * id and its session's key, login and channel, and wrap the result with `finishLog`.
 * Consumes `behavior`: its event columns are released as they are sorted.
 *
 * @example
 * const log = assembleLog(behavior, globalId, identity, dict);
 * log.length === behavior.events; // true
 */
export function assembleLog(behavior: BehaviorLog, globalId: Int32Array, identity: SessionIdentity, dict: LogDictionaries): EventLog {
  const n = behavior.events;
  const sorter = new TimeSorter(behavior.ts, n);
  const cols = {} as LogColumns;
  cols.tsMs = sorter.apply(behavior.ts);
  behavior.ts = new Float64Array(0);
  cols.person = sorter.apply(behavior.person);
  behavior.person = new Int32Array(0);
  cols.item = sorter.apply(behavior.item);
  behavior.item = new Int32Array(0);
  cols.type = sorter.apply(behavior.type);
  behavior.type = new Uint8Array(0);
  cols.value = sorter.apply(behavior.value);
  behavior.value = new Float32Array(0);
  const session = sorter.apply(behavior.session);
  behavior.session = new Int32Array(0);
  cols.key = new Int32Array(n);
  cols.login = new Int32Array(n);
  cols.channel = new Uint8Array(n);
  for (let e = 0; e < n; e++) {
    const s = (session[e] = globalId[session[e]]);
    cols.key[e] = identity.key[s];
    cols.login[e] = identity.login[s];
    cols.channel[e] = identity.channel[s];
  }
  cols.session = session;
  // Already in time order at exact length, so finishLog wraps the columns without copying.
  return finishLog(cols, n, dict);
}

/**
 * Dictionaries of a synthetic world: `p<i>`, `i<i>`, `u<i>` and the canonical channels and types.
 *
 * @example
 * worldDictionaries(2, 3, ['a0', 'c1']).login; // ['u0', 'u1']
 */
export function worldDictionaries(persons: number, items: number, keyNames: string[]): LogDictionaries {
  return {
    person: Array.from({ length: persons }, (_, p) => 'p' + p),
    key: keyNames,
    login: Array.from({ length: persons }, (_, p) => 'u' + p),
    item: Array.from({ length: items }, (_, i) => 'i' + i),
    channel: [...CHANNELS],
    type: [...EVENT_TYPES],
  };
}
