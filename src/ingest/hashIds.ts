// Dense ids from 64-bit hashes. DuckDB hashes each id string while it parses the file; here each new hash gets
// the next id and its string (decoded once per distinct value, never per row). Two different strings with the
// same 64-bit hash would share an id: about 1 in 10 million for a log with 2 million distinct values.

/** Words per slot: hash low, hash high, id, padding (a slot never straddles a cache line). */
const STRIDE = 4;
/** Strings per joined block. */
const BLOCK = 4096;

/**
 * Open-addressing table from a hash (two 32-bit words; the low word is never 0, 0 marks an empty slot) to an id.
 *
 * @example
 * const ids = new HashIds();
 * let id = ids.find(lo, hi);
 * if (id < 0) id = ids.add(lo, hi, 'user-17'); // 0
 * ids.values; // ['user-17']
 */
export class HashIds {
  private count = 0;
  /**
   * The strings, in order of first appearance: whole blocks of BLOCK joined into one flat string each, the last
   * ones as they came, with every string's length. Hundreds of thousands of separate strings would be marked by
   * every full garbage collection while the stream runs; a few hundred joined ones are not.
   */
  private readonly blocks: string[] = [];
  private pending: string[] = [];
  private lengths = new Int32Array(1024);
  private slots: Uint32Array;
  private mask: number;
  /** Slot where the last unsuccessful `find` stopped: `add` fills it. */
  private slot = 0;

  /** `keepValues` false: ids only (session ids need no dictionary). */
  constructor(
    capacity = 1024,
    private readonly keepValues = true,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Uint32Array(size * STRIDE);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** id -> string, in order of first appearance (empty when the strings are not kept). Builds a new array. */
  get values(): string[] {
    if (!this.keepValues) return [];
    const out: string[] = new Array(this.count);
    let id = 0;
    for (const block of this.blocks) {
      for (let at = 0, end = id + BLOCK; id < end; id++) {
        out[id] = block.slice(at, at + this.lengths[id]);
        at += this.lengths[id];
      }
    }
    for (const v of this.pending) out[id++] = v;
    return out;
  }

  /** The id of the hash, or -1 when it is new (then call `add` with the same hash before any other `find`). */
  find(lo: number, hi: number): number {
    const slots = this.slots;
    const mask = this.mask;
    // DuckDB's hashes are well mixed: the high word alone spreads the slots.
    let s = hi & mask;
    for (;;) {
      const at = s * STRIDE;
      const k = slots[at];
      if (k === 0) {
        this.slot = s;
        return -1;
      }
      if (k === lo && slots[at + 1] === hi) return slots[at + 2];
      s = (s + 1) & mask;
    }
  }

  add(lo: number, hi: number, value: string): number {
    const id = this.count++;
    const at = this.slot * STRIDE;
    this.slots[at] = lo;
    this.slots[at + 1] = hi;
    this.slots[at + 2] = id;
    if (this.keepValues) this.keep(id, value);
    // Keep the load under one half so probes stay short.
    if (this.count * 2 > this.mask) this.grow();
    return id;
  }

  private keep(id: number, value: string): void {
    if (id === this.lengths.length) {
      const lengths = new Int32Array(id * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    this.lengths[id] = value.length;
    this.pending.push(value);
    if (this.pending.length === BLOCK) {
      this.blocks.push(this.pending.join(''));
      this.pending = [];
    }
  }

  private grow(): void {
    const old = this.slots;
    // Quadrupling: fewer rehashes and fewer fresh tables to fault in for the large dictionaries.
    const size = (this.mask + 1) * 4;
    const slots = new Uint32Array(size * STRIDE);
    const mask = size - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at] === 0) continue;
      let s = old[at + 1] & mask;
      while (slots[s * STRIDE] !== 0) s = (s + 1) & mask;
      const to = s * STRIDE;
      slots[to] = old[at];
      slots[to + 1] = old[at + 1];
      slots[to + 2] = old[at + 2];
    }
    this.slots = slots;
    this.mask = mask;
  }
}
