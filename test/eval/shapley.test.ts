import { describe, expect, it } from 'vitest';
import { interaction2, interaction2PerRequest, shapley, shapleyPerRequest, shapleyWeights } from '../../src/eval/shapley.ts';
import { Rng } from '../../src/util/rng.ts';

function randomGame(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: 1 << n }, () => rng.float());
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

describe('shapleyWeights', () => {
  it('is s!(n-s-1)!/n! and sums to 1 over all coalitions', () => {
    expect(Array.from(shapleyWeights(1))).toEqual([1]);
    expect(Array.from(shapleyWeights(2))).toEqual([0.5, 0.5]);
    // n = 3: 0!2!/3! = 1/3, 1!1!/3! = 1/6, 2!0!/3! = 1/3.
    const w3 = shapleyWeights(3);
    [1 / 3, 1 / 6, 1 / 3].forEach((w, s) => expect(w3[s]).toBeCloseTo(w, 15));
    // n = 5: sum_s C(4, s) w[s] = 1.
    const w5 = shapleyWeights(5);
    const binom = [1, 4, 6, 4, 1];
    expect(binom.reduce((a, c, s) => a + c * w5[s], 0)).toBeCloseTo(1, 15);
    expect(w5[2]).toBeCloseTo((2 * 2) / 120, 15);
  });

  it.each([[0], [1.5], [17]])('rejects n = %s', (n) => {
    expect(() => shapleyWeights(n)).toThrow(`invalid n: ${n}`);
  });
});

describe('shapley', () => {
  it('n = 2 hand example', () => {
    // v[00] = 0, v[01] (factor 0 fixed) = 0.02, v[10] = 0.01, v[11] = 0.04.
    // phi_0 = 1/2 (0.02 - 0) + 1/2 (0.04 - 0.01) = 0.025; phi_1 = 1/2 (0.01 - 0) + 1/2 (0.04 - 0.02) = 0.015.
    const v = new Float64Array([0, 0.02, 0.01, 0.04]);
    const phi = shapley(v, 2);
    expect(phi[0]).toBeCloseTo(0.025, 15);
    expect(phi[1]).toBeCloseTo(0.015, 15);
    // Interaction 0.04 - 0.01 - 0.02 + 0 = 0.01, split evenly: phi_0 = 0.02 + 0.005.
    expect(interaction2(v)).toBeCloseTo(0.01, 15);
    expect(phi[0]).toBeCloseTo(v[1] - v[0] + interaction2(v) / 2, 15);
  });

  it('n = 3 hand example', () => {
    // v by mask: [000]=0 [001]=3 [010]=1 [011]=5 [100]=2 [101]=4 [110]=7 [111]=9; weights 1/3, 1/6, 1/3.
    // phi_0 = 1/3 (3-0) + 1/6 (5-1) + 1/6 (4-2) + 1/3 (9-7) = 1 + 2/3 + 1/3 + 2/3 = 8/3
    // phi_1 = 1/3 (1-0) + 1/6 (5-3) + 1/6 (7-2) + 1/3 (9-4) = 1/3 + 1/3 + 5/6 + 5/3 = 19/6
    // phi_2 = 1/3 (2-0) + 1/6 (4-3) + 1/6 (7-1) + 1/3 (9-5) = 2/3 + 1/6 + 1 + 4/3 = 19/6
    // Sum = 16/6 + 19/6 + 19/6 = 9 = v(all) - v(none).
    const phi = shapley(new Float64Array([0, 3, 1, 5, 2, 4, 7, 9]), 3);
    expect(phi[0]).toBeCloseTo(8 / 3, 14);
    expect(phi[1]).toBeCloseTo(19 / 6, 14);
    expect(phi[2]).toBeCloseTo(19 / 6, 14);
  });

  it('shares sum to v(all) - v(none) (invariant 5)', () => {
    const rng = Rng.fromSeed(1);
    for (let n = 1; n <= 5; n++) {
      const v = randomGame(rng, n);
      expect(sum(shapley(v, n))).toBeCloseTo(v[(1 << n) - 1] - v[0], 13);
    }
  });

  it('gives exactly 0 to a factor whose setting changes nothing (invariant 5)', () => {
    const rng = Rng.fromSeed(2);
    const base = randomGame(rng, 4);
    // Factor 2 is a dummy: v(S) depends on S without bit 2.
    const v = new Float64Array(16).map((_, mask) => base[mask & ~4]);
    const phi = shapley(v, 4);
    expect(phi[2]).toBe(0);
    expect(sum(phi)).toBeCloseTo(v[15] - v[0], 14);
  });

  it('gives symmetric factors equal shares', () => {
    // v depends on how many of factors 0 and 1 are fixed, plus factor 2 on its own.
    const byCount = [0, 0.3, 1];
    const v = new Float64Array(8).map((_, m) => byCount[(m & 1) + ((m >> 1) & 1)] + ((m & 4) !== 0 ? 0.5 : 0));
    const phi = shapley(v, 3);
    expect(phi[0]).toBeCloseTo(phi[1], 15);
    expect(phi[0]).toBeCloseTo(0.5, 15);
    expect(phi[2]).toBeCloseTo(0.5, 15);
  });

  it('rejects a value table of the wrong length', () => {
    expect(() => shapley(new Float64Array(7), 3)).toThrow('invalid v: length 7; expected 2^3 = 8');
  });
});

