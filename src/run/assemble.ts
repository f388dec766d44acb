// Turn per-request tables into results: intervals, paired gaps, Shapley shares, signal age, age curves
// and pairwise pipeline comparisons. Everything here is a summary of paired per-request values.
import { type ClusterBootstrap, holm, quantile7, type Interval } from '../stats/bootstrap.ts';
import { IntervalBatch } from '../stats/intervalBatch.ts';
import { spread } from '../stats/quantiles.ts';
import { binByAge } from '../eval/ageCurve.ts';
import { startFits } from '../eval/fitThreads.ts';
import { pipelineLag } from '../eval/lag.ts';
import { METRICS, METRIC_COUNT, metricKey } from '../eval/metrics.ts';
import { shapleyPerRequest, interaction2PerRequest } from '../eval/shapley.ts';
import type { Factor } from '../pipeline/factors.ts';
import { rankModels } from './modelRanking.ts';
import type { ModelRanking } from '../results/results.ts';
import type { SourceResult } from '../eval/replay.ts';
import type { LagCurve, LagStats, Comparison, Decomposition, MetricResult, ModelPipelineResult, SignalAgeStats, UnknownKeyStats } from '../results/results.ts';

export interface PipelinePlan {
  name: string;
  factors: Factor[];
  /** Source index of the pipeline's own served configuration. */
  source: number;
  /** Source index of v(S) for each subset mask S of factors (bit i = factors[i] fixed). */
  subsetSources: number[];
}

