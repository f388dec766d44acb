// assemble() as it was before series were keyed by the tables they come from and built into shared buffers
// (src/run/assemble.ts at 76b4e02, unchanged but for imports and names): the reference the current
// assemble must equal bit for bit (assemble.test.ts).
import { type ClusterBootstrap, holm, quantile7, type Interval } from '../../src/stats/bootstrap.ts';
import { IntervalBatch, type SeriesHandle } from '../../src/stats/intervalBatch.ts';
import { spread } from '../../src/stats/quantiles.ts';
import { binByAge, fitRelevanceLosses, type RelevanceLossFit } from '../../src/eval/ageCurve.ts';
import { pipelineLag } from '../../src/eval/lag.ts';
import { METRICS, METRIC_COUNT, metricKey } from '../../src/eval/metrics.ts';
import { shapleyPerRequest, interaction2PerRequest } from '../../src/eval/shapley.ts';
import type { Factor } from '../../src/pipeline/factors.ts';
import { rankModels } from '../../src/run/modelRanking.ts';
import type { ModelRanking } from '../../src/results/results.ts';
import type { SourceResult } from '../../src/eval/replay.ts';
import type {
  LagCurve,
  LagStats,
  Comparison,
  Decomposition,
  MetricResult,
  ModelPipelineResult,
  SignalAgeStats,
  UnknownKeyStats,
} from '../../src/results/results.ts';

interface PipelinePlan {
  name: string;
  factors: Factor[];
  /** Source index of the pipeline's own served configuration. */
  source: number;
  /** Source index of v(S) for each subset mask S of factors (bit i = factors[i] fixed). */
  subsetSources: number[];
}

interface AssembleInput {
  models: ReadonlyArray<{ name: string }>;
  ks: readonly number[];
  ageEdgesMs: readonly number[];
  nRequests: number;
  /** sources[0] is the frozen view. */
  sources: readonly SourceResult[];
  pipelines: readonly PipelinePlan[];
  bootstrap: ClusterBootstrap;
}

/**
 * Summarize every model x pipeline.
 *
 * @example
 * const { results, comparisons, modelRanking } = assemble({ models, ks, ageEdgesMs, nRequests, sources, pipelines, bootstrap });
 */
