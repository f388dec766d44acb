// The event log: one typed array per column plus string dictionaries, sorted by time (stable).
// Everything downstream (identity, served views, labels, models) reads these columns directly.
import { stableTimeOrder } from './timeSort.ts';

/** Canonical channel names; a log may add others through its dictionary. */
export const CHANNELS = ['app', 'mweb', 'desktop'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Canonical event types of the synthetic funnel; logs may add more (rating, click, fav, ...). */
export const EVENT_TYPES = ['view', 'cart', 'purchase'] as const;

/** Sentinel for "absent" in integer id columns (unknown person, anonymous login). */
export const NONE = -1;

export interface LogDictionaries {
  /** person index -> external id */
  readonly person: readonly string[];
  /** key index -> external id */
  readonly key: readonly string[];
  /** login index -> external id */
  readonly login: readonly string[];
  /** item index -> external id */
  readonly item: readonly string[];
  /** channel index -> name */
  readonly channel: readonly string[];
  /** event-type index -> name */
  readonly type: readonly string[];
}

/**
 * Struct of arrays, length n, sorted by `tsMs` ascending (ties keep input order).
 * Integer ids index into `dict`; `person` and `login` use NONE (-1) when absent.
 */
export interface EventLog {
  readonly length: number;
  readonly tsMs: Float64Array;
  readonly person: Int32Array;
  readonly key: Int32Array;
  readonly login: Int32Array;
  readonly channel: Uint8Array;
  readonly session: Int32Array;
  readonly item: Int32Array;
  readonly type: Uint8Array;
  readonly value: Float32Array;
  readonly dict: LogDictionaries;
  /**
   * Optional identity signals a device graph links keys with (pipeline identity `graph`): per event an
   * index into `dict.ip` / `dict.userAgent` / `dict.geo`, or NONE (-1) when absent. Only identity
   * resolution reads them; code that reorders or filters rows must drop or permute them.
   */
  readonly signals?: {
    ip: Int32Array;
    userAgent: Int32Array;
    geo: Int32Array;
    dict: { ip: string[]; userAgent: string[]; geo: string[] };
  };
}

/** Mutable columns of a given capacity, filled by generators and readers before `finishLog`. */
export interface LogColumns {
  tsMs: Float64Array;
  person: Int32Array;
  key: Int32Array;
  login: Int32Array;
  channel: Uint8Array;
  session: Int32Array;
  item: Int32Array;
  type: Uint8Array;
  value: Float32Array;
}

/** Allocate empty columns for `capacity` events. */
export function allocColumns(capacity: number): LogColumns {
  return {
    tsMs: new Float64Array(capacity),
    person: new Int32Array(capacity),
    key: new Int32Array(capacity),
    login: new Int32Array(capacity),
    channel: new Uint8Array(capacity),
    session: new Int32Array(capacity),
    item: new Int32Array(capacity),
    type: new Uint8Array(capacity),
    value: new Float32Array(capacity),
  };
}

/** Grow columns to at least `capacity`, keeping the first `used` rows. */
export function growColumns(cols: LogColumns, used: number, capacity: number): LogColumns {
  const next = allocColumns(capacity);
  for (const name of COLUMN_NAMES) (next[name] as Float64Array).set((cols[name] as Float64Array).subarray(0, used));
  return next;
}

export const COLUMN_NAMES = ['tsMs', 'person', 'key', 'login', 'channel', 'session', 'item', 'type', 'value'] as const;

/**
 * Stable-sort the first n rows of `cols` by time and wrap them as an EventLog.
 * Rows already in time order are kept as they are without copying.
 */
export function finishLog(cols: LogColumns, n: number, dict: LogDictionaries): EventLog {
  const order = stableTimeOrder(cols.tsMs, n);
  const sorted = order === null ? trim(cols, n) : permute(cols, order);
  return { length: n, ...sorted, dict };
}

function trim(cols: LogColumns, n: number): LogColumns {
  const out = {} as LogColumns;
  for (const name of COLUMN_NAMES)
    (out as unknown as Record<string, unknown>)[name] = (cols[name] as Float64Array).length === n ? cols[name] : (cols[name] as Float64Array).slice(0, n);
  return out;
}

function permute(cols: LogColumns, order: Uint32Array): LogColumns {
  const n = order.length;
  const out = allocColumns(n);
  for (const name of COLUMN_NAMES) {
    const src = cols[name] as Float64Array;
    const dst = out[name] as Float64Array;
    for (let i = 0; i < n; i++) dst[i] = src[order[i]];
  }
  return out;
}

/** Build an EventLog from row objects: for tiny fixtures and tests only. */
export function logFromRows(
  rows: ReadonlyArray<{
    t: number;
    person?: string;
    key: string;
    item: string;
    type: string;
    login?: string;
    channel?: string;
    session?: number;
    value?: number;
  }>,
): EventLog {
  const dicts = {
    person: new Map<string, number>(),
    key: new Map<string, number>(),
    login: new Map<string, number>(),
    item: new Map<string, number>(),
    channel: new Map<string, number>(),
    type: new Map<string, number>(),
  };
  for (const t of EVENT_TYPES) intern(dicts.type, t);
  for (const c of CHANNELS) intern(dicts.channel, c);
  const cols = allocColumns(rows.length);
  rows.forEach((r, i) => {
    cols.tsMs[i] = r.t;
    cols.person[i] = r.person === undefined ? NONE : intern(dicts.person, r.person);
    cols.key[i] = intern(dicts.key, r.key);
    cols.login[i] = r.login === undefined ? NONE : intern(dicts.login, r.login);
    cols.channel[i] = intern(dicts.channel, r.channel ?? 'app');
    cols.session[i] = r.session ?? NONE;
    cols.item[i] = intern(dicts.item, r.item);
    cols.type[i] = intern(dicts.type, r.type);
    cols.value[i] = r.value ?? 1;
  });
  const dict = Object.fromEntries(Object.entries(dicts).map(([k, m]) => [k, [...m.keys()]])) as unknown as LogDictionaries;
  return finishLog(cols, rows.length, dict);
}

/** Intern `value` in a string -> index map. */
export function intern(map: Map<string, number>, value: string): number {
  let id = map.get(value);
  if (id === undefined) {
    id = map.size;
    map.set(value, id);
  }
  return id;
}
