// Final stage: number sessions globally, sort events by time and attach identity, producing the
// EventLog other stages read. Works column by column so a 10M-event world is never held twice at once.
import { CHANNELS, EVENT_TYPES, type EventLog, finishLog, type LogColumns, type LogDictionaries, stableTimeOrder } from '../log/eventLog.ts';
import type { BehaviorLog } from './behaviorLog.ts';
import type { SessionIdentity, SessionTable } from './identity.ts';

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
  const order = stableTimeOrder(behavior.sessionStart, S);
  const start = new Float64Array(S);
  const end = new Float64Array(S);
  const person = new Int32Array(S);
  const globalId = new Int32Array(S);
  for (let g = 0; g < S; g++) {
    const s = order === null ? g : order[g];
    start[g] = behavior.sessionStart[s];
    end[g] = behavior.sessionEnd[s];
    person[g] = behavior.sessionPerson[s];
    globalId[s] = g;
  }
  return { table: { count: S, start, end, person }, globalId };
}

/**
 * Sort the behaviour events by time (stable: ties keep generation order), give each its global session
 * id and its session's key, login and channel, and wrap the result with `finishLog`.
 * Consumes `behavior`: its event columns are released as they are copied.
 *
 * @example
 * const log = assembleLog(behavior, globalId, identity, dict);
 * log.length === behavior.events; // true
 */
export function assembleLog(behavior: BehaviorLog, globalId: Int32Array, identity: SessionIdentity, dict: LogDictionaries): EventLog {
  const n = behavior.events;
  const order = stableTimeOrder(behavior.ts, n);
  const cols = {} as LogColumns;
  cols.tsMs = gather(behavior.ts, order, n, Float64Array);
  behavior.ts = new Float64Array(0);
  cols.person = gather(behavior.person, order, n, Int32Array);
  behavior.person = new Int32Array(0);
  cols.item = gather(behavior.item, order, n, Int32Array);
  behavior.item = new Int32Array(0);
  cols.type = gather(behavior.type, order, n, Uint8Array);
  behavior.type = new Uint8Array(0);
  cols.value = gather(behavior.value, order, n, Float32Array);
  behavior.value = new Float32Array(0);
  const session = gather(behavior.session, order, n, Int32Array);
  behavior.session = new Int32Array(0);
  for (let e = 0; e < n; e++) session[e] = globalId[session[e]];
  cols.session = session;
  cols.key = new Int32Array(n);
  cols.login = new Int32Array(n);
  cols.channel = new Uint8Array(n);
  for (let e = 0; e < n; e++) {
    const s = session[e];
    cols.key[e] = identity.key[s];
    cols.login[e] = identity.login[s];
    cols.channel[e] = identity.channel[s];
  }
  // Already in time order at exact length, so finishLog wraps the columns without copying.
  return finishLog(cols, n, dict);
}

type Column = Float64Array | Int32Array | Uint8Array | Float32Array;

function gather<T extends Column>(src: T, order: Uint32Array | null, n: number, Ctor: new (n: number) => T): T {
  const out = new Ctor(n);
  if (order === null) out.set(src.subarray(0, n) as unknown as ArrayLike<number>);
  else for (let i = 0; i < n; i++) out[i] = src[order[i]];
  return out;
}

/** Dictionaries of a synthetic world: `p<i>`, `i<i>`, `u<i>` and the canonical channels and types. */
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
