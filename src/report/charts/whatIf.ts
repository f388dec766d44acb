// What-if curves from a sweep, one chart per swept setting: the gap (offline minus served, with its paired
// interval) and the served metric (with its interval, the offline score dashed for reference) against the
// setting's values, one line per pipeline, a row of the two panels per model. Ordered settings (numbers,
// durations) sit in their natural order joined by lines; categories (resolvers, `stream`) as given, as
// points side by side.
import type { TopLevelSpec } from 'vega-lite';
import type { SweepAxis } from '../../results/sweep.ts';
import type { Interval } from '../../stats/bootstrap.ts';
import { r6 } from '../format.ts';
import { COLOR, topLevel, wrapText } from './theme.ts';

/** One sweep row as the chart reads it: a model and pipeline at one value of the setting. */
export interface WhatIfRow {
  /** The swept value (e.g. `1h`, `0.3`). */
  value: string;
  model: string;
  pipeline: string;
  frozen: number;
  served: Interval;
  /** frozen - served, paired per request. */
  gap: Interval;
}

/** Series name of the offline score in the served panel. */
export const OFFLINE_SERIES = 'offline (frozen)';
/**
 * The panels' y-axis titles, which name the panels (titles above them would not line up), in two lines: a
 * rotated title taller than the panel pushes the panel down.
 */
export const GAP_PANEL = (metric: string) => [`gap in ${metric}`, '(offline − served)'];
export const SERVED_PANEL = (metric: string) => [`served ${metric}`, '(dashed: offline)'];
/** Widest a sweep chart may be, in px (facets wrap to stay within it). */
export const MAX_CHART_WIDTH = 1400;
const PANEL_WIDTH = 300;
const PANEL_HEIGHT = 190;

/** Models with a gap at some point; the others score alike under every view and would draw flat lines. */
export function modelsWithGap(rows: ReadonlyArray<{ model: string; frozen: number; served: { mean: number } }>, models: readonly string[]): string[] {
  return models.filter((m) => rows.some((r) => r.model === m && Math.abs(r.frozen - r.served.mean) >= 5e-7));
}

/**
 * An x encoding for a swept setting: its values in plotting order under its label; labels turn when they
 * would not fit side by side, and the title breaks into lines no wider than the panel. `spaced` false: no
 * gaps between a category's bands (heatmap cells).
 *
 * @example
 * axisX(axis, 'value', 300) // { field: 'value', type: 'ordinal', sort: ['1h', '1d', '7d'], title: 'refresh cadence (pipeline weekly-batch)', ... }
 */
export function axisX(axis: SweepAxis, field: string, widthPx: number, spaced = true): Record<string, unknown> {
  const longest = Math.max(...axis.order.map((v) => v.length));
  const fits = axis.order.length * (longest * 7 + 8) <= widthPx;
  // A title wider than the panel would run into the next panel's: in lines that fit (about 6.5 px a character).
  const title = wrapText(axis.label, Math.max(16, Math.floor(widthPx / 6.5)));
  return {
    field,
    type: 'ordinal',
    sort: [...axis.order],
    title: title.length === 1 ? title[0] : title,
    // Categories on a band scale, spaced, so marks offset within a band (xOffset) stay apart.
    ...(axis.kind === 'category' && spaced ? { scale: { type: 'band', paddingInner: 0.25 } } : {}),
    axis: { labelAngle: fits ? 0 : -40, labelLimit: 120 },
  };
}

/**
 * The gap and the served metric against the values of `axis`. Models without a gap at any grid point are
 * named in the subtitle instead of drawn; `note` (the other settings' values, when more than one is swept)
 * goes into the subtitle.
 *
 * @example
 * whatIfChart(table.axes[0], rows, 'ndcg@10', ['weekly-batch', 'streaming-oracle'], ['pop', 'knn'], '')
 */
