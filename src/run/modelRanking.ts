// Pre-release question: does the offline ranking of model versions survive serving conditions? Rank
// models under the frozen view and under each pipeline's served view, and test every reversal (a model
// that wins offline but loses when served) with a paired, person-clustered bootstrap.
import type { ModelRanking, RankedModel } from '../results/results.ts';
import { holm, pairedPValue, type ClusterBootstrap } from '../stats/bootstrap.ts';

/**
 * Rank models per view on one metric and test the reversals.
 *
 * @param frozen per model, per-request metric values under the frozen view
 * @param served per pipeline name, per model, per-request values under that pipeline's served view
 *
 * @example
 * const ranking = rankModels('ndcg@10', ['pop', 'knn'], frozen, { weekly: [popW, knnW] }, bootstrap);
 */
export function rankModels(
  metric: string,
  names: readonly string[],
  frozen: readonly Float64Array[],
  served: Readonly<Record<string, readonly Float64Array[]>>,
  bootstrap: ClusterBootstrap,
): ModelRanking {
  const mean = (x: Float64Array) => bootstrap.interval(x).mean;
  const rank = (values: readonly Float64Array[]): RankedModel[] => {
    const means = values.map(mean);
    // Ties keep scenario order so the ranking is deterministic.
    const order = names.map((_, i) => i).sort((a, b) => means[b] - means[a] || a - b);
    return order.map((i, r) => ({ model: names[i], mean: means[i], rank: r + 1 }));
  };
  const frozenRank = rank(frozen);
  const frozenMeans = frozen.map(mean);
  const out: ModelRanking = { metric, frozen: frozenRank, served: {}, reversals: [] };
  for (const [pipeline, values] of Object.entries(served)) {
    out.served[pipeline] = rank(values);
    const servedMeans = values.map(mean);
    for (let a = 0; a < names.length; a++) {
      for (let b = 0; b < names.length; b++) {
        if (!(frozenMeans[a] > frozenMeans[b] && servedMeans[a] < servedMeans[b])) continue;
        const diff = (x: Float64Array, y: Float64Array) => x.map((v, r) => v - y[r]);
        const servedDiff = diff(values[a], values[b]);
        out.reversals.push({
          pipeline,
          offlineWinner: names[a],
          servedWinner: names[b],
          frozenDifference: bootstrap.interval(diff(frozen[a], frozen[b])),
          servedDifference: bootstrap.interval(servedDiff),
          pValue: pairedPValue(servedDiff, bootstrap),
          pHolm: NaN,
        });
      }
    }
  }
  const adjusted = holm(out.reversals.map((r) => r.pValue));
  out.reversals.forEach((r, i) => (r.pHolm = adjusted[i]));
  return out;
}