describe('shapleyPerRequest', () => {
  it('per-request shares sum to the per-request gap and average to the shares of the means', () => {
    const rng = Rng.fromSeed(3);
    const n = 3;
    const R = 50;
    const values = Array.from({ length: 1 << n }, () => Float32Array.from({ length: R }, () => rng.float()));
    const phi = shapleyPerRequest(values, n);
    expect(phi).toHaveLength(n);
    for (let r = 0; r < R; r++) {
      expect(phi[0][r] + phi[1][r] + phi[2][r]).toBeCloseTo(values[7][r] - values[0][r], 6);
    }
    const means = Float64Array.from(values, (col) => sum(col) / R);
    const phiOfMeans = shapley(means, n);
    for (let k = 0; k < n; k++) expect(sum(phi[k]) / R).toBeCloseTo(phiOfMeans[k], 12);
  });

  it('writes into given arrays (overwriting them) exactly what it would allocate', () => {
    const rng = Rng.fromSeed(4);
    const R = 40;
    for (const n of [1, 2, 3]) {
      const values = Array.from({ length: 1 << n }, () => Float64Array.from({ length: R }, () => (rng.float() < 0.3 ? 0 : rng.float())));
      const out = Array.from({ length: n }, () => Float64Array.from({ length: R }, () => rng.float()));
      const phi = shapleyPerRequest(values, n, out);
      expect(phi).toEqual(out);
      phi.forEach((p, k) => expect(p).toBe(out[k]));
      const fresh = shapleyPerRequest(values, n);
      fresh.forEach((p, k) => p.forEach((x, r) => expect(Object.is(x, out[k][r])).toBe(true)));
    }
    const v = Array.from({ length: 4 }, () => Float64Array.from({ length: R }, () => rng.float()));
    const into = new Float64Array(R).fill(7);
    expect(interaction2PerRequest(v, into)).toBe(into);
    expect(into).toEqual(interaction2PerRequest(v));
    expect(() => shapleyPerRequest(v.slice(0, 2), 1, [new Float64Array(3)])).toThrow('invalid out: expected 1 arrays of length 40');
    expect(() => interaction2PerRequest(v, new Float64Array(3))).toThrow('invalid into: length 3; expected 40');
  });

  it('computes the interaction request by request', () => {
    const v = [0, 0.02, 0.01, 0.04].map((x) => new Float64Array([x, 2 * x]));
    const inter = interaction2PerRequest(v);
    expect(inter[0]).toBeCloseTo(0.01, 15);
    expect(inter[1]).toBeCloseTo(0.02, 15);
  });

  it('rejects mismatched series', () => {
    expect(() => shapleyPerRequest([new Float64Array(2), new Float64Array(3)], 1)).toThrow('invalid values[1]: length 3; expected 2');
    expect(() => shapleyPerRequest([new Float64Array(2)], 1)).toThrow('invalid values: 1 series; expected 2^1 = 2');
  });
});
