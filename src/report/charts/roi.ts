// ROI by pipeline: extra revenue after margin per month against the baseline pipeline for the priced model,
// with the interval from the paired ΔHR@K and the range over the incrementality assumption. The
// assumptions are part of the chart (subtitle), so the figure never travels without them.
import type { TopLevelSpec } from 'vega-lite';
import type { Roi } from '../roi.ts';
import { assumptionsShort } from '../business.ts';
import { fmtMoney, fmtPct, r6 } from '../format.ts';
import { COLOR, topLevel, WIDTH } from './theme.ts';

/**
 * Bars: Δ revenue per month by pipeline; light band: incrementality range; black bar: interval.
 *
 * @example
 * roiChart(computeRoi(results, table))
 */
export function roiChart(roi: Roi): TopLevelSpec {
  const b = roi.business;
  const rows = roi.rows
    .filter((r) => r.model === roi.pricedModel)
    .map((r) => ({
      pipeline: r.pipeline,
      mean: r6(r.deltaRevenuePerMonth.mean),
      lo: r6(r.deltaRevenuePerMonth.lo),
      hi: r6(r.deltaRevenuePerMonth.hi),
      rangeLo: r6(r.revenueRange[0]),
      rangeHi: r6(r.revenueRange[1]),
      // Labels sit right of everything drawn on the row (bars extend left for a pipeline that loses money).
      labelAt: r6(Math.max(0, r.revenueRange[0], r.revenueRange[1], Number.isFinite(r.deltaRevenuePerMonth.hi) ? r.deltaRevenuePerMonth.hi : 0)),
      label: r.isBaseline
        ? 'baseline'
        : r.ceiling
          ? `ceiling (true person): ${fmtMoney(r.deltaRevenuePerMonth.mean, b.currency)}/month`
          : `${fmtMoney(r.deltaRevenuePerMonth.mean, b.currency)}/month, CAC ${r.cacRatio >= 1 ? '+' : ''}${fmtPct(r.cacRatio - 1, 1)}`,
    }));
  const order = rows.map((r) => r.pipeline);
  const [lo, hi] = b.incrementalityRange;
  const y = { field: 'pipeline', type: 'nominal', sort: order, title: null };
  const x = (field: string) => ({ field, type: 'quantitative' });
  return topLevel(
    {
      data: { values: rows },
      width: WIDTH,
      height: { step: 34 },
      encoding: { y },
      layer: [
        {
          mark: { type: 'bar', color: COLOR.range, height: { band: 0.8 } },
          encoding: {
            x: { ...x('rangeLo'), title: `extra revenue after margin per month (${b.currency})`, axis: { format: ',.3~s' } },
            x2: { field: 'rangeHi' },
          },
        },
        { mark: { type: 'bar', color: COLOR.gain, height: { band: 0.4 } }, encoding: { x: x('mean') } },
        { mark: { type: 'rule', color: '#222222', strokeWidth: 1.5 }, encoding: { x: x('lo'), x2: { field: 'hi' } } },
        { mark: { type: 'text', align: 'left', dx: 6, fontSize: 10, color: '#222222' }, encoding: { x: x('labelAt'), text: { field: 'label' } } },
      ],
    },
    {
      title: `What each pipeline is worth: ${roi.pricedModel} against ${roi.baseline}`,
      subtitle: [
        assumptionsShort(b) + '.',
        `Δ revenue = sessions × exposure × incrementality × Δ${roi.hitKey.replace('hit', 'HR')} (served, vs ${roi.baseline}) × AOV × margin.`,
        `Green: at incrementality ${fmtPct(b.incrementality, 0)}; black: ${roi.intervals === 'paired' ? `${Math.round(100 * roi.level)}% interval of the paired ΔHR` : 'no interval (requests.csv missing)'}; light band: incrementality ${fmtPct(lo, 0)}-${fmtPct(hi, 0)}.`,
      ],
    },
  );
}
