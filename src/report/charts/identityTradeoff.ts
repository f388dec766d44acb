// What identity resolution is worth, from a sweep: the served metric against each pipeline's pairwise
// precision (over-merging lowers it) and pairwise recall (under-merging lowers it), a point per grid point.
import type { TopLevelSpec } from 'vega-lite';
import { r6 } from '../format.ts';
import { ROW_HEADER, topLevel } from './theme.ts';
import { PALETTE } from './whatIf.ts';

/** One sweep row as the chart reads it. */
export interface TradeoffRow {
  point: number;
  /** The grid point's settings as `path=value; ...`. */
  settings: string;
  model: string;
  pipeline: string;
  frozen: number;
  served: { mean: number; lo: number; hi: number };
  pairwisePrecision: number;
  pairwiseRecall: number;
}

export const PRECISION = 'pairwise precision';
export const RECALL = 'pairwise recall';

/**
 * Two panels per model, served metric on y: against pairwise precision (left) and pairwise recall
 * (right), one point per grid point and pipeline, with its bootstrap interval; a pipeline's points are
 * joined in grid order when one setting is swept (the path a threshold or login-rate sweep traces).
 * Models without a gap at any point (their scores ignore the profile) are named in the subtitle instead.
 *
 * @example
 * identityTradeoffChart(rows, 'ndcg@10', ['graph', 'login'], ['knn'], true)
 */
export function identityTradeoffChart(
  allRows: readonly TradeoffRow[],
  metric: string,
  pipelines: readonly string[],
  allModels: readonly string[],
  connect: boolean,
): TopLevelSpec {
  const flat = allModels.filter((m) => allRows.every((r) => r.model !== m || Math.abs(r.frozen - r.served.mean) < 5e-7));
  const models = allModels.filter((m) => !flat.includes(m));
  const data: Array<Record<string, unknown>> = [];
  const labels = pointLabels(allRows.filter((r) => models.includes(r.model)));
  for (const r of allRows) {
    if (!models.includes(r.model)) continue;
    const common = {
      point: r.point,
      settings: r.settings,
      model: r.model,
      pipeline: r.pipeline,
      mean: r6(r.served.mean),
      lo: r6(r.served.lo),
      hi: r6(r.served.hi),
      precision: r6(r.pairwisePrecision),
      recall: r6(r.pairwiseRecall),
    };
    const label = labels.get(r) ?? '';
    data.push({ ...common, label, measure: PRECISION, x: r6(r.pairwisePrecision) }, { ...common, label, measure: RECALL, x: r6(r.pairwiseRecall) });
  }
  const x = { field: 'x', type: 'quantitative', title: null, scale: { zero: false, nice: true, padding: 12 } };
  const y = { field: 'mean', type: 'quantitative', title: `served ${metric}`, scale: { zero: false } };
  const color = { field: 'pipeline', type: 'nominal', title: null, sort: [...pipelines], scale: { domain: [...pipelines], range: PALETTE } };
  const shape = { field: 'pipeline', type: 'nominal', title: null, sort: [...pipelines], scale: { domain: [...pipelines], range: SHAPES } };
  const tooltip = [
    { field: 'settings', type: 'nominal', title: 'grid point' },
    { field: 'pipeline', type: 'nominal' },
    { field: 'precision', type: 'quantitative', title: 'pairwise precision', format: '.3f' },
    { field: 'recall', type: 'quantitative', title: 'pairwise recall', format: '.3f' },
    { field: 'mean', type: 'quantitative', title: `served ${metric}`, format: '.4f' },
  ];
  return topLevel(
    {
      data: { values: data },
      facet: {
        column: { field: 'measure', type: 'nominal', title: null, sort: [PRECISION, RECALL], header: { labelFontWeight: 'bold' } },
        row: { field: 'model', type: 'nominal', title: null, sort: models, header: ROW_HEADER },
      },
      spec: {
        width: 380,
        height: 220,
        layer: [
          { mark: { type: 'rule', opacity: 0.6 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
          ...(connect
            ? [{ mark: { type: 'line', strokeWidth: 1, opacity: 0.5 }, encoding: { x, y, color, order: { field: 'point', type: 'quantitative' } } }]
            : []),
          // Hollow markers of different shapes: pipelines that resolve alike (a graph at a high threshold and
          // logins) sit on the same spot and both stay visible.
          { mark: { type: 'point', filled: false, size: 70, strokeWidth: 2 }, encoding: { x, y, color, shape, tooltip } },
          // The swept value beside each point that moves, so a reader sees which threshold or rate sits where.
          { mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 9, color: '#444444' }, encoding: { x, y, text: { field: 'label' } } },
        ],
      },
      resolve: { scale: { x: 'independent' } },
    },
    {
      title: `Identity resolution: served ${metric} against pairwise precision and recall`,
      subtitle: [
        'Over-merging lowers precision (left: of the key pairs a resolver merges, the share that are one person);',
        "under-merging lowers recall (right: of each person's key pairs, the share it merges).",
        'A point per grid point and pipeline (a full run, same seed); bars are bootstrap intervals; labels give the swept value.',
        ...(connect ? ["Lines join a pipeline's points in the order of the swept values."] : []),
        ...(flat.length ? [`No gap at any point, not shown: ${flat.join(', ')}.`] : []),
      ],
    },
  );
}

/**
 * The swept value(s) of each row whose pipeline moves across the grid (`0.85`, or `0.85 · 0.5` for two axes);
 * rows that land on the same spot as an earlier one share its label and get none of their own.
 */
function pointLabels(rows: readonly TradeoffRow[]): Map<TradeoffRow, string> {
  const out = new Map<TradeoffRow, string>();
  const spot = (r: TradeoffRow) => `${r.model}|${r.pipeline}|${r6(r.pairwisePrecision)}|${r6(r.pairwiseRecall)}|${r6(r.served.mean)}`;
  const byPipeline = new Map<string, TradeoffRow[]>();
  for (const r of rows) byPipeline.set(`${r.model}|${r.pipeline}`, [...(byPipeline.get(`${r.model}|${r.pipeline}`) ?? []), r]);
  for (const group of byPipeline.values()) {
    if (new Set(group.map(spot)).size < 2) continue; // one spot: the legend names it
    const first = new Map<string, TradeoffRow>();
    for (const r of group) {
      const value = r.settings
        .split('; ')
        .map((kv) => kv.slice(kv.indexOf('=') + 1).trim())
        .join(' · ');
      const at = first.get(spot(r));
      if (at) out.set(at, `${out.get(at)}, ${value}`);
      else {
        first.set(spot(r), r);
        out.set(r, value);
      }
    }
  }
  return out;
}

const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-left', 'triangle-right', 'stroke'];
