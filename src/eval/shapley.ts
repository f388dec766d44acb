// Exact Shapley attribution of the offline-online gap to its factors (docs/method.md 5.2): v is evaluated on all
// 2^n combinations of "fixed" factors over the same requests, and the shares sum to v(all) - v(none).

/** Largest factor count accepted; docs/method.md 5.2 uses n <= 4 (16 evaluations), larger n is exact but costly. */
const MAX_FACTORS = 16;

function checkN(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_FACTORS) {
    throw new RangeError(`invalid n: ${n}; expected an integer number of factors in 1..${MAX_FACTORS}`);
  }
}

function popcount(x: number): number {
  let c = 0;
  for (; x !== 0; x &= x - 1) c++;
  return c;
}

/**
 * Shapley coalition weights by coalition size: w[s] = s! (n - s - 1)! / n! for s = 0..n-1.
 * Summed over the C(n-1, s) coalitions of each size they total 1.
 *
 * @example
 * shapleyWeights(3) // [1/3, 1/6, 1/3]
 */
export function shapleyWeights(n: number): Float64Array {
  checkN(n);
  const w = new Float64Array(n);
  // s!(n-s-1)!/n! = 1 / (n * C(n-1, s)); the binomial is built by a product, exact for these sizes.
  let binom = 1;
  for (let s = 0; s < n; s++) {
    w[s] = 1 / (n * binom);
    binom = (binom * (n - 1 - s)) / (s + 1);
  }
  return w;
}

/**
 * Exact Shapley values of a game on n factors. `v[mask]` is the value with the factors whose bits are set
 * in `mask` fixed (bit k = factor k), so v[0] is production as is and v[2^n - 1] has everything fixed:
 *
 *   phi_k = sum_{S not containing k} |S|! (n - |S| - 1)! / n! * (v(S + k) - v(S))
 *
 * Efficiency: sum_k phi_k = v(all) - v(none). A factor whose setting never changes v gets exactly 0.
 *
 * @example
 * // Two factors: staleness alone closes 0.02, identity alone 0.01, both together 0.04.
 * shapley(new Float64Array([0, 0.02, 0.01, 0.04]), 2) // [0.025, 0.015]
 */
export function shapley(v: ArrayLike<number>, n: number): Float64Array {
  checkN(n);
  const size = 1 << n;
  if (v.length !== size) throw new RangeError(`invalid v: length ${v.length}; expected 2^${n} = ${size}`);
  const w = shapleyWeights(n);
  const phi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const bit = 1 << k;
    let acc = 0;
    for (let mask = 0; mask < size; mask++) {
      if (mask & bit) continue;
      acc += w[popcount(mask)] * (v[mask | bit] - v[mask]);
    }
    phi[k] = acc;
  }
  return phi;
}

/**
 * Shapley values request by request: `values[mask]` holds the per-request metric (length R) with the
 * factors in mask fixed; returns one Float64Array of length R per factor. Shapley values are linear in v,
 * so the mean of these columns equals shapley() of the means, and each column can be bootstrapped
 * (ClusterBootstrap.interval) to put an interval on a share. `out` (n arrays of length R, overwritten) is
 * written and returned instead of new arrays, for callers that reduce each column at once and reuse them.
 *
 * @example
 * const [staleness, identity] = shapleyPerRequest([asServed, fixStale, fixIdentity, frozen], 2);
 * boot.interval(staleness);
 */
export function shapleyPerRequest(values: ReadonlyArray<Float64Array | Float32Array>, n: number, out?: readonly Float64Array[]): Float64Array[] {
  checkN(n);
  const size = 1 << n;
  if (values.length !== size) throw new RangeError(`invalid values: ${values.length} series; expected 2^${n} = ${size}`);
  const R = values[0].length;
  for (let m = 1; m < size; m++) {
    if (values[m].length !== R) throw new RangeError(`invalid values[${m}]: length ${values[m].length}; expected ${R}`);
  }
  if (out && (out.length !== n || out.some((o) => o.length !== R))) throw new RangeError(`invalid out: expected ${n} arrays of length ${R}`);
  const w = shapleyWeights(n);
  const phi: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const bit = 1 << k;
    const phiK = out ? out[k].fill(0) : new Float64Array(R);
    for (let mask = 0; mask < size; mask++) {
      if (mask & bit) continue;
      const coef = w[popcount(mask)];
      const withK = values[mask | bit];
      const without = values[mask];
      for (let r = 0; r < R; r++) phiK[r] += coef * (withK[r] - without[r]);
    }
    phi.push(phiK);
  }
  return phi;
}

/**
 * Interaction of two factors: v(11) - v(10) - v(01) + v(00), in binary mask notation (v(01) = v[1]: factor 0 fixed).
 * Positive when fixing both closes more of the gap than the two fixes separately. For n = 2 the Shapley
 * shares split it evenly: phi_0 = (v(01) - v(00)) + I / 2, phi_1 = (v(10) - v(00)) + I / 2.
 *
 * @example
 * interaction2(new Float64Array([0, 0.02, 0.01, 0.04])) // 0.04 - 0.01 - 0.02 + 0 = 0.01
 */
export function interaction2(v: ArrayLike<number>): number {
  if (v.length !== 4) throw new RangeError(`invalid v: length ${v.length}; expected 4 (two factors)`);
  return v[3] - v[2] - v[1] + v[0];
}

/**
 * interaction2 request by request (`values[mask]`, each length R), for bootstrapping the interaction;
 * written into `into` (overwritten) when given.
 *
 * @example
 * boot.interval(interaction2PerRequest([asServed, fixStale, fixIdentity, frozen]))
 */
export function interaction2PerRequest(values: ReadonlyArray<Float64Array | Float32Array>, into?: Float64Array): Float64Array {
  if (values.length !== 4) throw new RangeError(`invalid values: ${values.length} series; expected 4 (two factors)`);
  const [v00, v01, v10, v11] = values;
  const R = v00.length;
  if (into && into.length !== R) throw new RangeError(`invalid into: length ${into.length}; expected ${R}`);
  const out = into ?? new Float64Array(R);
  for (let r = 0; r < R; r++) out[r] = v11[r] - v10[r] - v01[r] + v00[r];
  return out;
}
