// Seeded random streams. Every stochastic component receives an Rng and forks named children from it,
// so changing one component's parameters never shifts another component's draws.
import { fmix32, hashString } from './hash.ts';

/**
 * xoshiro128** generator with named forks.
 *
 * A fork depends only on the parent's seed material and the name, never on how many draws the parent
 * has made, so `rng.fork('identity')` is the same stream whatever happened before.
 *
 * @example
 * const rng = Rng.fromSeed(7);
 * const behavior = rng.fork('behavior');
 * behavior.float(); // deterministic for seed 7
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;
  private readonly material: readonly [number, number, number, number];

  private constructor(material: readonly [number, number, number, number]) {
    this.material = material;
    this.a = material[0] | 0 || 0x9e3779b9;
    this.b = material[1] | 0;
    this.c = material[2] | 0;
    this.d = material[3] | 0;
    // Warm up so nearby seeds decorrelate.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A root generator for an integer seed. */
  static fromSeed(seed: number): Rng {
    const s = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    return new Rng([fmix32(s ^ 0x6a09e667), fmix32(s + 0xbb67ae85), fmix32(hi ^ 0x3c6ef372), fmix32(s ^ 0xa54ff53a)]);
  }

  /** An independent child stream named `name`; the same name always yields the same stream. */
  fork(name: string): Rng {
    const m = this.material;
    return new Rng([hashString(name, m[0]), hashString(name, m[1] ^ 0x510e527f), hashString(name, m[2] ^ 0x9b05688c), hashString(name, m[3] ^ 0x1f83d9ab)]);
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in (0, 1): safe under log. */
  floatOpen(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Standard normal (Box-Muller, caching the second draw). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const u = this.floatOpen();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given rate (mean 1 / rate). */
  exponential(rate: number): number {
    return -Math.log(this.floatOpen()) / rate;
  }

  /** Standard Gumbel draw. */
  gumbel(): number {
    return -Math.log(-Math.log(this.floatOpen()));
  }

  /** Gamma(shape, scale) by Marsaglia-Tsang. */
  gamma(shape: number, scale = 1): number {
    if (shape < 1) {
      const u = this.floatOpen();
      return this.gamma(shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.floatOpen();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /** Poisson(lambda): inversion for small lambda, normal approximation above 500. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    if (lambda > 30) {
      // Split to keep exp(-lambda) representable and inversion short.
      const half = lambda / 2;
      return this.poisson(half) + this.poisson(lambda - half);
    }
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    const u = this.float();
    while (u > cdf && k < 1000) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }

  /** Bernoulli(p). */
  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /** Index drawn from non-negative weights (linear scan; for short vectors). */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Walker alias table: O(1) draws from a fixed discrete distribution.
 *
 * @example
 * const table = new AliasTable(new Float64Array([1, 2, 7]));
 * table.sample(rng); // 2 with probability 0.7
 */
export class AliasTable {
  readonly size: number;
  /** Acceptance probability and alias of each column (exposed for code that flattens many tables). */
  readonly prob: Float64Array;
  readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new Error('AliasTable needs at least one weight');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    const scaled = new Float64Array(n);
    for (let i = 0; i < n; i++) scaled[i] = total > 0 ? (weights[i] * n) / total : 1;
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) (scaled[i] < 1 ? small : large).push(i);
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) (this.prob[i] = 1), (this.alias[i] = i);
    for (const i of small) (this.prob[i] = 1), (this.alias[i] = i);
  }

  sample(rng: Rng): number {
    const u = rng.float() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[i] ? i : this.alias[i];
  }
}

/**
 * A seeded uniform permutation of [0, n) (Fisher-Yates, drawing from the end).
 *
 * @example
 * permutation(5, rng.fork('order')); // e.g. Int32Array [3, 0, 4, 1, 2]
 */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
