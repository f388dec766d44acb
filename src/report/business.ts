// The business assumptions a report prices the gap with (docs/method.md 7.2): the scenario's `business:` section,
// or the documented defaults for runs that have none (including results.json written before the section).
import { evaluateFormula } from '../scenario/formula.ts';
import type { BusinessSpec } from '../scenario/types.ts';
import { DEFAULT_BUSINESS } from '../scenario/defaults.ts';
import type { Results } from '../results/results.ts';
import { fmtCount, fmtMoney, fmtPct } from './format.ts';
import { name, type Para } from './prose.ts';

/**
 * The run's business assumptions with every default filled in.
 *
 * @example
 * businessOf(results).exposure // 0.5 unless the scenario says otherwise
 */
export function businessOf(results: Results): BusinessSpec {
  const b = (results.scenario as { business?: BusinessSpec }).business;
  if (b) return b;
  return { ...DEFAULT_BUSINESS, incrementalityRange: [...DEFAULT_BUSINESS.incrementalityRange], source: 'defaults' };
}

/**
 * The model whose served metrics are priced: `business.model`, else the offline winner (the model a
 * team would ship on offline evidence), else the first model.
 *
 * @example
 * pricedModel(results, businessOf(results)) // 'knn'
 */
export function pricedModel(results: Results, b: BusinessSpec): string {
  if (b.model && results.models.some((m) => m.name === b.model)) return b.model;
  return results.modelRanking?.frozen?.[0]?.model ?? results.models[0].name;
}

/** Where the numbers come from, for the lines printed beside money figures. */
export interface AssumptionContext {
  /** Metric key of the hit rate the money follows, e.g. `hit@10`. */
  hitKey: string;
  /** The pipeline every other one is compared with. */
  baseline: string;
}

/**
 * The assumptions behind every money figure, one short clause each (the baseline is a name: it is escaped
 * wherever the clause is rendered).
 *
 * @example
 * assumptionLines(b, { hitKey: 'hit@10', baseline: 'weekly-batch' })[0] // ['1,000,000 sessions per month']
 */
export function assumptionLines(b: BusinessSpec, ctx: AssumptionContext): Para[] {
  const [lo, hi] = b.incrementalityRange;
  return [
    [`${fmtCount(b.sessionsPerMonth)} sessions per month`],
    [`exposure ${fmtPct(b.exposure, 0)} of sessions see the recommendations`],
    [
      `incrementality ${fmtPct(b.incrementality, 0)}: purchase probability per extra hit that would not have happened anyway (range ${fmtPct(lo, 0)}-${fmtPct(hi, 0)})`,
    ],
    [`average order value ${fmtMoney(b.averageOrderValue, b.currency)}, margin ${fmtPct(b.margin, 0)}`],
    ...(b.value
      ? [
          [
            `each order worth ${b.value.text} = ${fmtMoney(valuePerOrder(b), b.currency)} after margin (business.value${
              Object.keys(b.quantities ?? {}).length
                ? `, with ${Object.entries(b.quantities)
                    .map(([k, v]) => `${k} = ${v}`)
                    .join(', ')}`
                : ''
            })`,
          ] as Para,
        ]
      : []),
    [`marketing spend ${fmtMoney(b.marketingSpendPerMonth, b.currency)} per month, acquired traffic held fixed`],
    [`differences in served ${ctx.hitKey.replace('hit@', 'HR@')} against pipeline `, name(ctx.baseline), ', paired on the same requests'],
    [b.source === 'defaults' ? "these are recgap's default assumptions: the scenario has no business: section" : "from the scenario's business: section"],
  ];
}

/**
 * What one order is worth after margin: business.value's formula over aov, margin and the named quantities,
 * or aov x margin.
 *
 * @example
 * valuePerOrder({ ...business, averageOrderValue: 50, margin: 0.3 }) // 15
 */
export function valuePerOrder(b: BusinessSpec): number {
  if (!b.value) return b.averageOrderValue * b.margin;
  return evaluateFormula(b.value.formula, { ...(b.quantities ?? {}), aov: b.averageOrderValue, margin: b.margin });
}

/**
 * One-line version for chart subtitles.
 *
 * @example
 * assumptionsShort(b) // 'Assumes 1,000,000 sessions/month, exposure 50%, incrementality 10% (5-30%), AOV USD 50, margin 30%'
 */
export function assumptionsShort(b: BusinessSpec): string {
  const [lo, hi] = b.incrementalityRange;
  return (
    `Assumes ${fmtCount(b.sessionsPerMonth)} sessions/month, exposure ${fmtPct(b.exposure, 0)}, incrementality ${fmtPct(b.incrementality, 0)} ` +
    `(range ${fmtPct(lo, 0)}-${fmtPct(hi, 0)}), AOV ${fmtMoney(b.averageOrderValue, b.currency)}, margin ${fmtPct(b.margin, 0)}` +
    (b.source === 'defaults' ? ' (recgap defaults)' : '')
  );
}
