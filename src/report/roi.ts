// From metric to money (docs/method.md 7.1). Per model and pipeline, against the first pipeline (the baseline):
//   ΔCR      = exposure x incrementality x ΔHR@K            (per session, absolute)
//   Δrevenue = sessions x ΔCR x average order value x margin (per month)
//   CAC'/CAC = CR/CR'                                        (acquired traffic fixed)
//   spend equivalent = marketing spend x (1 - CAC'/CAC): what the same customers would cost less
// plus the measured vs true conversion rate under fragmentation (visitors counted by key vs by person).
import type { BusinessSpec } from '../scenario/types.ts';
import { intervalFromSums, type Interval } from '../stats/bootstrap.ts';
import type { Results } from '../results/results.ts';
import { businessOf, pricedModel, valuePerOrder } from './business.ts';
import { requestBootstrap, type RequestColumns } from './requestColumns.ts';

export interface RoiRow {
  model: string;
  pipeline: string;
  /** True for the baseline pipeline itself (all differences 0). */
  isBaseline: boolean;
  /**
   * True for a pipeline that serves the true person (identity oracle): no identity layer can buy that, so it
   * is the ceiling of what closing the gap would be worth, not an option priced like the others.
   */
  ceiling: boolean;
  /** Served HR@K of this pipeline minus the baseline's, paired per request. */
  deltaHit: Interval;
  /** Absolute change in purchase probability per session. */
  deltaConversionRate: Interval;
  /** Extra orders per month. */
  deltaOrdersPerMonth: Interval;
  /** Extra revenue after margin per month (interval from ΔHR@K at the point incrementality). */
  deltaRevenuePerMonth: Interval;
  /** Δrevenue at the low and high end of the incrementality range (point ΔHR@K). */
  revenueRange: [number, number];
  /** Conversion rate per session under this pipeline: the logged rate plus ΔCR. */
  conversionRate: number;
  /** CAC'/CAC = CR/CR': customer acquisition cost relative to the baseline with acquired traffic fixed. */
  cacRatio: number;
  /** Marketing spend per month that buys the baseline's customers at this pipeline's CAC: spend x (1 - CAC'/CAC). */
  spendEquivalentPerMonth: number;
  /** The pipeline's cost from business.costs; null when none was given (then nothing below is priced). */
  cost: { oneOff: number; perMonth: number } | null;
  /** Δrevenue after margin minus the monthly cost, with the same interval shifted. */
  netPerMonth: Interval | null;
  /** Months until the one-off cost is paid back from the net monthly value; Infinity when it never is. */
  paybackMonths: number;
  /** First-year return: (12 x net per month - one-off) / (one-off + 12 x per month). */
  roiFirstYear: number;
}

export interface MeasuredVsTrue {
  /** Visitors after the split as analytics counts them (distinct keys) and as they are (distinct persons). */
  visitorsMeasured: number;
  visitorsTrue: number;
  /** measured / true - 1. */
  visitorInflation: number;
  /** Conversions per visitor: test-period conversions over keys (measured) and over persons (true). */
  conversionRateMeasured: number;
  conversionRateTrue: number;
  /** Share of visitors who convert, by key and by person. */
  buyerShareMeasured: number;
  buyerShareTrue: number;
  conversions: number;
}

export interface Roi {
  business: BusinessSpec;
  /** e.g. `hit@10`: the hit rate at the primary metric's K. */
  hitKey: string;
  baseline: string;
  /** The model the headline figures refer to (business.model or the offline winner). */
  pricedModel: string;
  /** Share of sessions that convert under the baseline: measured from the log, or business.baselineConversionRate. */
  baseConversionRate: number;
  /**
   * `log`: converting sessions over sessions after the split; `business`: the scenario's value; `unavailable`:
   * the log has no session without a conversion (a log of purchases only), so no rate, no CAC.
   */
  baseConversionRateSource: 'log' | 'business' | 'unavailable';
  /** Interval coverage (results.config.level). */
  level: number;
  /** 'paired' when ΔHR@K intervals come from requests.csv; 'none' when only point estimates exist. */
  intervals: 'paired' | 'none';
  rows: RoiRow[];
  measured: MeasuredVsTrue;
}