export function referenceAssemble(input: AssembleInput): {
  results: Array<Omit<ModelPipelineResult, 'identity'>>;
  comparisons: Comparison[];
  /** Pipeline lag per pipeline name (served age minus the frozen view's), summarized once for results.pipelines. */
  lag: Map<string, LagStats>;
  modelRanking: ModelRanking;
} {
  const { models, ks, sources, pipelines, bootstrap } = input;
  const R = input.nRequests;
  const cols = ks.length * METRIC_COUNT;
  const keys: Array<{ key: string; col: number }> = [];
  ks.forEach((k, ki) => METRICS.forEach((m, mi) => keys.push({ key: metricKey(m, k), col: ki * METRIC_COUNT + mi })));
  const primary = keys[0];

  const column = (table: Float32Array, col: number): Float64Array => {
    const out = new Float64Array(R);
    for (let r = 0; r < R; r++) out[r] = table[r * cols + col];
    return out;
  };
  // Every series is registered first and all are resampled in one pass over the weights (ib.run()); the
  // result objects hold placeholders until then, and statistics of several series run after it.
  const ib = new IntervalBatch(bootstrap);
  const frozenCache = new Map<string, { values: Float64Array; h: SeriesHandle }>();
  const frozenOf = (m: number, col: number) => {
    const id = `${m}:${col}`;
    let f = frozenCache.get(id);
    if (!f) {
      const values = column(sources[0].metrics[m], col);
      f = { values, h: ib.add(values) };
      frozenCache.set(id, f);
    }
    return f;
  };

  const results: Array<Omit<ModelPipelineResult, 'identity'>> = [];
  const comparisons: Comparison[] = [];
  const lagOf = new Map(pipelines.map((p) => [p.name, pipelineLag(sources[0].ageMs, sources[p.source].ageMs)]));
  // The relevance-loss fits of every model under a pipeline together: they share the lags, and so most exp calls.
  const fitsOf = new Map(
    pipelines.map((p) => {
      const gaps = models.map((_, m) => gapOf(frozenOf(m, primary.col).values, column(sources[p.source].metrics[m], primary.col)));
      return [p.name, fitRelevanceLosses(lagOf.get(p.name)!, gaps)];
    }),
  );
  // Signal-age quantiles sort every request's age: once per source, not per model.
  const ageStatsOf = new Map<number, SignalAgeStats>();
  const signalAgeOf = (source: number): SignalAgeStats => {
    let st = ageStatsOf.get(source);
    if (!st) ageStatsOf.set(source, (st = signalAgeStats(sources[source].ageMs)));
    return { ...st, quantilesMs: { ...st.quantilesMs } };
  };
  for (let m = 0; m < models.length; m++) {
    for (const plan of pipelines) {
      const served = sources[plan.source];
      let servedPrimary: Float64Array | null = null;
      const metrics: Record<string, MetricResult> = {};
      const decomposition: Decomposition = { factors: plan.factors, byMetric: {} };
      for (const { key, col } of keys) {
        const f = frozenOf(m, col);
        const s = column(served.metrics[m], col);
        const gap = new Float64Array(R);
        for (let r = 0; r < R; r++) gap[r] = f.values[r] - s[r];
        const g = ib.add(gap);
        const metric: MetricResult = { frozen: f.h.interval, served: ib.add(s).interval, gap: g.interval, relativeGap: { mean: NaN, lo: NaN, hi: NaN } };
        metrics[key] = metric;
        ib.afterRun(() => (metric.relativeGap = ratioInterval(g.interval.mean, f.h.interval.mean, g.means(), f.h.means(), bootstrap.level)));
        if (col === primary.col) servedPrimary = s;
        // The served and frozen columns are among the Shapley subsets' values: extracted once.
        const known = new Map([
          [plan.source, s],
          [0, f.values],
        ]);
        const columnOf = (source: number) => known.get(source) ?? column(sources[source].metrics[m], col);
        decomposition.byMetric[key] = decompose(plan, columnOf, ib);
      }
      results.push({
        model: models[m].name,
        pipeline: plan.name,
        metrics,
        decomposition,
        signalAge: signalAgeOf(plan.source),
        lagCurve: lagCurve(
          primary.key,
          frozenOf(m, primary.col).values,
          servedPrimary ?? column(served.metrics[m], primary.col),
          lagOf.get(plan.name)!,
          input.ageEdgesMs,
          fitsOf.get(plan.name)![m],
        ),
        unknownKey: unknownKeyStats(served.unknownKey, frozenOf(m, primary.col).values, servedPrimary ?? column(served.metrics[m], primary.col)),
      });
    }
    // What each pipeline recovers relative to the first (the baseline), on the primary metric.
    const base = pipelines[0];
    for (const plan of pipelines.slice(1)) {
      const a = column(sources[plan.source].metrics[m], primary.col);
      const b = column(sources[base.source].metrics[m], primary.col);
      const diff = new Float64Array(R);
      for (let r = 0; r < R; r++) diff[r] = a[r] - b[r];
      const d = ib.add(diff);
      const comparison: Comparison = {
        model: models[m].name,
        metric: primary.key,
        pipeline: plan.name,
        baseline: base.name,
        difference: d.interval,
        pValue: NaN,
        pHolm: NaN,
      };
      comparisons.push(comparison);
      ib.afterRun(() => (comparison.pValue = d.pValue()));
    }
  }
  ib.afterRun(() => {
    const adjusted = holm(comparisons.map((c) => c.pValue));
    comparisons.forEach((c, i) => (c.pHolm = adjusted[i]));
  });

  const servedByPipeline: Record<string, Float64Array[]> = {};
  for (const plan of pipelines) servedByPipeline[plan.name] = models.map((_, m) => column(sources[plan.source].metrics[m], primary.col));
  const modelRanking = rankModels(
    primary.key,
    models.map((m) => m.name),
    models.map((_, m) => frozenOf(m, primary.col).values),
    servedByPipeline,
    ib,
  );
  ib.run();
  return { results, comparisons, modelRanking, lag: new Map([...lagOf].map(([name, lag]) => [name, lagStats(lag)])) };
}

