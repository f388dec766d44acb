// What a source log records, and the twin seen the same way (docs/method.md 2.13). A synthetic twin always has
// views, carts, purchases, device keys, logins and channels; a real log may lack any of them. Statistics and
// audit verdicts are only comparable when both logs are measured through the same columns, so the twin is
// projected onto what the source records before anything is measured on it.
import { CHANNELS, EVENT_TYPES, NONE, type EventLog } from '../log/eventLog.ts';
import { fillUnknownPersons, hasMultiKeyPersons } from '../log/persons.ts';
import { calibrateMsg } from './messages.ts';
import { InputError } from '../errors.ts';

/** The twin's event types (the synthetic funnel). */
export type TwinType = (typeof EVENT_TYPES)[number];

export interface Lens {
  /** For each twin event type, the source log's type name that plays it, or null when the source has none. */
  types: Record<TwinType, string | null>;
  /** Some person has events on more than one key: the source shows device fragmentation. */
  keys: boolean;
  /** Some event carries a login. */
  logins: boolean;
  /** The canonical channels (app, mweb, desktop) the source's events carry; null when its channels are not canonical. */
  channels: string[] | null;
  /** Item categories are known (a synthetic world's); drift is then measured on categories, else on items. */
  categories: boolean;
}

/**
 * What `log` records. Event types map by name (view, cart, purchase); a log with a single event type of
 * another name (ratings, orders) has it play the purchase, so a log of one kind of conversion is treated as
 * purchases only.
 *
 * @example
 * lensOf(onlineRetailLog, false).types // { view: null, cart: null, purchase: 'purchase' }
 */
export function lensOf(log: EventLog, categories: boolean, input: string): Lens {
  const present = presentTypes(log);
  const types: Record<TwinType, string | null> = { view: null, cart: null, purchase: null };
  for (const t of EVENT_TYPES) if (present.includes(t)) types[t] = t;
  if (present.length === 1 && types.view === null && types.cart === null && types.purchase === null) types.purchase = present[0];
  if (types.view === null && types.cart === null && types.purchase === null) throw new InputError(calibrateMsg.noTwinTypes(input, present));
  const channelNames = presentChannels(log);
  const canonical = channelNames.every((c) => (CHANNELS as readonly string[]).includes(c));
  let logins = false;
  for (let i = 0; i < log.length && !logins; i++) logins = log.login[i] !== NONE;
  return { types, keys: hasMultiKeyPersons(log), logins, channels: canonical ? channelNames : null, categories };
}

/**
 * Event type names that occur in the log, in dictionary order.
 *
 * @example
 * presentTypes(onlineRetailLog) // ['purchase']
 */
export function presentTypes(log: EventLog): string[] {
  const seen = new Uint8Array(log.dict.type.length);
  for (let i = 0; i < log.length; i++) seen[log.type[i]] = 1;
  return log.dict.type.filter((_, t) => seen[t]);
}

function presentChannels(log: EventLog): string[] {
  const seen = new Uint8Array(log.dict.channel.length);
  for (let i = 0; i < log.length; i++) seen[log.channel[i]] = 1;
  return log.dict.channel.filter((_, c) => seen[c]);
}

/**
 * The source log as the statistics read it: every event a person (anonymous events get one stand-in person
 * per key, as a run does), only the events of types the twin can play, renamed to the twin's names.
 *
 * @example
 * const source = sourceView(log, lens); // a purchases-only log stays as it is
 */
export function sourceView(log: EventLog, lens: Lens): EventLog {
  const { log: complete } = fillUnknownPersons(log);
  const twinOf = complete.dict.type.map((name) => {
    const found = EVENT_TYPES.find((t) => lens.types[t] === name);
    return found ?? null;
  });
  return project(complete, twinOf, { keys: true, logins: true });
}

/**
 * The twin as the source would have recorded it: only the event types the source has; without device keys in
 * the source, every event on the person's own key; without logins, none; identity signals only when the source
 * has them.
 *
 * @example
 * const seen = throughLens(twin.log, lens, false); // for Online Retail: purchases only, one key per person
 */
export function throughLens(twin: EventLog, lens: Lens, keepSignals: boolean): EventLog {
  const twinOf = twin.dict.type.map((name) => (EVENT_TYPES.includes(name as TwinType) && lens.types[name as TwinType] !== null ? (name as TwinType) : null));
  const out = project(twin, twinOf, { keys: lens.keys, logins: lens.logins });
  return keepSignals ? out : { ...out, signals: undefined };
}

/**
 * The events where `keep[i]` is 1, every column (identity signals too) kept as it is.
 *
 * @example
 * selectEvents(log, inSample) // the events of a person sample
 */
export function selectEvents(log: EventLog, keep: Uint8Array): EventLog {
  return rows(
    log,
    (i) => keep[i] === 1,
    (t) => t,
    log.dict.type,
    { keys: true, logins: true },
  );
}

/**
 * The events whose type plays a twin type (`twinOf[type]`, null for none), with a type dictionary of just those
 * twin types in the twin's order: a log of purchases only has the one type `purchase`, as the source has, so
 * the checks that look for views find none.
 */
function project(log: EventLog, twinOf: ReadonlyArray<TwinType | null>, id: { keys: boolean; logins: boolean }): EventLog {
  const names = EVENT_TYPES.filter((t) => twinOf.includes(t));
  const code = Int16Array.from(twinOf, (t) => (t === null ? -1 : names.indexOf(t)));
  return rows(
    log,
    (i) => code[log.type[i]] >= 0,
    (t) => code[t],
    names,
    id,
  );
}

/** Rows where `keep(i)`, types renumbered by `typeOf` into `types`, keys replaced by persons and logins dropped when asked. */
function rows(
  log: EventLog,
  keep: (i: number) => boolean,
  typeOf: (t: number) => number,
  types: readonly string[],
  id: { keys: boolean; logins: boolean },
): EventLog {
  let n = 0;
  for (let i = 0; i < log.length; i++) if (keep(i)) n++;
  const at = new Int32Array(n);
  n = 0;
  for (let i = 0; i < log.length; i++) if (keep(i)) at[n++] = i;
  const pick = <T extends Float64Array | Float32Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const out = make(n);
    for (let r = 0; r < n; r++) out[r] = a[at[r]];
    return out;
  };
  const type = new Uint8Array(n);
  for (let r = 0; r < n; r++) type[r] = typeOf(log.type[at[r]]);
  const person = pick(log.person, (m) => new Int32Array(m));
  const sig = log.signals;
  return {
    length: n,
    tsMs: pick(log.tsMs, (m) => new Float64Array(m)),
    person,
    key: id.keys ? pick(log.key, (m) => new Int32Array(m)) : person,
    login: id.logins ? pick(log.login, (m) => new Int32Array(m)) : new Int32Array(n).fill(NONE),
    channel: pick(log.channel, (m) => new Uint8Array(m)),
    session: pick(log.session, (m) => new Int32Array(m)),
    item: pick(log.item, (m) => new Int32Array(m)),
    type,
    value: pick(log.value, (m) => new Float32Array(m)),
    dict: {
      ...log.dict,
      type: [...types],
      key: id.keys ? log.dict.key : log.dict.person,
      login: id.logins ? log.dict.login : [],
    },
    signals: sig
      ? {
          ip: pick(sig.ip, (m) => new Int32Array(m)),
          userAgent: pick(sig.userAgent, (m) => new Int32Array(m)),
          geo: pick(sig.geo, (m) => new Int32Array(m)),
          dict: sig.dict,
        }
      : undefined,
  };
}
