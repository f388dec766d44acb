import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_QUANTUM,
  ClusterBootstrap,
  effectivePersons,
  holm,
  intervalFromSums,
  pairedPValue,
  poissonWeight,
  quantile7,
} from '../../src/stats/bootstrap.ts';
import { Rng } from '../../src/util/rng.ts';

/** R requests over P persons with a person effect, values = mu + u_person + noise. */
function clusteredData(rng: Rng, persons: number, mu: number, personSd: number, noiseSd: number) {
  const cluster: number[] = [];
  const values: number[] = [];
  for (let p = 0; p < persons; p++) {
    const u = personSd * rng.normal();
    const n = 1 + rng.int(6);
    // Sparse, large person ids, as stable external ids would be.
    for (let j = 0; j < n; j++) {
      cluster.push(p * 7919 + 13);
      values.push(mu + u + noiseSd * rng.normal());
    }
  }
  return { cluster: Int32Array.from(cluster), values: Float64Array.from(values) };
}

function permute<T extends Int32Array | Float64Array>(a: T, order: number[]): T {
  const out = a.slice() as T;
  order.forEach((from, to) => (out[to] = a[from]));
  return out;
}

describe('poissonWeight', () => {
  it('draws Poisson(1) weights from the hash', () => {
    const counts = new Array(20).fill(0);
    const N = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < N; i++) {
      const w = poissonWeight(3, i, i % 1000);
      counts[w]++;
      sum += w;
      sq += w * w;
    }
    // P(0) = P(1) = e^-1 = 0.3679, P(2) = 0.1839; mean = var = 1. Tolerances ~ 5 standard errors.
    expect(counts[0] / N).toBeCloseTo(Math.exp(-1), 2);
    expect(counts[1] / N).toBeCloseTo(Math.exp(-1), 2);
    expect(counts[2] / N).toBeCloseTo(Math.exp(-1) / 2, 2);
    expect(Math.abs(sum / N - 1)).toBeLessThan(0.012);
    expect(Math.abs(sq / N - (sum / N) ** 2 - 1)).toBeLessThan(0.02);
    expect(poissonWeight(3, 17, 5)).toBe(poissonWeight(3, 17, 5));
  });
});

