// Shared look of every chart: one font family (DejaVu Sans ships with the package so PNGs render the same
// text everywhere; browsers fall back to their sans-serif), white background, titles with subtitles.
import type { Config, TopLevelSpec } from 'vega-lite';

/** Font stack written into the SVG; resvg resolves the first entry from the bundled DejaVu files. */
const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';
const VL_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Width of a single-panel chart in px. */
export const WIDTH = 460;
/** Width of a panel that also carries text labels beside its marks. */
export const WIDE = 640;
/** Widest a chart's plotting area may get so the whole chart fits a 1,240-px report column. */
export const MAX_PLOT_WIDTH = 1080;

/** Fixed colours so the same thing looks the same in every chart. */
export const COLOR = {
  frozen: '#4c78a8',
  served: '#f58518',
  loss: '#e45756',
  gain: '#54a24b',
  total: '#4c78a8',
  neutral: '#9d9d9d',
  range: '#bfd9ef',
} as const;

const config: Config = {
  font: FONT,
  background: 'white',
  padding: 12,
  view: { stroke: '#dddddd' },
  // Every text has a width limit (an ellipsis past it), so no name from a log can widen a chart without bound.
  title: { anchor: 'start', fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555555', offset: 10, limit: MAX_PLOT_WIDTH + 100 },
  text: { limit: 600 },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 220 },
  header: { labelFontSize: 12, titleFontSize: 12, labelLimit: 260 },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260, orient: 'bottom' },
};

/** The chart's title block. */
export interface ChartTitle {
  title: string;
  subtitle?: string[];
}

/**
 * Wrap a chart body with the schema, title and shared config.
 *
 * @example
 * topLevel({ data: { values: [] }, mark: 'point' }, { title: 'Frozen vs served' })
 */
export function topLevel(body: Record<string, unknown>, t: ChartTitle): TopLevelSpec {
  return {
    $schema: VL_SCHEMA,
    title: t.subtitle?.length ? { text: t.title, subtitle: t.subtitle } : { text: t.title },
    ...body,
    config,
  } as TopLevelSpec;
}

/** Row facet headers above each row, left-aligned, instead of rotated at the side. */
export const ROW_HEADER = { labelOrient: 'top', labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelFontWeight: 'bold' } as const;

/** Display label of the frozen view on axes and legends. */
export const OFFLINE_LABEL = 'offline (frozen view)';
