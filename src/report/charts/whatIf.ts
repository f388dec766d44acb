// What-if curves from a sweep: the served metric (with intervals) against one swept setting, one line per
// pipeline, with the offline (frozen) score dashed for reference.
import type { TopLevelSpec } from 'vega-lite';
import { r6 } from '../format.ts';
import { COLOR, ROW_HEADER, topLevel, WIDTH } from './theme.ts';

/** One sweep row as the chart reads it. */
export interface WhatIfRow {
  /** The swept value's label on the x axis (e.g. `1h`, `0.3`). */
  value: string;
  /** The other swept settings of this grid point (`path=value; ...`), '' when only one setting is swept. */
  others: string;
  model: string;
  pipeline: string;
  frozen: number;
  served: { mean: number; lo: number; hi: number };
}

/**
 * Served metric against the values of `setting`, in the order given by `values`. Models without a gap at
 * any grid point are named in the subtitle instead of drawn.
 *
 * @example
 * whatIfChart('pipelines.0.refresh', ['1h', '1d', '7d'], rows, 'ndcg@10')
 */
export function whatIfChart(
  setting: string,
  values: readonly string[],
  allRows: readonly WhatIfRow[],
  metric: string,
  pipelines: readonly string[],
  allModels: readonly string[],
): TopLevelSpec {
  // A model with no gap at any grid point (its scores ignore the served profile) would draw flat lines only.
  const flat = allModels.filter((m) => allRows.every((r) => r.model !== m || Math.abs(r.frozen - r.served.mean) < 5e-7));
  const models = allModels.filter((m) => !flat.includes(m));
  const rows = allRows.filter((r) => models.includes(r.model));
  const data: Array<Record<string, unknown>> = [];
  const seenFrozen = new Set<string>();
  for (const r of rows) {
    data.push({
      value: r.value,
      others: r.others,
      model: r.model,
      series: r.pipeline,
      kind: 'served',
      mean: r6(r.served.mean),
      lo: r6(r.served.lo),
      hi: r6(r.served.hi),
    });
    const k = JSON.stringify([r.value, r.others, r.model]);
    if (!seenFrozen.has(k)) {
      seenFrozen.add(k);
      data.push({ value: r.value, others: r.others, model: r.model, series: 'offline (frozen)', kind: 'frozen', mean: r6(r.frozen), lo: null, hi: null });
    }
  }
  const others = [...new Set(rows.map((r) => r.others))];
  const x = { field: 'value', type: 'ordinal', sort: [...values], title: setting, axis: { labelAngle: 0 } };
  const y = { field: 'mean', type: 'quantitative', title: `served ${metric}` };
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    sort: ['offline (frozen)', ...pipelines],
    scale: { domain: ['offline (frozen)', ...pipelines], range: [COLOR.neutral, ...PALETTE] },
  };
  const facet: Record<string, unknown> = { row: { field: 'model', type: 'nominal', title: null, sort: [...models], header: ROW_HEADER } };
  if (others.length > 1) facet.column = { field: 'others', type: 'nominal', title: null, sort: others, header: { labelLimit: 0, labelFontWeight: 'bold' } };
  return topLevel(
    {
      data: { values: data },
      facet,
      spec: {
        width: others.length > 1 ? 260 : WIDTH,
        height: 200,
        layer: [
          { transform: [{ filter: { field: 'kind', equal: 'frozen' } }], mark: { type: 'line', strokeDash: [5, 4], point: true }, encoding: { x, y, color } },
          {
            transform: [{ filter: { field: 'kind', equal: 'served' } }],
            mark: { type: 'rule' },
            encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
          },
          { transform: [{ filter: { field: 'kind', equal: 'served' } }], mark: { type: 'line', point: { filled: true } }, encoding: { x, y, color } },
        ],
      },
    },
    {
      title: `What if: served ${metric} against ${setting}`,
      subtitle: [
        'Each point is a full run with the same seed (common random numbers); bars are bootstrap intervals; dashed: the offline score.',
        ...(flat.length ? [`No gap at any point, not shown: ${flat.join(', ')}.`] : []),
      ],
    },
  );
}

/** Pipeline colours of the sweep charts, in the order pipelines are listed. */
export const PALETTE = ['#f58518', '#4c78a8', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#ff9da6', '#9d755d', '#eeca3b'];
