// Small, fast, stable 32-bit hashes: seeds for named random streams and counter-based draws
// (the Poisson bootstrap weights) that must not depend on processing order.

/** Mix a 32-bit value (murmur3 finalizer). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash three 32-bit integers to one 32-bit integer; stable across runs and platforms. */
export function hash3(a: number, b: number, c: number): number {
  let h = fmix32((a ^ 0x9e3779b9) >>> 0);
  h = fmix32((h ^ Math.imul(b ^ 0x7f4a7c15, 0x27d4eb2f)) >>> 0);
  h = fmix32((h ^ Math.imul(c ^ 0x165667b1, 0x85ebca77)) >>> 0);
  return h;
}

/**
 * The part of hash3(a, b, c) that does not depend on c: hash3(a, b, c) = hash3Last(hash3Prefix(a, b), c).
 * Lets a loop over c (e.g. bootstrap replicates) mix only once per draw.
 *
 * @example
 * hash3Last(hash3Prefix(7, 42), 3) === hash3(7, 42, 3) // true
 */
export function hash3Prefix(a: number, b: number): number {
  const h = fmix32((a ^ 0x9e3779b9) >>> 0);
  return fmix32((h ^ Math.imul(b ^ 0x7f4a7c15, 0x27d4eb2f)) >>> 0);
}

/** The last round of hash3 (see hash3Prefix). */
export function hash3Last(prefix: number, c: number): number {
  return fmix32((prefix ^ Math.imul(c ^ 0x165667b1, 0x85ebca77)) >>> 0);
}

/** Hash a string to a 32-bit integer (FNV-1a, then mixed). */
export function hashString(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h >>> 0);
}

/** Uniform in [0, 1) from a 32-bit hash. */
export function unitFromHash(h: number): number {
  return (h >>> 0) / 4294967296;
}
