// The report's story in plain language, for stakeholders: the gap with its interval, what causes it, what
// each pipeline change recovers, and what that is worth (always beside its assumptions).
import type { Results, ModelPipelineResult } from '../results/results.ts';
import type { Roi, RoiRow } from './roi.ts';
import { assumptionLines, assumptionsShort } from './business.ts';
import { FACTOR_LABEL } from './charts/decomposition.ts';
import { fmtAge, fmtCount, fmtInterval, fmtMetric, fmtMoney, fmtPct, fmtPp, roundSig } from './format.ts';
import { name, strong, type Para } from './prose.ts';

export interface Narrative {
  /** One-line context: data, requests, K, W, intervals. */
  context: Para;
  /** The first screen, in plain words: what offline says, what production serves, what the best fix recovers and is worth. */
  first: Para[];
  gap: Para[];
  causes: Para[];
  recovers: Para[];
  /** Printed immediately before every money figure. */
  assumptions: Para[];
  worth: Para[];
  measured: Para[];
  models: Para[];
  caveats: Para[];
}

/** The result the headline talks about: the priced model under the baseline pipeline. */
function headline(results: Results, roi: Roi): ModelPipelineResult | undefined {
  return results.results.find((r) => r.model === roi.pricedModel && r.pipeline === roi.baseline);
}

const hr = (key: string) => key.replace(/^hit@/, 'HR@');

/**
 * Build every paragraph of the story.
 *
 * @example
 * const n = narrative(results, roi); toMd(n.gap[0])
 */