function decompose(plan: PipelinePlan, columnOf: (source: number) => Float64Array, ib: IntervalBatch): Decomposition['byMetric'][string] {
  const n = plan.factors.length;
  if (n === 0) return { shares: {}, interaction: null };
  const values = plan.subsetSources.map(columnOf);
  const shares: Partial<Record<Factor, Interval>> = {};
  // Shapley over the served metric v(S) (factors in S fixed): shares sum to v(all) - v(none) = the gap.
  shapleyPerRequest(values, n).forEach((phi, i) => (shares[plan.factors[i]] = ib.add(phi).interval));
  return { shares, interaction: n === 2 ? ib.add(interaction2PerRequest(values)).interval : null };
}

function ratioInterval(num: number, den: number, numReps: Float64Array, denReps: Float64Array, level: number): Interval {
  const ratios: number[] = [];
  for (let b = 0; b < numReps.length; b++) {
    const r = numReps[b] / denReps[b];
    if (Number.isFinite(r)) ratios.push(r);
  }
  const sorted = Float64Array.from(ratios).sort();
  const alpha = (1 - level) / 2;
  return { mean: den !== 0 ? num / den : NaN, lo: quantile7(sorted, alpha), hi: quantile7(sorted, 1 - alpha) };
}

/** Quantiles of the served signal age over requests whose view is not empty. */
function signalAgeStats(ageMs: Float64Array): SignalAgeStats {
  const finite: number[] = [];
  let sum = 0;
  for (let r = 0; r < ageMs.length; r++) {
    const a = ageMs[r];
    if (a === a) {
      finite.push(a);
      sum += a;
    }
  }
  const { n: _n, ...quantilesMs } = spread(Float64Array.from(finite));
  return {
    emptyShare: ageMs.length ? 1 - finite.length / ageMs.length : NaN,
    quantilesMs,
    meanMs: finite.length ? sum / finite.length : NaN,
  };
}

/**
 * Share of requests with an unknown key (unknown[r] = 1) and the mean frozen and served metric over them.
 *
 * @example
 * unknownKeyStats(Uint8Array.of(1, 0), Float64Array.of(0.5, 1), Float64Array.of(0, 1)) // { share: 0.5, requests: 1, frozen: 0.5, served: 0 }
 */
function unknownKeyStats(unknown: Uint8Array, frozen: Float64Array, served: Float64Array): UnknownKeyStats {
  let n = 0;
  let f = 0;
  let s = 0;
  for (let r = 0; r < unknown.length; r++) {
    if (!unknown[r]) continue;
    n++;
    f += frozen[r];
    s += served[r];
  }
  return { share: unknown.length ? n / unknown.length : NaN, requests: n, frozen: n ? f / n : NaN, served: n ? s / n : NaN };
}

/**
 * Quantiles of the pipeline lag over requests whose person has history and whose served view is not
 * empty; emptyShare = requests with history but an empty served view, noHistoryShare = without history.
 */
function lagStats(lagMs: Float64Array): LagStats {
  let finite = 0;
  let empty = 0;
  for (let r = 0; r < lagMs.length; r++) {
    if (lagMs[r] === Infinity) empty++;
    else if (lagMs[r] === lagMs[r]) finite++;
  }
  const n = lagMs.length;
  const { quantilesMs, meanMs } = signalAgeStats(Float64Array.from(lagMs, (x) => (x < Infinity ? x : NaN)));
  return { emptyShare: n ? empty / n : NaN, noHistoryShare: n ? (n - finite - empty) / n : NaN, quantilesMs, meanMs };
}

function gapOf(frozen: Float64Array, served: Float64Array): Float64Array {
  const gap = new Float64Array(frozen.length);
  for (let r = 0; r < gap.length; r++) gap[r] = frozen[r] - served[r];
  return gap;
}

function lagCurve(metric: string, frozen: Float64Array, served: Float64Array, lagMs: Float64Array, edges: readonly number[], fit: RelevanceLossFit): LagCurve {
  const gap = gapOf(frozen, served);
  const bins = binByAge(lagMs, { frozen, served, gap }, edges).map((b) => ({
    label: b.label,
    loMs: b.loMs,
    hiMs: b.hiMs,
    count: b.count,
    frozen: b.means.frozen,
    served: b.means.served,
    gap: b.means.gap,
  }));
  return { metric, bins, fit };
}
