// How two swept settings act together on the gap: a heatmap of the gap over setting 1 x setting 2, and
// lines of the gap against setting 1 coloured by setting 2 with their intervals, a panel per model and
// pipeline, wrapped so no chart is wider than MAX_CHART_WIDTH.
import type { TopLevelSpec } from 'vega-lite';
import type { SweepAxis } from '../../results/sweep.ts';
import type { Interval } from '../../stats/bootstrap.ts';
import { r6 } from '../format.ts';
import { topLevel, wrapText } from './theme.ts';
import { axisX, MAX_CHART_WIDTH, PALETTE } from './whatIf.ts';

/** One sweep row at a value of each of the two settings. */
export interface InteractionRow {
  v1: string;
  v2: string;
  model: string;
  pipeline: string;
  gap: Interval;
}

/** Colours of an ordered second setting, light to dark (a categorical one takes the pipeline palette). */
const ORDERED_RANGE = ['#9ecae9', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b', '#041d42'];

/** Panels: every model x pipeline whose gap is not zero everywhere; and those left out. */
function panelsOf(rows: readonly InteractionRow[], models: readonly string[], pipelines: readonly string[]) {
  const shown: string[] = [];
  const zero: string[] = [];
  for (const model of models) {
    for (const pipeline of pipelines) {
      const own = rows.filter((r) => r.model === model && r.pipeline === pipeline);
      if (!own.length) continue;
      (own.some((r) => Math.abs(r.gap.mean) >= 5e-7) ? shown : zero).push(`${model} · ${pipeline}`);
    }
  }
  // One datum per grid cell of a shown panel, the gap with its interval.
  const data = rows
    .filter((r) => shown.includes(`${r.model} · ${r.pipeline}`))
    .map((r) => ({ panel: `${r.model} · ${r.pipeline}`, v1: r.v1, v2: r.v2, gap: r6(r.gap.mean), lo: r6(r.gap.lo), hi: r6(r.gap.hi) }));
  return { shown, zero, data };
}

/**
 * Facet columns so that panels of `panelPx` (plus axes) stay within the chart width: one per pipeline
 * (a row per model) when they fit, else as many as fit.
 */
function columnsFor(panels: readonly string[], panelPx: number): number {
  const fit = Math.max(1, Math.floor((MAX_CHART_WIDTH - 100) / (panelPx + 70)));
  const pipelines = new Set(panels.map((p) => p.slice(p.indexOf(' · ') + 3))).size;
  return Math.min(panels.length, pipelines <= fit ? pipelines : fit);
}

function subtitleOf(lead: string[], note: string, zero: readonly string[]): string[] {
  return [...lead, ...wrapText(note), ...(zero.length ? wrapText(`No gap at any point, not shown: ${zero.join(', ')}.`) : [])];
}

/**
 * Heatmap of the gap (offline minus served) over two settings, a panel per model and pipeline, each cell
 * labelled with its value; one colour scale for all panels.
 *
 * @example
 * interactionHeatmap(axes[0], axes[1], rows, 'ndcg@10', ['knn'], ['weekly-batch'], '')
 */
export function interactionHeatmap(
  a1: SweepAxis,
  a2: SweepAxis,
  rows: readonly InteractionRow[],
  metric: string,
  models: readonly string[],
  pipelines: readonly string[],
  note: string,
): TopLevelSpec {
  const { shown, zero, data } = panelsOf(rows, models, pipelines);
  const gaps = data.map((d) => d.gap ?? 0);
  const [min, max] = [Math.min(0, ...gaps), Math.max(0, ...gaps)];
  const cellW = Math.max(34, Math.min(64, Math.floor(360 / a1.order.length)));
  const width = Math.max(120, cellW * a1.order.length);
  const height = Math.max(90, 26 * a2.order.length);
  // Gaps of both signs diverge from white at zero; gaps of one sign run from white up.
  const scale = min < 0 ? { scheme: 'redblue', domainMid: 0, reverse: true } : { scheme: 'oranges', domain: [0, max || 1] };
  const mid = (min < 0 ? Math.max(-min, max) : max) * 0.6;
  return topLevel(
    {
      data: { values: data },
      facet: { field: 'panel', type: 'nominal', title: null, sort: shown, header: { labelFontWeight: 'bold', labelAnchor: 'start', labelOrient: 'top' } },
      columns: columnsFor(shown, width),
      spec: {
        width,
        height,
        layer: [
          {
            mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
            encoding: {
              x: axisX(a1, 'v1', width, false),
              // A long label in lines no taller than the panel: a longer title would pad the chart above and below.
              y: { field: 'v2', type: 'ordinal', sort: [...a2.order], title: wrapText(a2.label, Math.max(12, Math.floor(height / 8))) },
              color: { field: 'gap', type: 'quantitative', title: `gap in ${metric}`, scale },
              tooltip: [
                { field: 'v1', type: 'nominal', title: a1.label },
                { field: 'v2', type: 'nominal', title: a2.label },
                { field: 'gap', type: 'quantitative', format: '.4f' },
                { field: 'lo', type: 'quantitative', format: '.4f' },
                { field: 'hi', type: 'quantitative', format: '.4f' },
              ],
            },
          },
          {
            mark: { type: 'text', fontSize: 10 },
            encoding: {
              x: { field: 'v1', type: 'ordinal', sort: [...a1.order] },
              y: { field: 'v2', type: 'ordinal', sort: [...a2.order] },
              text: { field: 'gap', type: 'quantitative', format: '.3f' },
              color: { condition: { test: `abs(datum.gap) > ${r6(mid)}`, value: 'white' }, value: '#1d1d1d' },
            },
          },
        ],
      },
    },
    {
      title: wrapText(`What if: the ${metric} gap over ${a1.label} and ${a2.label}`, 75),
      subtitle: subtitleOf(
        ['Offline minus served, per model and pipeline; each cell is a full run', 'with the same seed (common random numbers).'],
        note,
        zero,
      ),
    },
  );
}

/**
 * The gap against the first setting with its paired interval, a line per value of the second, a panel
 * per model and pipeline: parallel lines mean the settings act separately, converging or crossing lines
 * that one changes what the other is worth.
 *
 * @example
 * interactionLines(axes[0], axes[1], rows, 'ndcg@10', ['knn'], ['weekly-batch'], '')
 */
export function interactionLines(
  a1: SweepAxis,
  a2: SweepAxis,
  rows: readonly InteractionRow[],
  metric: string,
  models: readonly string[],
  pipelines: readonly string[],
  note: string,
): TopLevelSpec {
  const { shown, zero, data } = panelsOf(rows, models, pipelines);
  // One panel per pipeline in a row when they fit at 180 px or more.
  const pipelinesShown = new Set(shown.map((p) => p.slice(p.indexOf(' · ') + 3))).size;
  const width = Math.max(180, Math.min(260, Math.floor((MAX_CHART_WIDTH - 100) / Math.max(1, pipelinesShown)) - 70));
  const ordered = a1.kind !== 'category';
  const x = axisX(a1, 'v1', width);
  const range = a2.kind === 'category' ? PALETTE : spread(ORDERED_RANGE, a2.order.length);
  const color = { field: 'v2', type: 'nominal', title: a2.label, sort: [...a2.order], scale: { domain: [...a2.order], range }, legend: { titleLimit: 600 } };
  const offset = ordered ? {} : { xOffset: { field: 'v2', type: 'nominal', sort: [...a2.order], scale: { domain: [...a2.order] } } };
  const y = { field: 'gap', type: 'quantitative', title: `gap in ${metric}`, scale: { zero: true } };
  return topLevel(
    {
      data: { values: data },
      facet: { field: 'panel', type: 'nominal', title: null, sort: shown, header: { labelFontWeight: 'bold', labelAnchor: 'start', labelOrient: 'top' } },
      columns: columnsFor(shown, width),
      spec: {
        width,
        height: 170,
        layer: [
          {
            mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.7 },
            encoding: { x, ...offset, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
          },
          {
            mark: ordered ? { type: 'line', point: { filled: true, size: 36 } } : { type: 'point', filled: true, size: 46 },
            encoding: {
              x,
              ...offset,
              y,
              color,
              tooltip: [
                { field: 'v1', type: 'nominal', title: a1.label },
                { field: 'v2', type: 'nominal', title: a2.label },
                { field: 'gap', type: 'quantitative', title: 'gap', format: '.4f' },
              ],
            },
          },
        ],
      },
    },
    {
      title: wrapText(`What if: the ${metric} gap against ${a1.label}, by ${a2.label}`, 75),
      subtitle: subtitleOf(
        [
          'Offline minus served, paired per request, with bootstrap intervals; a line per value',
          'of the second setting. Parallel lines: the settings act separately.',
        ],
        note,
        zero,
      ),
    },
  );
}

/** `n` colours taken evenly from `range` (all of it when n is larger). */
function spread(range: readonly string[], n: number): string[] {
  if (n >= range.length) return [...range];
  if (n <= 1) return [range[range.length - 2]];
  return Array.from({ length: n }, (_, i) => range[Math.round((i * (range.length - 1)) / (n - 1))]);
}
