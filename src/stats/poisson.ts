// Poisson(1) bootstrap weights drawn from a counter-based hash (docs/method.md 4.7): the weight of a cluster in
// a replicate depends only on (seed, cluster id, replicate), never on order, threads or sharding.
import { hash3 } from '../util/hash.ts';

// Poisson(1) inverse CDF on a 32-bit hash h: weight = min{k : h < 2^32 P(X <= k)}. The table ends where the
// CDF rounds to 1, so its last threshold exceeds every hash (max weight about 12).
const POISSON1_THRESHOLDS: Float64Array = (() => {
  const t: number[] = [];
  let p = Math.exp(-1);
  let cdf = p;
  for (let k = 0; k < 40; k++) {
    t.push(cdf * 4294967296);
    if (cdf >= 1) break;
    p /= k + 1;
    cdf += p;
  }
  t[t.length - 1] = Infinity;
  return Float64Array.from(t);
})();

/**
 * The Poisson(1) bootstrap weight of cluster `clusterId` in replicate `b` for `seed`.
 *
 * @example
 * poissonWeight(7, 12345, 0) // same integer in every run, shard and process order
 */
export function poissonWeight(seed: number, clusterId: number, b: number): number {
  const h = hash3(seed, clusterId, b);
  let k = 0;
  while (h >= POISSON1_THRESHOLDS[k]) k++;
  return k;
}

/**
 * The thresholds as integers for a 32-bit hash h: the weight is the number of entries <= h (unsigned). For an
 * integer h, h >= t exactly when h >= ceil(t); thresholds above every 32-bit value are left out.
 *
 * @example
 * const thr = poissonIntegerThresholds(); // Uint32Array, ascending; thr[0] = ceil(2^32 / e)
 */
export function poissonIntegerThresholds(): Uint32Array {
  const out: number[] = [];
  for (const t of POISSON1_THRESHOLDS) if (Math.ceil(t) <= 0xffffffff) out.push(Math.ceil(t));
  return Uint32Array.from(out);
}