export function narrative(results: Results, roi: Roi): Narrative {
  const metric = results.config.primaryMetric;
  const c = results.counts;
  const level = Math.round(results.config.level * 100);
  const h = headline(results, roi);
  const b = roi.business;
  const ctx: Para = [
    `${fmtCount(c.requests)} requests from ${fmtCount(c.requestPersons)} persons after the split (${results.config.until.slice(0, 10)}); `,
    `K = ${results.config.ks.join(', ')}, label window W = ${results.config.window}, positives ${results.config.positives.join(', ')}; `,
    `intervals are ${level}% person-clustered bootstrap intervals (${fmtCount(results.config.bootstrap)} replicates).`,
  ];
  const out: Narrative = { context: ctx, first: [], gap: [], causes: [], recovers: [], assumptions: [], worth: [], measured: [], models: [], caveats: [] };
  if (!h) return out;
  const m = h.metrics[metric];

  // The first screen: three sentences, each number with its interval.
  out.first.push([`Offline, `, name(h.model), ` scores ${fmtInterval(m.frozen)} ${metric}.`]);
  out.first.push([
    'As production serves it today (',
    name(h.pipeline),
    `), it scores ${fmtInterval(m.served)}: `,
    strong(`${fmtPct(m.relativeGap.mean, 0)} less`),
    // A stakeholder reads this sentence first: a modelled cause must say so here, not only in the details.
    ...injectedClause(results, h.pipeline),
    '.',
  ]);
  out.first.push(bestFix(results, roi, h.model, m.gap.mean, metric));

  // The gap.
  out.gap.push([
    name(h.model),
    ` scores ${fmtMetric(m.frozen.mean)} ${metric} offline (the frozen view) but ${fmtMetric(m.served.mean)} as served by `,
    name(h.pipeline),
    ' (the first pipeline, taken as production today): ',
    strong(`a gap of ${fmtInterval(m.gap)}, ${fmtPct(m.relativeGap.mean)} of the offline score`),
    '.',
  ]);
  const others = results.results.filter((r) => r.pipeline === roi.baseline && r.model !== h.model);
  if (others.length) {
    const p: Para = ['Under the same pipeline '];
    others.forEach((r, i) => {
      p.push(
        i === 0 ? '' : i === others.length - 1 ? ' and ' : ', ',
        name(r.model),
        ` loses ${fmtMetric(r.metrics[metric].gap.mean)} (${fmtPct(r.metrics[metric].relativeGap.mean)})`,
      );
    });
    p.push('.');
    out.gap.push(p);
  }

  // What causes it.
  const d = h.decomposition.byMetric[metric];
  if (h.decomposition.factors.length) {
    const p: Para = ['Exact Shapley shares of the gap: '];
    h.decomposition.factors.forEach((f, i) => {
      const s = d.shares[f];
      if (!s) return;
      p.push(i ? '; ' : '', strong(FACTOR_LABEL[f] ?? f), ` ${fmtInterval(s)} (${fmtPct(m.gap.mean ? s.mean / m.gap.mean : NaN, 0)})`);
    });
    p.push('.');
    if (d.interaction && Number.isFinite(d.interaction.mean))
      p.push(
        ` The two causes interact: fixing both recovers ${fmtMetric(Math.abs(d.interaction.mean))} ${d.interaction.mean < 0 ? 'less' : 'more'} than fixing each alone would suggest (interaction ${fmtInterval(d.interaction)}).`,
      );
    out.causes.push(p);
  } else {
    out.causes.push(['The first pipeline serves exactly the offline view, so there is nothing to decompose.']);
  }
  const pipe = results.pipelines.find((p) => p.name === h.pipeline)!;
  const fit = h.lagCurve.fit;
  const age: Para = [
    `Its served profiles are ${fmtAge(h.signalAge.quantilesMs.p50)} old at the median (90th percentile ${fmtAge(h.signalAge.quantilesMs.p90)}); `,
    `of that, the persons' own inactivity is ${fmtAge(results.frozen.inactivity.quantilesMs.p50)} at the median and the pipeline's lag ${fmtAge(pipe.lag.quantilesMs.p50)}. `,
    `${fmtPct(h.signalAge.emptyShare)} of requests get an empty served view. `,
  ];
  if (fit.lInf !== null && fit.tauMs !== null && Number.isFinite(fit.lInf) && Number.isFinite(fit.tauMs)) {
    age.push(
      `Against the pipeline's lag, the fitted relevance loss approaches ${fmtMetric(fit.lInf, 3)} ${metric} with time scale τ = ${fmtAge(fit.tauMs)}`,
      fit.tauAtBound
        ? ' (τ sits at the end of its search range: not identified by these data).'
        : ` (half of it is lost after ${fmtAge(fit.tauMs * Math.LN2)}).`,
    );
  }
  out.causes.push(age);
  const mt = roi.measured;
  out.causes.push([
    `Identity: after the split the log has ${fmtCount(mt.visitorsMeasured)} device keys for ${fmtCount(mt.visitorsTrue)} persons; `,
    name(pipe.name),
    `'s served view holds ${fmtPct(results.frozen.meanViewEvents ? pipe.meanViewEvents / results.frozen.meanViewEvents : NaN, 0)} of the events the offline view has.`,
  ]);

  // What each pipeline change recovers.
  for (const cmp of results.comparisons.filter((x) => x.model === h.model && x.metric === metric)) {
    const r = results.results.find((x) => x.model === h.model && x.pipeline === cmp.pipeline);
    const desc = results.pipelines.find((p) => p.name === cmp.pipeline)?.description ?? '';
    // A gain or a loss is claimed only when the paired interval excludes 0.
    const sign = detectable(cmp.difference);
    const worse = sign < 0;
    out.recovers.push([
      name(cmp.pipeline),
      sign === 0
        ? ` (${desc}) makes no detectable difference: ${fmtInterval(cmp.difference)} ${metric}, an interval that includes 0`
        : worse
          ? ` (${desc}) does worse: it loses a further ${fmtInterval(neg(cmp.difference))} ${metric}`
          : ` (${desc}) recovers ${fmtInterval(cmp.difference)} ${metric}`,
      m.gap.mean > 0 && sign > 0 ? `, ${fmtPct(cmp.difference.mean / m.gap.mean, 0)} of the gap` : '',
      ` (Holm-adjusted p = ${Number.isFinite(cmp.pHolm) ? cmp.pHolm.toPrecision(2) : 'n/a'})`,
      r ? `; its remaining gap is ${fmtMetric(r.metrics[metric].gap.mean)}.` : '.',
    ]);
  }

  // What that is worth: assumptions first, then the figures.
  out.assumptions = assumptionLines(b, { hitKey: roi.hitKey, baseline: roi.baseline });
  out.assumptions.push([
    roi.baseConversionRateSource === 'log'
      ? `conversion rate ${fmtPct(roi.baseConversionRate, 2)} of sessions (measured in the log's test period) is taken as the baseline pipeline's`
      : roi.baseConversionRateSource === 'business'
        ? `conversion rate ${fmtPct(roi.baseConversionRate, 2)} of sessions is the scenario's business.baselineConversionRate, not measured`
        : 'no conversion rate: the log has no session without a conversion (it holds only conversions), so customer acquisition cost cannot be priced; set business.baselineConversionRate',
  ]);
  for (const row of roi.rows.filter((r) => r.model === h.model && !r.isBaseline)) out.worth.push(worthPara(row, roi));

  // Measured vs true.
  out.measured.push([
    `Fragmentation inflates visitor counts: analytics counts ${fmtCount(mt.visitorsMeasured)} visitors (device keys) after the split where there are ${fmtCount(mt.visitorsTrue)} persons (${mt.visitorInflation >= 0 ? '+' : ''}${fmtPct(mt.visitorInflation, 0)}). `,
    `The measured conversion rate is ${fmtMetric(mt.conversionRateMeasured, 3)} conversions per visitor against a true ${fmtMetric(mt.conversionRateTrue, 3)}; `,
    `the share of visitors who buy is ${fmtPct(mt.buyerShareMeasured)} measured vs ${fmtPct(mt.buyerShareTrue)} true.`,
  ]);

  // Model versions.
  const rev = results.modelRanking.reversals;
  const claimed = rev.filter((r) => r.claimed);
  if (results.models.length < 2) out.models.push(['One model only: no ranking to compare.']);
  else if (!claimed.length)
    out.models.push([
      'No pipeline significantly reverses the offline order of the models: the offline winner ',
      name(results.modelRanking.frozen[0].model),
      rev.length ? ' keeps its place wherever the differences are significant.' : ' also wins served.',
    ]);
  for (const r of claimed) {
    out.models.push([
      strong('Rank reversal under ', name(r.pipeline)),
      ': ',
      name(r.offlineWinner),
      ` beats `,
      name(r.servedWinner),
      ` offline by ${fmtInterval(r.frozenDifference)} (Holm p = ${fmtP(r.frozenPHolm)}) but loses served by ${fmtInterval({ mean: -r.servedDifference.mean, lo: -r.servedDifference.hi, hi: -r.servedDifference.lo })} (Holm p = ${fmtP(r.pHolm)}).`,
    ]);
  }
  for (const r of rev.filter((x) => !x.claimed)) {
    const offlineTie = !(r.frozenPHolm < 1 - results.config.level);
    out.models.push([
      'Under ',
      name(r.pipeline),
      ', ',
      name(r.offlineWinner),
      ' and ',
      name(r.servedWinner),
      offlineTie
        ? ` are tied offline (difference ${fmtInterval(r.frozenDifference)}), so their served order (${fmtInterval(r.servedDifference)}) is no reversal.`
        : ` keep no significant served order (difference ${fmtInterval(r.servedDifference)}), so the offline lead (${fmtInterval(r.frozenDifference)}) is not shown reversed.`,
    ]);
  }

  // Caveats.
  out.caveats.push([
    results.log.source === 'world'
      ? 'The log is a synthetic world: the numbers show mechanisms and orders of magnitude, not a forecast for a real shop.'
      : results.log.fragment || results.log.drift
        ? `The log is real data with ${[results.log.fragment ? 'device fragmentation' : '', results.log.drift ? 'behaviour drift' : ''].filter(Boolean).join(' and ')} injected by recgap: the parts of the gap they cause are modelled, not observed (details under run details).`
        : 'The log is real data; nothing was injected into it.',
  ]);
  out.caveats.push([
    `Incrementality is the weakest assumption: the money range over ${fmtPct(b.incrementalityRange[0], 0)}-${fmtPct(b.incrementalityRange[1], 0)} shows how much the figures depend on it; an A/B test pins it down.`,
  ]);
  if (roi.intervals === 'none') out.caveats.push(['requests.csv was not available: money figures are point estimates without intervals.']);
  return out;
}

