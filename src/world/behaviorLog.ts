// The behaviour stage's output: events and sessions in generation order (person by person), before
// session numbering, identity and the time sort; growable columns the simulation writes in place.

type Column = Float64Array | Int32Array | Uint8Array | Float32Array;

/**
 * Unsorted behaviour. Event e belongs to generation-order session `session[e]`; session s belongs to
 * `sessionPerson[s]` and spans [sessionStart[s], sessionEnd[s]]. A person's sessions are contiguous.
 *
 * @example
 * const log = new BehaviorLog(expectedEvents, expectedSessions);
 * const s = log.openSession(person, tMs);
 * log.addEvent(tMs, item, VIEW, 1, s);
 */
export class BehaviorLog {
  events = 0;
  ts: Float64Array;
  person: Int32Array;
  session: Int32Array;
  item: Int32Array;
  type: Uint8Array;
  value: Float32Array;

  sessions = 0;
  sessionStart: Float64Array;
  sessionEnd: Float64Array;
  sessionPerson: Int32Array;

  constructor(eventCapacity: number, sessionCapacity: number) {
    const n = Math.max(16, Math.ceil(eventCapacity));
    this.ts = new Float64Array(n);
    this.person = new Int32Array(n);
    this.session = new Int32Array(n);
    this.item = new Int32Array(n);
    this.type = new Uint8Array(n);
    this.value = new Float32Array(n);
    const s = Math.max(16, Math.ceil(sessionCapacity));
    this.sessionStart = new Float64Array(s);
    this.sessionEnd = new Float64Array(s);
    this.sessionPerson = new Int32Array(s);
  }

  /** Open a session of `person` starting (and for now ending) at `tMs`; returns its index. */
  openSession(person: number, tMs: number): number {
    const s = this.sessions;
    if (s === this.sessionStart.length) this.growSessions();
    this.sessionStart[s] = tMs;
    this.sessionEnd[s] = tMs;
    this.sessionPerson[s] = person;
    this.sessions = s + 1;
    return s;
  }

  /** Append an event to `session`, widening the session's [start, end] to cover it. */
  addEvent(tMs: number, item: number, type: number, value: number, session: number): void {
    const e = this.events;
    if (e === this.ts.length) this.growEvents();
    this.ts[e] = tMs;
    this.person[e] = this.sessionPerson[session];
    this.session[e] = session;
    this.item[e] = item;
    this.type[e] = type;
    this.value[e] = value;
    this.events = e + 1;
    if (tMs < this.sessionStart[session]) this.sessionStart[session] = tMs;
    if (tMs > this.sessionEnd[session]) this.sessionEnd[session] = tMs;
  }

  /** Grow event columns by half: amortised O(1) appends when the up-front estimate falls short. */
  private growEvents(): void {
    const n = Math.ceil(this.ts.length * 1.5);
    this.ts = resize(this.ts, n, this.events);
    this.person = resize(this.person, n, this.events);
    this.session = resize(this.session, n, this.events);
    this.item = resize(this.item, n, this.events);
    this.type = resize(this.type, n, this.events);
    this.value = resize(this.value, n, this.events);
  }

  private growSessions(): void {
    const n = Math.ceil(this.sessionStart.length * 1.5);
    this.sessionStart = resize(this.sessionStart, n, this.sessions);
    this.sessionEnd = resize(this.sessionEnd, n, this.sessions);
    this.sessionPerson = resize(this.sessionPerson, n, this.sessions);
  }
}

function resize<T extends Column>(a: T, n: number, used: number): T {
  const next = new (a.constructor as new (n: number) => T)(n);
  next.set(a.subarray(0, used) as unknown as ArrayLike<number>);
  return next;
}
