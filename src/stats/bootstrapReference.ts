// The scalar replicate sums of one series, as ClusterBootstrap computed them before the batched kernel:
// kept as the reference the kernel must equal bit for bit (tests, bench/bootstrap.ts). Slow: it draws
// every weight with poissonWeight.
import { poissonWeight } from './poisson.ts';
import { quantize } from './replicateBatch.ts';
import type { ReplicateSums } from './bootstrap.ts';

/**
 * Replicate sums of `values` (NaN = missing) clustered by `clusterOfRequest`: dense clusters in order of
 * first appearance, S_c and N_c in request order, then per cluster (ascending) and replicate
 * sumWS[b] += w_cb * S_c, sumWN[b] += w_cb * N_c.
 *
 * @example
 * referenceReplicateSums(Int32Array.of(4, 4, 9), Float64Array.of(0.5, 1, 0), 7, 1000)
 */
export function referenceReplicateSums(clusterOfRequest: Int32Array, values: Float64Array | Float32Array, seed: number, replicates: number): ReplicateSums {
  const index = new Map<number, number>();
  const ids: number[] = [];
  const dense = new Int32Array(clusterOfRequest.length);
  for (let r = 0; r < clusterOfRequest.length; r++) {
    let c = index.get(clusterOfRequest[r]);
    if (c === undefined) {
      c = ids.length;
      index.set(clusterOfRequest[r], c);
      ids.push(clusterOfRequest[r]);
    }
    dense[r] = c;
  }
  const C = ids.length;
  const B = replicates;
  const S = new Float64Array(C);
  const N = new Float64Array(C);
  let sum = 0;
  let n = 0;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v !== v) continue;
    const q = quantize(v);
    S[dense[r]] += q;
    N[dense[r]] += 1;
    sum += q;
    n++;
  }
  const sumWS = new Float64Array(B);
  const sumWN = new Float64Array(B);
  for (let c = 0; c < C; c++) {
    if (N[c] === 0) continue;
    for (let b = 0; b < B; b++) {
      const wb = poissonWeight(seed, ids[c], b);
      sumWS[b] += wb * S[c];
      sumWN[b] += wb * N[c];
    }
  }
  return { seed, sumWS, sumWN, sum, n };
}