/** `, of which the identity part comes from device fragmentation injected into a log ...` when it does. */
function injectedClause(results: Results, pipeline: string): Para {
  const p = results.pipelines.find((x) => x.name === pipeline);
  const injected = [
    results.log.fragment && p?.factors.includes('identity') ? 'identity' : '',
    results.log.drift && p?.factors.includes('staleness') ? 'staleness' : '',
  ].filter(Boolean);
  if (!injected.length) return [];
  const what = [results.log.fragment ? 'device fragmentation' : '', results.log.drift ? 'behaviour drift' : ''].filter(Boolean).join(' and ');
  return [` (its ${injected.join(' and ')} part comes from ${what} recgap injected into this log, an assumption, not an observation)`];
}

/** -x as an interval (bounds swap). */
const neg = (i: { mean: number; lo: number; hi: number }) => ({ mean: -i.mean, lo: -i.hi, hi: -i.lo });

function worthPara(row: RoiRow, roi: Roi): Para {
  const cur = roi.business.currency;
  const money = (x: number) => fmtMoney(x, cur);
  const i = row.deltaRevenuePerMonth;
  const interval = Number.isFinite(i.lo) ? ` [${money(i.lo)}, ${money(i.hi)}]` : '';
  const [lo, hi] = roi.business.incrementalityRange;
  if (row.ceiling) {
    return [
      name(row.pipeline),
      ` serves the true person, which no identity layer can buy: it is the ceiling, not an option. Closing the whole gap would be worth about ${money(i.mean)}${interval} per month after margin (${hr(roi.hitKey)} ${fmtInterval(row.deltaHit)} against `,
      name(roi.baseline),
      ').',
    ];
  }
  if (detectable(row.deltaHit) === 0) {
    return [
      name(row.pipeline),
      `: ${hr(roi.hitKey)} ${fmtInterval(row.deltaHit)} against `,
      name(roi.baseline),
      `, an interval that includes 0: no detectable difference, so no money is attributed to it (the point estimate would be ${money(i.mean)}${interval} per month).`,
    ];
  }
  return [
    name(row.pipeline),
    `: ${hr(roi.hitKey)} ${row.deltaHit.mean >= 0 ? '+' : ''}${fmtInterval(row.deltaHit)} against `,
    name(roi.baseline),
    `, so conversion rate ${fmtPp(row.deltaConversionRate.mean)} per session, about ${fmtCount(Math.abs(roundSig(row.deltaOrdersPerMonth.mean, 3)))} ${row.deltaOrdersPerMonth.mean < 0 ? 'fewer' : 'more'} orders and `,
    strong(`${money(i.mean)}${interval} per month after margin`),
    ` (${money(row.revenueRange[0])} to ${money(row.revenueRange[1])} for incrementality ${fmtPct(lo, 0)}-${fmtPct(hi, 0)}); `,
    ...(Number.isFinite(row.cacRatio)
      ? [
          `customer acquisition cost ${row.cacRatio >= 1 ? '+' : ''}${fmtPct(row.cacRatio - 1, 1)}, `,
          row.spendEquivalentPerMonth >= 0
            ? `worth ${money(row.spendEquivalentPerMonth)} of monthly marketing spend.`
            : `costing the equivalent of ${money(-row.spendEquivalentPerMonth)} of monthly marketing spend.`,
        ]
      : ['customer acquisition cost not priced (no conversion rate; see the assumptions).']),
    ...(row.cost && row.netPerMonth
      ? [
          ` Net of its cost (${money(row.cost.oneOff)} once, ${money(row.cost.perMonth)} a month): `,
          strong(
            `${money(row.netPerMonth.mean)}${Number.isFinite(row.netPerMonth.lo) ? ` [${money(row.netPerMonth.lo)}, ${money(row.netPerMonth.hi)}]` : ''} a month`,
          ),
          Number.isFinite(row.paybackMonths)
            ? `, paying back in ${row.paybackMonths < 0.1 ? 'under a week' : `${roundSig(row.paybackMonths, 2)} months`}; first-year return ${fmtPct(row.roiFirstYear, 0)}.`
            : ', so it never pays back at these assumptions.',
        ]
      : []),
  ];
}

