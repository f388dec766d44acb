// Bytes from a model's stdout as they arrive, taken off as lines (JSON answers, f32 headers) or as a given
// number of bytes (f32 scores). Chunks are kept as they come and joined once per line or frame, so an answer
// that spans many pipe chunks (a catalogue of a million items) is copied once, not once per chunk.

export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Bytes of chunks[0] already taken. */
  private head = 0;
  private size = 0;
  /** Bytes from the front already known to hold no newline (so a long line is scanned once). */
  private scanned = 0;

  /** Bytes waiting. */
  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /**
   * The next line without its newline (and without a carriage return before it), or null while incomplete.
   *
   * @example
   * q.push(Buffer.from('{"ready":true}\n{"id"')); q.takeLine()?.toString() // '{"ready":true}'; q.takeLine() // null
   */
  takeLine(): Buffer | null {
    let offset = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      const start = c === 0 ? this.head : 0;
      const avail = chunk.length - start;
      if (offset + avail > this.scanned) {
        const from = start + Math.max(0, this.scanned - offset);
        const nl = chunk.indexOf(10, from);
        if (nl >= 0) {
          const line = this.take(offset + (nl - start) + 1);
          this.scanned = 0;
          const end = line.length - 1 - (line.length > 1 && line[line.length - 2] === 13 ? 1 : 0);
          return line.subarray(0, end);
        }
      }
      offset += avail;
    }
    this.scanned = offset;
    return null;
  }

  /**
   * The next `n` bytes, or null while fewer are waiting.
   *
   * @example
   * q.takeBytes(12000) // a Buffer of 12000 bytes once they arrived
   */
  takeBytes(n: number): Buffer | null {
    if (this.size < n) return null;
    this.scanned = 0;
    return this.take(n);
  }

  /**
   * Move the next `dest.length` bytes into `dest` (no intermediate copy); false, taking nothing, while fewer are waiting.
   *
   * @example
   * q.takeInto(new Uint8Array(row.buffer, row.byteOffset, 12000)) // true once 12000 bytes arrived
   */
  takeInto(dest: Uint8Array): boolean {
    const n = dest.length;
    if (this.size < n) return false;
    this.scanned = 0;
    let at = 0;
    while (at < n) {
      const c = this.chunks[0];
      const k = Math.min(n - at, c.length - this.head);
      dest.set(c.subarray(this.head, this.head + k), at);
      at += k;
      this.head += k;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.size -= n;
    return true;
  }

  /** Remove and return the first n bytes (n <= size): a view when they lie in one chunk, else one copy. */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first !== undefined && first.length - this.head >= n) {
      out = first.subarray(this.head, this.head + n);
      this.head += n;
    } else {
      out = Buffer.allocUnsafe(n);
      let at = 0;
      while (at < n) {
        const c = this.chunks[0];
        const k = Math.min(n - at, c.length - this.head);
        c.copy(out, at, this.head, this.head + k);
        at += k;
        this.head += k;
        if (this.head === c.length) {
          this.chunks.shift();
          this.head = 0;
        }
      }
    }
    if (this.chunks.length > 0 && this.head === this.chunks[0].length) {
      this.chunks.shift();
      this.head = 0;
    }
    this.size -= n;
    return out;
  }
}
