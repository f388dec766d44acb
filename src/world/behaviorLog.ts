// The behaviour stage's output: events and sessions in generation order (person by person), before
// session numbering, identity and the time sort. Growable typed columns, filled one person at a time.
import type { PersonTrace } from './personTrace.ts';

/**
 * Unsorted behaviour. Event e belongs to generation-order session `session[e]`; session s belongs to
 * `sessionPerson[s]` and spans [sessionStart[s], sessionEnd[s]]. Sessions of one person are contiguous.
 *
 * @example
 * const out = new BehaviorLog(expectedEvents, expectedSessions);
 * out.appendPerson(u, trace);
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

  /** Copy person `u`'s trace (after placeReturns) to the end of the log. */
  appendPerson(u: number, trace: PersonTrace): void {
    this.reserve(trace.events, trace.sessions);
    const base = this.sessions;
    for (let s = 0; s < trace.sessions; s++) {
      this.sessionStart[base + s] = trace.sessionStart[s];
      this.sessionEnd[base + s] = trace.sessionEnd[s];
      this.sessionPerson[base + s] = u;
    }
    this.sessions += trace.sessions;
    const e0 = this.events;
    this.ts.set(trace.ts.subarray(0, trace.events), e0);
    this.item.set(trace.item.subarray(0, trace.events), e0);
    this.type.set(trace.type.subarray(0, trace.events), e0);
    this.value.set(trace.value.subarray(0, trace.events), e0);
    this.person.fill(u, e0, e0 + trace.events);
    for (let e = 0; e < trace.events; e++) this.session[e0 + e] = base + trace.slot[e];
    this.events += trace.events;
  }

  /** Make room for `events` more events and `sessions` more sessions, growing by half when short. */
  private reserve(events: number, sessions: number): void {
    if (this.events + events > this.ts.length) {
      const n = Math.max(this.events + events, Math.ceil(this.ts.length * 1.5));
      this.ts = resize(this.ts, n, this.events);
      this.person = resize(this.person, n, this.events);
      this.session = resize(this.session, n, this.events);
      this.item = resize(this.item, n, this.events);
      this.type = resize(this.type, n, this.events);
      this.value = resize(this.value, n, this.events);
    }
    if (this.sessions + sessions > this.sessionStart.length) {
      const n = Math.max(this.sessions + sessions, Math.ceil(this.sessionStart.length * 1.5));
      this.sessionStart = resize(this.sessionStart, n, this.sessions);
      this.sessionEnd = resize(this.sessionEnd, n, this.sessions);
      this.sessionPerson = resize(this.sessionPerson, n, this.sessions);
    }
  }
}

function resize<T extends Float64Array | Int32Array | Uint8Array | Float32Array>(a: T, n: number, used: number): T {
  const next = new (a.constructor as new (n: number) => T)(n);
  next.set(a.subarray(0, used) as unknown as ArrayLike<number>);
  return next;
}