export interface AssembleInput {
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
export function assemble(input: AssembleInput): {
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

  const column = (table: Float32Array, col: number, out: Float64Array = new Float64Array(R)): Float64Array => {
    for (let r = 0; r < R; r++) out[r] = table[r * cols + col];
    return out;
  };
  // Sources whose table of a model is bitwise equal to an earlier source's (a model that scores every view
  // alike, a pipeline that serves the frozen view) give equal series: each series is keyed by the tables it
  // is built from (tableKey), and one already registered is neither built nor reduced again.
  const tableOf = models.map((_, m) => canonicalTables(sources.map((src) => src.metrics[m])));
  const tableKey = (m: number, source: number) => `${m}.${tableOf[m][source]}`;
  // Every series is registered first and all are resampled in one pass over the weights (ib.run()); the
  // result objects hold placeholders until then, and statistics of several series run after it.
  const ib = new IntervalBatch(bootstrap);
  // Series that are reduced as soon as they are built share these buffers (no allocation per series).
  const scratch = new Float64Array(R);
  const phiScratch = new Map<number, Float64Array[]>();
  // Columns of the metric at hand go back here for the next metric's (all are reduced by then).
  const spare: Float64Array[] = [];
  const phiBuffers = (n: number) => {
    let b = phiScratch.get(n);
    if (!b) phiScratch.set(n, (b = Array.from({ length: n }, () => new Float64Array(R))));
    return b;
  };
  // The primary metric's columns stay for the lag curves, comparisons and the ranking: [model][canonical source].
  const primaryColumns = models.map(() => new Map<number, Float64Array>());
  const primaryOf = (m: number, source: number): Float64Array => {
    const t = tableOf[m][source];
    let c = primaryColumns[m].get(t);
    if (!c) primaryColumns[m].set(t, (c = column(sources[t].metrics[m], primary.col)));
    return c;
  };

  const results: Array<Omit<ModelPipelineResult, 'identity'>> = [];
  const comparisons: Comparison[] = [];
  const lagOf = new Map(pipelines.map((p) => [p.name, pipelineLag(sources[0].ageMs, sources[p.source].ageMs)]));
  // The relevance-loss fits of every model under a pipeline together (they share the lags, and so most exp
  // calls), on a worker thread while this one registers and resamples the series (fitThreads.ts).
  const fits = startFits(
    pipelines.map((p) => ({ lagMs: lagOf.get(p.name)!, losses: models.map((_, m) => gapOf(primaryOf(m, 0), primaryOf(m, p.source))) })),
    bootstrap.threads,
  );
  // Each lag curve's fit is set once the fits are joined: [curve, pipeline, model].
  const curves: Array<[LagCurve, number, number]> = [];
  // Signal-age quantiles sort every request's age: once per source, not per model.
  const ageStatsOf = new Map<number, SignalAgeStats>();
  const signalAgeOf = (source: number): SignalAgeStats => {
    let st = ageStatsOf.get(source);
    if (!st) ageStatsOf.set(source, (st = signalAgeStats(sources[source].ageMs)));
    return { ...st, quantilesMs: { ...st.quantilesMs } };
  };
  for (let m = 0; m < models.length; m++) {
    const key = (source: number) => tableKey(m, source);
    const perPlan = pipelines.map((plan) => ({
      metrics: {} as Record<string, MetricResult>,
      decomposition: { factors: plan.factors, byMetric: {} } as Decomposition,
    }));
    // Metric by metric, so only one metric's columns (one per distinct table) are held at a time.
    for (const { key: metricName, col } of keys) {
      const columns = new Map<number, Float64Array>();
      const columnOf = (source: number): Float64Array => {
        if (col === primary.col) return primaryOf(m, source);
        const t = tableOf[m][source];
        let c = columns.get(t);
        if (!c) columns.set(t, (c = column(sources[t].metrics[m], col, spare.pop())));
        return c;
      };
      const f = ib.addKeyed(`c:${key(0)}:${col}`, () => columnOf(0));
      pipelines.forEach((plan, p) => {
        const g = ib.addKeyed(`d:${key(0)}:${key(plan.source)}:${col}`, () => differenceInto(scratch, columnOf(0), columnOf(plan.source)));
        const served = ib.addKeyed(`c:${key(plan.source)}:${col}`, () => columnOf(plan.source));
        const metric: MetricResult = { frozen: f.interval, served: served.interval, gap: g.interval, relativeGap: { mean: NaN, lo: NaN, hi: NaN } };
        perPlan[p].metrics[metricName] = metric;
        ib.afterRun(() => (metric.relativeGap = ratioInterval(g.interval.mean, f.interval.mean, g.means(), f.means(), bootstrap.level)));
        perPlan[p].decomposition.byMetric[metricName] = decompose(plan, columnOf, key, col, ib, scratch, phiBuffers);
      });
      spare.push(...columns.values());
    }
    pipelines.forEach((plan, p) => {
      const served = sources[plan.source];
      const frozenPrimary = primaryOf(m, 0);
      const servedPrimary = primaryOf(m, plan.source);
      const curve = lagCurve(primary.key, frozenPrimary, servedPrimary, lagOf.get(plan.name)!, input.ageEdgesMs);
      curves.push([curve, p, m]);
      results.push({
        model: models[m].name,
        pipeline: plan.name,
        metrics: perPlan[p].metrics,
        decomposition: perPlan[p].decomposition,
        signalAge: signalAgeOf(plan.source),
        lagCurve: curve,
        unknownKey: unknownKeyStats(served.unknownKey, frozenPrimary, servedPrimary),
      });
    });
    // What each pipeline recovers relative to the first (the baseline), on the primary metric.
    const base = pipelines[0];
    for (const plan of pipelines.slice(1)) {
      const d = ib.addKeyed(`d:${key(plan.source)}:${key(base.source)}:${primary.col}`, () =>
        differenceInto(scratch, primaryOf(m, plan.source), primaryOf(m, base.source)),
      );
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
  for (const plan of pipelines) servedByPipeline[plan.name] = models.map((_, m) => primaryOf(m, plan.source));
  const modelRanking = rankModels(
    primary.key,
    models.map((m) => m.name),
    models.map((_, m) => primaryOf(m, 0)),
    servedByPipeline,
    ib,
  );
  ib.run();
  const fitted = fits.join();
  for (const [curve, p, m] of curves) curve.fit = fitted[p][m];
  return { results, comparisons, modelRanking, lag: new Map([...lagOf].map(([name, lag]) => [name, lagStats(lag)])) };
}

/**
 * For each table, the index of the first table with the same bits (itself when none is earlier): tables
 * with one index give equal series value for value.
 *
 * @example
 * canonicalTables([a, b, aCopy]) // [0, 1, 0]
 */
export function canonicalTables(tables: readonly Float32Array[]): number[] {
  const bits = tables.map((t) => new Int32Array(t.buffer, t.byteOffset, t.length));
  return bits.map((x, i) => {
    for (let j = 0; j < i; j++) {
      const y = bits[j];
      if (x === y) return j;
      if (x.length !== y.length) continue;
      let same = true;
      for (let r = 0; r < x.length && same; r++) same = x[r] === y[r];
      if (same) return j;
    }
    return i;
  });
}

/** out[r] = a[r] - b[r]; returns out. */
function differenceInto(out: Float64Array, a: Float64Array, b: Float64Array): Float64Array {
  for (let r = 0; r < out.length; r++) out[r] = a[r] - b[r];
  return out;
}

function decompose(
  plan: PipelinePlan,
  columnOf: (source: number) => Float64Array,
  key: (source: number) => string,
  col: number,
  ib: IntervalBatch,
  scratch: Float64Array,
  phiBuffers: (n: number) => Float64Array[],
): Decomposition['byMetric'][string] {
  const n = plan.factors.length;
  if (n === 0) return { shares: {}, interaction: null };
  const ids = plan.subsetSources.map(key).join(',');
  let values: Float64Array[] | null = null;
  const valuesOf = () => (values ??= plan.subsetSources.map(columnOf));
  const shares: Partial<Record<Factor, Interval>> = {};
  // Shapley over the served metric v(S) (factors in S fixed): shares sum to v(all) - v(none) = the gap. All
  // shares come from one pass, made when the first of them is not registered yet.
  let phi: Float64Array[] | null = null;
  plan.factors.forEach((factor, k) => {
    shares[factor] = ib.addKeyed(`s${n}.${k}:${ids}:${col}`, () => (phi ??= shapleyPerRequest(valuesOf(), n, phiBuffers(n)))[k]).interval;
  });
  return { shares, interaction: n === 2 ? ib.addKeyed(`i:${ids}:${col}`, () => interaction2PerRequest(valuesOf(), scratch)).interval : null };
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
export function signalAgeStats(ageMs: Float64Array): SignalAgeStats {
  const finite = new Float64Array(ageMs.length);
  let m = 0;
  let sum = 0;
  for (let r = 0; r < ageMs.length; r++) {
    const a = ageMs[r];
    if (a === a) {
      finite[m++] = a;
      sum += a;
    }
  }
  const { n: _n, ...quantilesMs } = spread(finite.subarray(0, m));
  return {
    emptyShare: ageMs.length ? 1 - m / ageMs.length : NaN,
    quantilesMs,
    meanMs: m ? sum / m : NaN,
  };
}

/**
 * Share of requests with an unknown key (unknown[r] = 1) and the mean frozen and served metric over them.
 *
 * @example
 * unknownKeyStats(Uint8Array.of(1, 0), Float64Array.of(0.5, 1), Float64Array.of(0, 1)) // { share: 0.5, requests: 1, frozen: 0.5, served: 0 }
 */
export function unknownKeyStats(unknown: Uint8Array, frozen: Float64Array, served: Float64Array): UnknownKeyStats {
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
export function lagStats(lagMs: Float64Array): LagStats {
  let finite = 0;
  let empty = 0;
  for (let r = 0; r < lagMs.length; r++) {
    if (lagMs[r] === Infinity) empty++;
    else if (lagMs[r] === lagMs[r]) finite++;
  }
  const n = lagMs.length;
  const finiteLags = new Float64Array(n);
  for (let r = 0; r < n; r++) finiteLags[r] = lagMs[r] < Infinity ? lagMs[r] : NaN;
  const { quantilesMs, meanMs } = signalAgeStats(finiteLags);
  return { emptyShare: n ? empty / n : NaN, noHistoryShare: n ? (n - finite - empty) / n : NaN, quantilesMs, meanMs };
}

function gapOf(frozen: Float64Array, served: Float64Array): Float64Array {
  const gap = new Float64Array(frozen.length);
  for (let r = 0; r < gap.length; r++) gap[r] = frozen[r] - served[r];
  return gap;
}

/** The binned lag curve; its fit is a placeholder (NaN) until the fits are joined. */
function lagCurve(metric: string, frozen: Float64Array, served: Float64Array, lagMs: Float64Array, edges: readonly number[]): LagCurve {
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
  return { metric, bins, fit: { lInf: NaN, tauMs: NaN, rmse: NaN, n: 0, nEmpty: 0, tauAtBound: false } };
}