/** +1 or -1 when the interval lies above or below 0, 0 when it includes 0 or is not available. */
function detectable(i: { lo: number; hi: number }): number {
  if (!(Number.isFinite(i.lo) && Number.isFinite(i.hi))) return 0;
  return i.lo > 0 ? 1 : i.hi < 0 ? -1 : 0;
}

/** `Assumes ...` inside a sentence. */
function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function fmtP(p: number): string {
  return Number.isFinite(p) ? p.toPrecision(2) : 'n/a';
}

/**
 * The third first-screen sentence: the pipeline change that recovers the most, detectably, of the priced model's
 * gap (the true-person ceiling aside), and what it is worth net of its cost when the scenario gives one.
 */
function bestFix(results: Results, roi: Roi, model: string, gap: number, metric: string): Para {
  const money = (x: number) => fmtMoney(x, roi.business.currency);
  const options = results.comparisons
    .filter((c) => c.model === model && c.metric === metric && detectable(c.difference) > 0)
    .filter((c) => results.pipelines.find((p) => p.name === c.pipeline)?.identity !== 'oracle')
    .sort((a, b) => b.difference.mean - a.difference.mean);
  if (!options.length) return ['No modelled pipeline change recovers a detectable part of it (the true-person ceiling aside).'];
  const best = options[0];
  const row = roi.rows.find((r) => r.model === model && r.pipeline === best.pipeline);
  const worth: Para = [];
  if (row && detectable(row.deltaHit) > 0) {
    const v = row.netPerMonth ?? row.deltaRevenuePerMonth;
    const interval = Number.isFinite(v.lo) ? ` [${money(v.lo)}, ${money(v.hi)}]` : '';
    // A money figure never stands without its assumptions: the short form goes with it.
    worth.push(
      `, worth ${money(v.mean)}${interval} a month after margin`,
      row.netPerMonth ? ' net of its cost' : ' before its cost (the scenario gives no business.costs)',
      `; ${lowerFirst(assumptionsShort(roi.business))}`,
    );
  }
  return [
    'The best modelled fix, ',
    name(best.pipeline),
    `, recovers ${fmtInterval(best.difference)} of the gap (${fmtPct(gap ? best.difference.mean / gap : NaN, 0)})`,
    ...worth,
    '.',
  ];
}