export function whatIfChart(
  axis: SweepAxis,
  allRows: readonly WhatIfRow[],
  metric: string,
  pipelines: readonly string[],
  allModels: readonly string[],
  note: string,
): TopLevelSpec {
  const models = modelsWithGap(allRows, allModels);
  const flat = allModels.filter((m) => !models.includes(m));
  const rows = allRows.filter((r) => models.includes(r.model));
  const data: Array<Record<string, unknown>> = [];
  const seenFrozen = new Set<string>();
  for (const r of rows) {
    const at = { value: r.value, model: r.model, series: r.pipeline };
    data.push({ ...at, panel: 'gap', mean: r6(r.gap.mean), lo: r6(r.gap.lo), hi: r6(r.gap.hi) });
    data.push({ ...at, panel: 'served', mean: r6(r.served.mean), lo: r6(r.served.lo), hi: r6(r.served.hi) });
    const k = JSON.stringify([r.value, r.model]);
    if (!seenFrozen.has(k)) {
      seenFrozen.add(k);
      data.push({ value: r.value, model: r.model, series: OFFLINE_SERIES, panel: 'frozen', mean: r6(r.frozen), lo: null, hi: null });
    }
  }
  const ordered = axis.kind !== 'category';
  const x = axisX(axis, 'value', PANEL_WIDTH);
  const series = [OFFLINE_SERIES, ...pipelines];
  const color = { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: [COLOR.neutral, ...PALETTE] } };
  // Categories: the pipelines' points side by side within a value's band, so equal scores stay visible.
  const offset = ordered ? {} : { xOffset: { field: 'series', type: 'nominal', sort: series, scale: { domain: series } } };
  const tooltip = [
    { field: 'value', type: 'nominal', title: axis.label },
    { field: 'series', type: 'nominal', title: 'pipeline' },
    { field: 'mean', type: 'quantitative', format: '.4f' },
    { field: 'lo', type: 'quantitative', format: '.4f' },
    { field: 'hi', type: 'quantitative', format: '.4f' },
  ];
  const only = (model: string, panel: string) => [{ filter: { field: 'model', equal: model } }, { filter: { field: 'panel', equal: panel } }];
  const marks = (model: string, panel: string, y: Record<string, unknown>) => [
    {
      transform: only(model, panel),
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: { x, ...offset, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
    },
    {
      transform: only(model, panel),
      mark: ordered ? { type: 'line', point: { filled: true, size: 40 } } : { type: 'point', filled: true, size: 50 },
      encoding: { x, ...offset, y, color, tooltip },
    },
  ];
  const panelOf = (model: string, panel: 'gap' | 'served') => {
    const y = { field: 'mean', type: 'quantitative', title: panel === 'gap' ? GAP_PANEL(metric) : SERVED_PANEL(metric), scale: { zero: true } };
    const layer =
      panel === 'gap'
        ? [{ data: { values: [{}] }, mark: { type: 'rule', color: '#777777', strokeDash: [2, 2] }, encoding: { y: { datum: 0 } } }, ...marks(model, 'gap', y)]
        : [
            ...marks(model, 'served', y),
            // The offline score last, dashed over the served lines: a pipeline that serves it exactly stays visible beneath.
            {
              transform: only(model, 'frozen'),
              mark: ordered ? { type: 'line', strokeDash: [5, 4], point: true } : { type: 'tick', thickness: 2, size: 18 },
              encoding: { x, y, color },
            },
          ];
    return {
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      layer,
    };
  };
  return topLevel(
    {
      data: { values: data },
      vconcat: models.map((model) => ({
        title: { text: model, fontSize: 13, anchor: 'start' },
        hconcat: [panelOf(model, 'gap'), panelOf(model, 'served')],
      })),
    },
    {
      title: wrapText(`What if: the ${metric} gap against ${axis.label}`, 75),
      subtitle: [
        'Left: the gap, offline minus served, paired per request. Right: the served score,',
        'the offline score dashed grey. Bars are bootstrap intervals; each point is a full run',
        'with the same seed (common random numbers).',
        ...wrapText(note),
        ...(flat.length ? wrapText(`No gap at any point, not shown: ${flat.join(', ')}.`) : []),
      ],
    },
  );
}

/** Pipeline colours of the sweep charts, in the order pipelines are listed. */
export const PALETTE = ['#f58518', '#4c78a8', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#ff9da6', '#9d755d', '#eeca3b'];
