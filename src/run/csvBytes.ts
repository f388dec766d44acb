// CSV text written as UTF-8 bytes straight into a buffer, for tables too large to build as strings
// (requests.csv: 1M requests x ~80 cells). Numbers are written exactly as String(x) writes them: safe integers
// digit by digit, anything else through String; text through Buffer.write. Filled buffers are handed out
// whole and replaced, so a consumer may keep them.

/** Bytes per buffer handed out: large enough that writing them costs little per call. */
const CHUNK_BYTES = 1 << 21;
const COMMA = 44;
const NEWLINE = 10;
const ZERO = 48;
const MINUS = 45;

/**
 * A growing run of CSV bytes, handed out in chunks.
 *
 * @example
 * const out = new CsvBytes();
 * out.number(12); out.comma(); out.text('a,b'); out.newline();
 * out.take(); // Uint8Array of '12,a,b\n'
 */
export class CsvBytes {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.pos;
  }

  /** Make room for `bytes` more (a new, larger buffer keeps what is written). */
  reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 2 * (this.pos + bytes)));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Hand out the bytes written so far (a buffer that is not written again) and start empty. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.pos = 0;
    return out;
  }

  comma(): void {
    this.reserve(1);
    this.buf[this.pos++] = COMMA;
  }

  newline(): void {
    this.reserve(1);
    this.buf[this.pos++] = NEWLINE;
  }

  /** Text as UTF-8, as it is (quote it first where CSV needs it). */
  text(s: string): void {
    this.reserve(3 * s.length);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Bytes as they are (a remembered cell). */
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    const { buf } = this;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i];
    this.pos = p;
  }

  /** A number as String(x) writes it. */
  number(x: number): void {
    if (!Number.isSafeInteger(x)) {
      this.text(String(x));
      return;
    }
    this.reserve(17);
    const { buf } = this;
    // -0 is a safe integer that String writes as 0, as this does (it is not below 0).
    if (x < 0) {
      buf[this.pos++] = MINUS;
      x = -x;
    }
    if (x < 10) {
      buf[this.pos++] = ZERO + x;
      return;
    }
    let digits = 0;
    for (let y = x; y >= 1; y = Math.floor(y / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    while (x >= 1) {
      const q = Math.floor(x / 10);
      buf[--p] = ZERO + (x - q * 10);
      x = q;
    }
  }

  /** A number as String(x), nothing for NaN (no value). */
  optional(x: number): void {
    if (x === x) this.number(x);
  }
}
