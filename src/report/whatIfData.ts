// What the what-if page (whatif.html) needs from each grid point beyond the sweep table: the Shapley shares
// of the gap by factor (results[].decomposition) and the money of each pipeline against the baseline, net of
// business.costs where the scenario gives them (report/roi.ts). Both are taken from the point's results as
// they are: the page shows the grid's exact numbers and interpolates nothing between points.
import type { Results } from '../results/results.ts';
import type { Interval } from '../stats/bootstrap.ts';
import { businessOf } from './business.ts';
import { computeRoi } from './roi.ts';
import type { RequestColumns } from './requestColumns.ts';

/** The Shapley share of one factor in one model x pipeline's gap (the shares sum to the gap). */
export interface WhatIfShare {
  model: string;
  pipeline: string;
  /** `staleness`, `identity`, `channels` or `model`. */
  factor: string;
  share: Interval;
}

/** The money of one model x pipeline against the baseline pipeline, per month. */
export interface WhatIfMoney {
  model: string;
  pipeline: string;
  /** Extra revenue after margin per month (before costs). */
  deltaRevenuePerMonth: Interval;
  /** The pipeline's cost from business.costs, or null when none is given. */
  cost: { oneOff: number; perMonth: number } | null;
  /** Revenue minus the monthly cost; null without a cost. */
  netPerMonth: Interval | null;
  /** Months to pay back the one-off cost (Infinity: never; NaN: no cost). */
  paybackMonths: number;
}

/** Everything the page takes from one grid point's results. */
export interface WhatIfDetail {
  point: number;
  shares: WhatIfShare[];
  /** Non-baseline pipelines only (the baseline's differences are 0 by construction). */
  money: WhatIfMoney[];
  /** The pipeline every money figure is measured against (the scenario's first). */
  baseline: string;
  currency: string;
  /** 'scenario' when the scenario has a business section, 'defaults' otherwise. */
  businessSource: 'scenario' | 'defaults';
  /** 'paired' when the money intervals come from the point's per-request table; 'none' for point estimates. */
  intervals: 'paired' | 'none';
}

/**
 * The decomposition shares and money of one grid point, from its results and (for paired money
 * intervals) its per-request columns.
 *
 * @example
 * whatIfDetail(3, run.results, parseRequestColumns(requestTableCsv(run), roiColumns(run.results))).money[0].netPerMonth
 */
export function whatIfDetail(point: number, results: Results, requests: RequestColumns | null): WhatIfDetail {
  const metric = results.config.primaryMetric;
  const shares: WhatIfShare[] = [];
  for (const r of results.results) {
    const d = r.decomposition.byMetric[metric];
    if (!d) continue;
    for (const f of r.decomposition.factors) {
      const s = d.shares[f];
      if (s) shares.push({ model: r.model, pipeline: r.pipeline, factor: f, share: s });
    }
  }
  const roi = computeRoi(results, requests);
  const b = businessOf(results);
  const money = roi.rows
    .filter((r) => !r.isBaseline)
    .map(
      (r): WhatIfMoney => ({
        model: r.model,
        pipeline: r.pipeline,
        deltaRevenuePerMonth: r.deltaRevenuePerMonth,
        cost: r.cost,
        netPerMonth: r.netPerMonth,
        paybackMonths: r.paybackMonths,
      }),
    );
  return { point, shares, money, baseline: roi.baseline, currency: b.currency, businessSource: b.source, intervals: roi.intervals };
}
