// Pre-release question: does the offline ranking of model versions survive serving conditions? Rank
// models under the frozen view and under each pipeline's served view, and test every candidate reversal (a
// model ahead offline and behind when served): it is claimed only when the offline and the served
// differences are each significant, in opposite directions (paired, person-clustered bootstrap, Holm over
// both tests of every candidate). Otherwise it is a tie on at least one side, not a reversal.
import type { ModelDifference, ModelRanking, RankedModel } from '../results/results.ts';
import { holm, quantizedMean, ClusterBootstrap } from '../stats/bootstrap.ts';
import { IntervalBatch } from '../stats/intervalBatch.ts';

/**
 * Rank models per view on one metric and test the reversals.
 *
 * @param frozen per model, per-request metric values under the frozen view
 * @param served per pipeline name, per model, per-request values under that pipeline's served view
 * @param bootstrap a ClusterBootstrap (the ranking is complete on return), or an IntervalBatch shared with
 *   other statistics: then intervals, p-values and claims are filled in when the batch runs
 *
 * @example
 * const ranking = rankModels('ndcg@10', ['pop', 'knn'], frozen, { weekly: [popW, knnW] }, bootstrap);
 */
export function rankModels(
  metric: string,
  names: readonly string[],
  frozen: readonly Float64Array[],
  served: Readonly<Record<string, readonly Float64Array[]>>,
  bootstrap: ClusterBootstrap | IntervalBatch,
  alpha = 1 - bootstrap.level,
): ModelRanking {
  const own = bootstrap instanceof ClusterBootstrap ? new IntervalBatch(bootstrap) : null;
  const ib = own ?? (bootstrap as IntervalBatch);
  const rank = (values: readonly Float64Array[]): RankedModel[] => {
    const means = values.map(quantizedMean);
    // Ties keep scenario order so the ranking is deterministic.
    const order = names.map((_, i) => i).sort((a, b) => means[b] - means[a] || a - b);
    return order.map((i, r) => ({ model: names[i], mean: means[i], rank: r + 1 }));
  };
  const frozenRank = rank(frozen);
  const frozenMeans = frozen.map(quantizedMean);
  const out: ModelRanking = { metric, frozen: frozenRank, served: {}, differences: [], reversals: [] };
  // Every pair under every view, with its paired interval: what a reader compares, reversal or not.
  const differences: ModelDifference[] = [];
  const diffHandles: Array<() => number> = [];
  for (const [view, values] of [['frozen', frozen] as const, ...Object.entries(served)]) {
    for (let a = 0; a < names.length; a++) {
      for (let b = a + 1; b < names.length; b++) {
        const d = ib.add(values[a].map((v, r) => v - values[b][r]));
        differences.push({ view, a: names[a], b: names[b], difference: d.interval, pValue: NaN, pHolm: NaN });
        diffHandles.push(d.pValue);
      }
    }
  }
  out.differences = differences;
  const reversalHandles: Array<{ frozen: () => number; served: () => number }> = [];
  for (const [pipeline, values] of Object.entries(served)) {
    out.served[pipeline] = rank(values);
    const servedMeans = values.map(quantizedMean);
    for (let a = 0; a < names.length; a++) {
      for (let b = 0; b < names.length; b++) {
        if (!(frozenMeans[a] > frozenMeans[b] && servedMeans[a] < servedMeans[b])) continue;
        const diff = (x: Float64Array, y: Float64Array) => x.map((v, r) => v - y[r]);
        const servedDiff = ib.add(diff(values[a], values[b]));
        const frozenDiff = ib.add(diff(frozen[a], frozen[b]));
        out.reversals.push({
          pipeline,
          offlineWinner: names[a],
          servedWinner: names[b],
          frozenDifference: frozenDiff.interval,
          servedDifference: servedDiff.interval,
          frozenPValue: NaN,
          frozenPHolm: NaN,
          pValue: NaN,
          pHolm: NaN,
          claimed: false,
        });
        reversalHandles.push({ frozen: frozenDiff.pValue, served: servedDiff.pValue });
      }
    }
  }
  ib.afterRun(() => {
    differences.forEach((x, i) => (x.pValue = diffHandles[i]()));
    const adjustedDiffs = holm(differences.map((x) => x.pValue));
    differences.forEach((x, i) => (x.pHolm = adjustedDiffs[i]));
    out.reversals.forEach((r, i) => {
      r.frozenPValue = reversalHandles[i].frozen();
      r.pValue = reversalHandles[i].served();
    });
    const k = out.reversals.length;
    const adjusted = holm([...out.reversals.map((r) => r.pValue), ...out.reversals.map((r) => r.frozenPValue)]);
    out.reversals.forEach((r, i) => {
      r.pHolm = adjusted[i];
      r.frozenPHolm = adjusted[k + i];
      r.claimed = r.pHolm < alpha && r.frozenPHolm < alpha;
    });
  });
  own?.run();
  return out;
}
