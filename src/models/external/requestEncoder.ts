// Profiles as the protocol's request lines, encoded by the replay's thread straight into shared memory while the
// bridge thread hands what is ready to the model: the model works on the first requests of a batch while the
// rest are still being encoded, and encoding costs about as much as a simple model's answer.
import type { EventLog } from '../../log/eventLog.ts';

/**
 * Request lines, `{"id", "more"?, "items", "times", "events"}` and a newline each, the view's events oldest
 * first, as UTF-8. Item ids and event names are JSON-escaped and encoded once per dictionary entry, not once per
 * event; times are written two digits at a time.
 */
export class RequestEncoder {
  /** Item ids as JSON, back to back: item i's bytes are itemBytes[itemAt[i] .. itemAt[i + 1]) (one small block, cached). */
  private readonly itemBytes: Uint8Array;
  private readonly itemAt: Int32Array;
  private readonly typeBytes: Uint8Array;
  private readonly typeAt: Int32Array;
  /** The current view's times and (item * 256 + type), gathered: scratch[2e], scratch[2e + 1]. */
  private scratch = new Float64Array(1024);
  /** The most bytes one event can take: its item, time, event name and three separators. */
  private readonly eventBytes: number;
  private buf: Uint8Array = new Uint8Array(0);
  private len = 0;

  constructor(private readonly log: EventLog) {
    [this.itemBytes, this.itemAt] = packed(log.dict.item);
    [this.typeBytes, this.typeAt] = packed(log.dict.type);
    const longest = (at: Int32Array) => at.reduce((m, v, i) => (i > 0 ? Math.max(m, v - at[i - 1]) : 0), 0);
    this.eventBytes = longest(this.itemAt) + longest(this.typeAt) + MAX_NUMBER_BYTES + 3;
  }

  /**
   * The most bytes `requests` requests with `events` events in all can take: a buffer this large never overflows.
   *
   * @example
   * const buf = new Uint8Array(new SharedArrayBuffer(enc.bound(256, 30_000)));
   */
  bound(requests: number, events: number): number {
    return requests * 64 + events * this.eventBytes;
  }

  /** Write the next requests into `buf` from its start (large enough for them: see bound). */
  begin(buf: Uint8Array): void {
    this.buf = buf;
    this.len = 0;
  }

  /**
   * Append one request and its newline; returns where its line ends. `more`: how many requests follow it in the
   * same batch (a model may read that many lines without blocking); null leaves it out (HTTP bodies carry their
   * batch whole).
   *
   * @example
   * enc.begin(buf);
   * const end = enc.append(1, new Int32Array([0, 5]), 0);
   * new TextDecoder().decode(buf.subarray(0, end));
   * // '{"id":1,"more":0,"items":["i3","i9"],"times":[1704067200000,1704070800000],"events":["view","purchase"]}\n'
   */
  append(id: number, events: Int32Array, more: number | null): number {
    const { buf, itemBytes, itemAt, typeBytes, typeAt } = this;
    // Gather the view's events first, in a tight loop whose loads do not wait on each other: a view's events lie
    // all over the log, and the CPU overlaps those cache misses here (about four times faster than taking each
    // miss in turn inside the writing loops below, which then read the gathered values in order).
    if (this.scratch.length < 2 * events.length) this.scratch = new Float64Array(4 * events.length);
    const { tsMs, item, type } = this.log;
    const g = this.scratch;
    for (let e = 0; e < events.length; e++) {
      const x = events[e];
      g[2 * e] = tsMs[x];
      g[2 * e + 1] = item[x] * 256 + type[x];
    }
    let at = ascii(buf, this.len, '{"id":');
    at = number(buf, at, id);
    if (more !== null) at = number(buf, ascii(buf, at, ',"more":'), more);
    at = ascii(buf, at, ',"items":[');
    for (let e = 0; e < events.length; e++) {
      if (e > 0) buf[at++] = COMMA;
      const x = Math.floor(g[2 * e + 1] / 256);
      for (let i = itemAt[x]; i < itemAt[x + 1]; i++) buf[at++] = itemBytes[i];
    }
    at = ascii(buf, at, '],"times":[');
    for (let e = 0; e < events.length; e++) {
      if (e > 0) buf[at++] = COMMA;
      at = number(buf, at, g[2 * e]);
    }
    at = ascii(buf, at, '],"events":[');
    for (let e = 0; e < events.length; e++) {
      if (e > 0) buf[at++] = COMMA;
      const x = g[2 * e + 1] % 256;
      for (let i = typeAt[x]; i < typeAt[x + 1]; i++) buf[at++] = typeBytes[i];
    }
    this.len = ascii(buf, at, ']}\n');
    return this.len;
  }
}

/** Dictionary entries as JSON text in UTF-8, back to back, and where each starts (one more for the end). */
function packed(names: readonly string[]): [Uint8Array, Int32Array] {
  const utf8 = new TextEncoder();
  const parts = names.map((s) => utf8.encode(JSON.stringify(s)));
  const at = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => (at[i + 1] = at[i] + p.length));
  const bytes = new Uint8Array(at[parts.length]);
  parts.forEach((p, i) => bytes.set(p, at[i]));
  return [bytes, at];
}

const COMMA = 44;
/** The longest number String() writes: -1.7976931348623157e+308. */
const MAX_NUMBER_BYTES = 24;

/** Write ASCII text (the protocol's own punctuation and keys) at `at`; returns the end. */
function ascii(buf: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
  return at;
}

/**
 * Write a number as JSON writes it at `at`; returns the end. Non-negative integers up to 2^53 (ids, epoch
 * milliseconds) go two digits at a time in 32-bit arithmetic, in two halves of at most 8 digits; others through String.
 */
function number(buf: Uint8Array, at: number, v: number): number {
  if (!(Number.isSafeInteger(v) && v >= 0)) return ascii(buf, at, String(v));
  const hi = Math.floor(v / 1e8);
  const lo = v - hi * 1e8;
  return hi > 0 ? digits(buf, digits(buf, at, hi, 0), lo, 8) : digits(buf, at, lo, 0);
}

/** "00" to "99" as character codes, two per number: a pair of digits per step halves the divisions. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/**
 * The digits of 0 <= x < 2^31, left-padded with zeros to `width` (0: no padding); returns the end. x * 0.01
 * truncated is x / 100 truncated for every such x (0.01 as a double is a hair above 0.01, never below), and a
 * multiplication is several times cheaper than a division.
 */
function digits(buf: Uint8Array, at: number, x: number, width: number): number {
  let n = width;
  if (n === 0) n = x < 10 ? 1 : x < 100 ? 2 : x < 1e3 ? 3 : x < 1e4 ? 4 : x < 1e5 ? 5 : x < 1e6 ? 6 : x < 1e7 ? 7 : x < 1e8 ? 8 : x < 1e9 ? 9 : 10;
  let i = at + n;
  const end = i;
  while (i - at >= 2) {
    const q = (x * 0.01) | 0;
    const r = 2 * (x - q * 100);
    buf[--i] = PAIRS[r + 1];
    buf[--i] = PAIRS[r];
    x = q;
  }
  if (i > at) buf[--i] = 48 + x;
  return end;
}
