// Scratch space for one person's simulated behaviour: their sessions, events and pending delayed
// purchases, reused from person to person so the hot loop allocates nothing.

/** Grow a typed array to at least `need` slots, keeping its contents. */
function grow<T extends Float64Array | Int32Array | Uint8Array | Float32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  next.set(a);
  return next;
}

/**
 * One person's trace. Events carry a local session slot; sessions carry start and end times.
 * Delayed purchases wait in `returns*` until timeline.ts places them in a session.
 *
 * @example
 * const trace = new PersonTrace();
 * const s = trace.openSession(tMs);
 * trace.addEvent(tMs, item, VIEW, 1, s);
 */
export class PersonTrace {
  events = 0;
  ts = new Float64Array(256);
  item = new Int32Array(256);
  type = new Uint8Array(256);
  value = new Float32Array(256);
  slot = new Int32Array(256);

  sessions = 0;
  sessionStart = new Float64Array(64);
  sessionEnd = new Float64Array(64);

  returns = 0;
  returnTs = new Float64Array(16);
  returnItem = new Int32Array(16);
  returnValue = new Float32Array(16);

  reset(): void {
    this.events = 0;
    this.sessions = 0;
    this.returns = 0;
  }

  /** Open a session starting (and, for now, ending) at `tMs`; returns its slot. */
  openSession(tMs: number): number {
    const s = this.sessions++;
    if (s >= this.sessionStart.length) {
      this.sessionStart = grow(this.sessionStart, s + 1);
      this.sessionEnd = grow(this.sessionEnd, s + 1);
    }
    this.sessionStart[s] = tMs;
    this.sessionEnd[s] = tMs;
    return s;
  }

  /** Append an event to session `slot`, widening the session's [start, end] to cover it. */
  addEvent(tMs: number, item: number, type: number, value: number, slot: number): void {
    const e = this.events++;
    if (e >= this.ts.length) {
      const need = e + 1;
      this.ts = grow(this.ts, need);
      this.item = grow(this.item, need);
      this.type = grow(this.type, need);
      this.value = grow(this.value, need);
      this.slot = grow(this.slot, need);
    }
    this.ts[e] = tMs;
    this.item[e] = item;
    this.type[e] = type;
    this.value[e] = value;
    this.slot[e] = slot;
    if (tMs < this.sessionStart[slot]) this.sessionStart[slot] = tMs;
    if (tMs > this.sessionEnd[slot]) this.sessionEnd[slot] = tMs;
  }

  /** Remember a purchase that will happen at `tMs` in a later (return) session. */
  addReturn(tMs: number, item: number, value: number): void {
    const r = this.returns++;
    if (r >= this.returnTs.length) {
      this.returnTs = grow(this.returnTs, r + 1);
      this.returnItem = grow(this.returnItem, r + 1);
      this.returnValue = grow(this.returnValue, r + 1);
    }
    this.returnTs[r] = tMs;
    this.returnItem[r] = item;
    this.returnValue[r] = value;
  }
}