/** The hit-rate key at the primary metric's K (`ndcg@10` -> `hit@10`). */
export function hitKeyOf(results: Results): string {
  const k = Number(results.config.primaryMetric.split('@')[1] ?? results.config.ks[0]);
  const key = `hit@${k}`;
  return results.config.metrics.includes(key) ? key : (results.config.metrics.find((m) => m.startsWith('hit@')) ?? key);
}

/** Columns of requests.csv the ROI needs: every model's served HR@K under every pipeline. */
export function roiColumns(results: Results): string[] {
  const key = hitKeyOf(results);
  return results.models.flatMap((m) => results.pipelines.map((p) => `${m.name}.${p.name}.${key}`));
}

/**
 * Price every pipeline against the first one.
 *
 * @param requests per-request columns from requests.csv (roiColumns); null gives point estimates only
 * @param opts.threads threads the bootstrap may use (default 1); the intervals are the same for any count
 *
 * @example
 * const roi = computeRoi(results, parseRequestColumns(csv, roiColumns(results)));
 * roi.rows.find((r) => r.pipeline === 'daily-stitched')?.deltaRevenuePerMonth
 */
export function computeRoi(results: Results, requests: RequestColumns | null, opts: { threads?: number } = {}): Roi {
  const b = businessOf(results);
  const hitKey = hitKeyOf(results);
  const baseline = results.pipelines[0].name;
  const c = results.counts;
  const { rate: baseCr, source: baseSource } = baselineConversionRate(results, b);
  const usable =
    requests !== null && requests.length === c.requests && results.config.bootstrap > 0 && roiColumns(results).every((k) => requests.columns.has(k));
  const boot = usable
    ? requestBootstrap(requests, { seed: results.scenario.seed, replicates: results.config.bootstrap, level: results.config.level, threads: opts.threads })
    : null;
  const ordersPerHit = b.sessionsPerMonth * b.exposure;
  const revenuePerOrder = valuePerOrder(b);
  const scale = (i: Interval, f: number): Interval => ({ mean: i.mean * f, lo: i.lo * f, hi: i.hi * f });

  // Every paired ΔHR@K in one pass of the bootstrap: each weight drawn once for all of them (batch(), equal
  // bit for bit to one interval() per difference).
  const paired = new Map<string, Interval>();
  if (boot) {
    const batch = boot.newBatch();
    const added: Array<[string, number]> = [];
    for (const m of results.models) {
      const z = requests!.columns.get(`${m.name}.${baseline}.${hitKey}`)!;
      for (const p of results.pipelines) {
        if (p.name === baseline) continue;
        const a = requests!.columns.get(`${m.name}.${p.name}.${hitKey}`)!;
        const diff = new Float64Array(a.length);
        for (let r = 0; r < a.length; r++) diff[r] = a[r] - z[r];
        added.push([`${m.name}\u0000${p.name}`, batch.add(diff)]);
      }
    }
    const sums = batch.run();
    for (const [key, i] of added) paired.set(key, intervalFromSums([sums[i]], boot.level));
  }

  const rows: RoiRow[] = [];
  for (const m of results.models) {
    const servedOf = (p: string) => results.results.find((r) => r.model === m.name && r.pipeline === p)?.metrics[hitKey]?.served.mean ?? NaN;
    for (const p of results.pipelines) {
      const isBaseline = p.name === baseline;
      let deltaHit: Interval;
      if (isBaseline) deltaHit = { mean: 0, lo: 0, hi: 0 };
      else if (boot) deltaHit = paired.get(`${m.name}\u0000${p.name}`)!;
      else deltaHit = { mean: servedOf(p.name) - servedOf(baseline), lo: NaN, hi: NaN };
      const deltaCr = scale(deltaHit, b.exposure * b.incrementality);
      const cr = baseCr + deltaCr.mean;
      const revenueAt = (inc: number) => deltaHit.mean * ordersPerHit * inc * revenuePerOrder;
      rows.push({
        model: m.name,
        pipeline: p.name,
        isBaseline,
        ceiling: p.identity === 'oracle' && !isBaseline,
        deltaHit,
        deltaConversionRate: deltaCr,
        deltaOrdersPerMonth: scale(deltaCr, b.sessionsPerMonth),
        deltaRevenuePerMonth: scale(deltaCr, b.sessionsPerMonth * revenuePerOrder),
        revenueRange: [revenueAt(b.incrementalityRange[0]), revenueAt(b.incrementalityRange[1])],
        conversionRate: cr,
        cacRatio: baseCr / cr,
        spendEquivalentPerMonth: b.marketingSpendPerMonth * (1 - baseCr / cr),
        ...costOf(b.costs?.[p.name], scale(deltaCr, b.sessionsPerMonth * revenuePerOrder)),
      });
    }
  }
  return {
    business: b,
    hitKey,
    baseline,
    pricedModel: pricedModel(results, b),
    baseConversionRate: baseCr,
    baseConversionRateSource: baseSource,
    level: results.config.level,
    intervals: boot ? 'paired' : 'none',
    rows,
    measured: measuredVsTrue(results),
  };
}