describe('ClusterBootstrap', () => {
  it('gives lo = hi = mean when all values are equal', () => {
    const rng = Rng.fromSeed(1);
    const { cluster } = clusteredData(rng, 50, 0, 0, 0);
    const values = new Float64Array(cluster.length).fill(0.3);
    const ci = new ClusterBootstrap(cluster, { seed: 9, replicates: 200 }).interval(values);
    expect(ci.lo).toBe(ci.mean);
    expect(ci.hi).toBe(ci.mean);
    // The mean is of values rounded to the 2^-30 grid.
    expect(Math.abs(ci.mean - 0.3)).toBeLessThanOrEqual(BOOTSTRAP_QUANTUM);
  });

  it('contains the mean and widens with person-level correlation', () => {
    const rng = Rng.fromSeed(2);
    const { cluster, values } = clusteredData(rng, 300, 0.4, 0.3, 0.1);
    const boot = new ClusterBootstrap(cluster, { seed: 4, replicates: 1000 });
    const ci = boot.interval(values);
    const plain = values.reduce((a, b) => a + b, 0) / values.length;
    expect(ci.mean).toBeCloseTo(plain, 8);
    expect(ci.lo).toBeLessThan(ci.mean);
    expect(ci.hi).toBeGreaterThan(ci.mean);
    // Treating each request as its own cluster ignores the person effect and is clearly too narrow.
    const naive = new ClusterBootstrap(
      Int32Array.from(values, (_, i) => i),
      { seed: 4, replicates: 1000 },
    ).interval(values);
    expect((ci.hi - ci.lo) / (naive.hi - naive.lo)).toBeGreaterThan(1.3);
  });

  it('does not depend on the order of requests', () => {
    const rng = Rng.fromSeed(3);
    const { cluster, values } = clusteredData(rng, 200, 0.2, 0.2, 0.3);
    const order = Array.from(cluster, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const a = new ClusterBootstrap(cluster, { seed: 77, replicates: 500 });
    const b = new ClusterBootstrap(permute(cluster, order), { seed: 77, replicates: 500 });
    expect(b.interval(permute(values, order))).toEqual(a.interval(values));
    expect(b.replicateMeans(permute(values, order))).toEqual(a.replicateMeans(values));
  });

  it('merging two shards reproduces the single-run interval exactly', () => {
    const rng = Rng.fromSeed(4);
    const { cluster, values } = clusteredData(rng, 250, 0.5, 0.25, 0.2);
    const opts = { seed: 123, replicates: 800 };
    const single = new ClusterBootstrap(cluster, opts);
    // Requests split at random, so some persons have requests in both shards.
    const inA = Array.from(cluster, () => rng.float() < 0.4);
    const pick = (want: boolean) => Array.from(cluster, (_, i) => i).filter((i) => inA[i] === want);
    const parts = [true, false].map((want) => {
      const idx = pick(want);
      const boot = new ClusterBootstrap(
        Int32Array.from(idx, (i) => cluster[i]),
        opts,
      );
      return boot.replicateSums(Float64Array.from(idx, (i) => values[i]));
    });
    expect(intervalFromSums(parts, 0.95)).toEqual(single.interval(values));
    expect(intervalFromSums([parts[1], parts[0]], 0.9)).toEqual(new ClusterBootstrap(cluster, { ...opts, level: 0.9 }).interval(values));
    const other = new ClusterBootstrap(cluster, { seed: 124, replicates: 800 }).replicateSums(values);
    expect(() => intervalFromSums([parts[0], other])).toThrow('invalid parts: seeds 124 and 123 differ');
    const short = new ClusterBootstrap(cluster, { seed: 123, replicates: 10 }).replicateSums(values);
    expect(() => intervalFromSums([parts[0], short])).toThrow('invalid parts: replicate counts 10 and 800 differ');
  });

  it('covers the true mean about 95% of the time (seeded simulations)', () => {
    const rng = Rng.fromSeed(5).fork('coverage');
    const sims = 300;
    const mu = 0.25;
    let covered = 0;
    for (let s = 0; s < sims; s++) {
      const { cluster, values } = clusteredData(rng, 120, mu, 0.2, 0.3);
      const ci = new ClusterBootstrap(cluster, { seed: s, replicates: 600 }).interval(values);
      if (ci.lo <= mu && mu <= ci.hi) covered++;
    }
    // Binomial sd at 0.95 over 300 runs is 0.0126; percentile intervals with 120 clusters run slightly
    // narrow, so accept [0.90, 0.985].
    expect(covered / sims).toBeGreaterThanOrEqual(0.9);
    expect(covered / sims).toBeLessThanOrEqual(0.985);
  });

  it('gives NaN bounds with 0 replicates and skips zero-weight replicates', () => {
    const values = new Float64Array([1, 2, 3]);
    const none = new ClusterBootstrap(new Int32Array([0, 0, 1]), { seed: 1, replicates: 0 }).interval(values);
    expect(none.mean).toBe(2);
    expect(Number.isNaN(none.lo) && Number.isNaN(none.hi)).toBe(true);

    // One person: replicate b has total weight 0 exactly when that person's Poisson draw is 0.
    const one = new ClusterBootstrap(new Int32Array([42, 42]), { seed: 8, replicates: 100 });
    const means = one.replicateMeans(new Float64Array([1, 3]));
    for (let b = 0; b < 100; b++) {
      if (poissonWeight(8, 42, b) === 0) expect(Number.isNaN(means[b])).toBe(true);
      else expect(means[b]).toBe(2);
    }
    expect(one.interval(new Float64Array([1, 3]))).toEqual({ mean: 2, lo: 2, hi: 2 });
  });

  it('treats NaN values as missing', () => {
    const cluster = new Int32Array([0, 0, 1, 2]);
    const boot = new ClusterBootstrap(cluster, { seed: 2, replicates: 50 });
    const withNaN = boot.replicateSums(new Float64Array([1, NaN, 0, 1]));
    expect(withNaN.n).toBe(3);
    expect(withNaN.sum).toBe(2);
    const subset = new ClusterBootstrap(new Int32Array([0, 1, 2]), { seed: 2, replicates: 50 });
    expect(withNaN).toEqual(subset.replicateSums(new Float64Array([1, 0, 1])));
  });

  it.each([
    [{ seed: 1, replicates: -1 }, /invalid replicates: -1/],
    [{ seed: 1, replicates: 10, level: 1 }, /invalid level: 1; expected a number in \(0, 1\)/],
    [{ seed: 0.5, replicates: 10 }, /invalid seed: 0.5/],
  ])('rejects options %o', (opts, message) => {
    expect(() => new ClusterBootstrap(new Int32Array([0]), opts)).toThrow(message);
  });

  it('rejects negative cluster ids and series of the wrong length', () => {
    expect(() => new ClusterBootstrap(new Int32Array([0, -1]), { seed: 1, replicates: 1 })).toThrow('invalid cluster id: -1 at request 1');
    const boot = new ClusterBootstrap(new Int32Array([0, 1]), { seed: 1, replicates: 1 });
    expect(() => boot.interval(new Float64Array(3))).toThrow('invalid values: length 3; expected 2');
  });
});

describe('quantile7', () => {
  it('interpolates like R type 7', () => {
    const x = new Float64Array([1, 2, 4, 8]);
    // h = 3 * 0.5 = 1.5 -> 2 + 0.5 * (4 - 2) = 3; h = 3 * 0.9 = 2.7 -> 4 + 0.7 * 4 = 6.8.
    expect(quantile7(x, 0.5)).toBe(3);
    expect(quantile7(x, 0.9)).toBeCloseTo(6.8, 12);
    expect(quantile7(x, 0)).toBe(1);
    expect(quantile7(x, 1)).toBe(8);
    expect(quantile7(new Float64Array(0), 0.5)).toBeNaN();
  });
});

describe('pairedPValue', () => {
  const rng = Rng.fromSeed(6);
  const { cluster, values } = clusteredData(rng, 200, 0, 0.1, 0.2);
  const boot = new ClusterBootstrap(cluster, { seed: 3, replicates: 999 });

  it('is 1 / (B + 1) for a clear difference and large for none', () => {
    const shifted = values.map((v) => v + 1);
    expect(pairedPValue(shifted, boot)).toBe(1 / 1000);
    expect(
      pairedPValue(
        shifted.map((v) => -v),
        boot,
      ),
    ).toBe(1 / 1000);
    // Centre exactly: the observed mean of centred data is ~0 and the p-value is large.
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(
      pairedPValue(
        values.map((v) => v - mean + 1e-6),
        boot,
      ),
    ).toBeGreaterThan(0.5);
  });

  it('is 1 for an observed mean of exactly 0 and NaN without replicates', () => {
    expect(pairedPValue(new Float64Array(values.length), boot)).toBe(1);
    const noReps = new ClusterBootstrap(cluster, { seed: 3, replicates: 0 });
    expect(pairedPValue(values, noReps)).toBeNaN();
  });

  it('matches the share of replicate means on the other side of 0', () => {
    const diffs = values.map((v) => v + 0.02);
    const means = boot.replicateMeans(diffs);
    const below = means.filter((m) => m <= 0).length;
    expect(pairedPValue(diffs, boot)).toBeCloseTo(Math.max(1 / 1000, (2 * below) / 999), 15);
  });
});

describe('holm', () => {
  it('adjusts a hand example in the input order', () => {
    // Sorted: 0.005 * 4 = 0.02; 0.01 * 3 = 0.03; 0.03 * 2 = 0.06; 0.04 * 1 = 0.04 -> raised to 0.06 (monotone).
    const adj = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((p, i) => expect(adj[i]).toBeCloseTo(p, 15));
  });

  it('clamps at 1, keeps NaN out of m and handles the empty list', () => {
    // m = 2 (NaN excluded): 0.3 * 2 = 0.6; 0.6 * 1 = 0.6.
    const adj = holm([0.6, NaN, 0.3]);
    expect(adj[0]).toBeCloseTo(0.6, 15);
    expect(adj[1]).toBeNaN();
    expect(adj[2]).toBeCloseTo(0.6, 15);
    expect(holm([0.5, 0.6])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });
});

describe('effectivePersons', () => {
  it('counts effective persons by their requests', () => {
    expect(effectivePersons(Int32Array.of(0, 0, 0, 1))).toEqual({ distinct: 2, effective: 1.6 });
    expect(effectivePersons(Int32Array.of(3, 4, 5))).toEqual({ distinct: 3, effective: 3 });
    expect(effectivePersons(new Int32Array(0))).toEqual({ distinct: 0, effective: 0 });
  });
});
