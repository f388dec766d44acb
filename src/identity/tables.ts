// Typed-array building blocks of the device graph: a growable int vector and an open-addressing hash
// table from 52-bit keys to dense ids. Millions of blocks and pairs stay out of JS Maps and objects.

/**
 * A growable Int32Array.
 *
 * @example
 * const v = new IntVec(); v.push(3); v.data[0] // 3
 */
export class IntVec {
  data: Int32Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Int32Array(Math.max(4, capacity));
  }

  push(x: number): number {
    if (this.length === this.data.length) this.grow(this.length * 2);
    this.data[this.length] = x;
    return this.length++;
  }

  /** Make room for at least `n` elements. */
  grow(n: number): void {
    if (n <= this.data.length) return;
    const next = new Int32Array(Math.max(n, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

const EMPTY = -1;

/**
 * Open addressing (linear probing) from non-negative integer keys below 2^53 to dense ids 0, 1, 2, ...
 * in order of first insertion.
 *
 * @example
 * const t = new IdTable();
 * t.idOf(12345); // 0 (new)
 * t.idOf(12345); // 0 again, t.created === false
 */
export class IdTable {
  private keys: Float64Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;
  /** Whether the last idOf call inserted its key. */
  created = false;

  constructor(capacity = 1024) {
    let cap = 1024;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.ids = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** The id of `key`, inserting it with the next id when new. */
  idOf(key: number): number {
    let slot = mixKey(key) & this.mask;
    const keys = this.keys;
    for (;;) {
      const k = keys[slot];
      if (k === key) {
        this.created = false;
        return this.ids[slot];
      }
      if (k === EMPTY) break;
      slot = (slot + 1) & this.mask;
    }
    this.created = true;
    const id = this.size++;
    keys[slot] = key;
    this.ids[slot] = id;
    if (this.size * 2 > this.mask) this.rehash();
    return id;
  }

  /** The id of `key`, or -1. */
  get(key: number): number {
    let slot = mixKey(key) & this.mask;
    for (;;) {
      const k = this.keys[slot];
      if (k === key) return this.ids[slot];
      if (k === EMPTY) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  private rehash(): void {
    const oldKeys = this.keys;
    const oldIds = this.ids;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.ids = new Int32Array(cap);
    this.mask = cap - 1;
    for (let s = 0; s < oldKeys.length; s++) {
      const k = oldKeys[s];
      if (k === EMPTY) continue;
      let slot = mixKey(k) & this.mask;
      while (this.keys[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.keys[slot] = k;
      this.ids[slot] = oldIds[s];
    }
  }
}

/** A 32-bit mix of both halves of a key below 2^53. */
function mixKey(key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / 4294967296);
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