/**
 * Net value of a pipeline change against its cost: monthly value minus monthly cost (the interval shifted by
 * the cost), months to pay back the one-off cost, and the first year's return on what it costs.
 *
 * @example
 * costOf({ oneOff: 60_000, perMonth: 5_000 }, { mean: 25_000, lo: 20_000, hi: 30_000 }).paybackMonths // 3
 */
export function costOf(
  cost: { oneOff: number; perMonth: number } | undefined,
  value: Interval,
): Pick<RoiRow, 'cost' | 'netPerMonth' | 'paybackMonths' | 'roiFirstYear'> {
  if (!cost) return { cost: null, netPerMonth: null, paybackMonths: NaN, roiFirstYear: NaN };
  const net = { mean: value.mean - cost.perMonth, lo: value.lo - cost.perMonth, hi: value.hi - cost.perMonth };
  const spent = cost.oneOff + 12 * cost.perMonth;
  return {
    cost,
    netPerMonth: net,
    paybackMonths: net.mean > 0 ? cost.oneOff / net.mean : Infinity,
    roiFirstYear: spent > 0 ? (12 * net.mean - cost.oneOff) / spent : NaN,
  };
}

/**
 * The baseline conversion rate: a share of sessions, measured only where the log has sessions without a
 * conversion; otherwise the scenario's business.baselineConversionRate, or unavailable (NaN).
 *
 * @example
 * baselineConversionRate(results, business) // { rate: 0.031, source: 'log' }
 */
export function baselineConversionRate(results: Results, b: BusinessSpec): { rate: number; source: Roi['baseConversionRateSource'] } {
  if (b.baselineConversionRate !== null) return { rate: b.baselineConversionRate, source: 'business' };
  const c = results.counts;
  const sessions = c.testSessions ?? 0;
  const converting = c.testConvertingSessions ?? 0;
  if (sessions > 0 && converting < sessions) return { rate: converting / sessions, source: 'log' };
  return { rate: NaN, source: 'unavailable' };
}

/**
 * Fragmentation inflates visitor counts and deflates the measured conversion rate: test-period counts by
 * key (what analytics sees) next to the same counts by person (the truth, known in synthetic worlds).
 *
 * @example
 * measuredVsTrue(results).visitorInflation // 0.52: 52% more visitors counted than exist
 */
export function measuredVsTrue(results: Results): MeasuredVsTrue {
  const c = results.counts;
  const div = (a: number, b: number) => (b > 0 ? a / b : NaN);
  return {
    visitorsMeasured: c.testKeys,
    visitorsTrue: c.testPersons,
    visitorInflation: div(c.testKeys, c.testPersons) - 1,
    conversionRateMeasured: div(c.testConversions, c.testKeys),
    conversionRateTrue: div(c.testConversions, c.testPersons),
    buyerShareMeasured: div(c.testConvertingKeys, c.testKeys),
    buyerShareTrue: div(c.testConvertingPersons, c.testPersons),
    conversions: c.testConversions,
  };
}
