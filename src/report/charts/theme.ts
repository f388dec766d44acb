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
  /** One line, or several (long titles wrapped with wrapText). */
  title: string | string[];
  subtitle?: string[];
}

/**
 * Wrap a chart body with the schema, title and shared config.
 *
 * @example
 * topLevel({ data: { values: [] }, mark: 'point' }, { title: 'Frozen vs served' })
 */
export function topLevel(body: Record<string, unknown>, t: ChartTitle): TopLevelSpec {
  const text = Array.isArray(t.title) && t.title.length === 1 ? t.title[0] : t.title;
  return {
    $schema: VL_SCHEMA,
    title: t.subtitle?.length ? { text, subtitle: t.subtitle } : { text },
    ...body,
    config,
  } as TopLevelSpec;
}

/** Row facet headers above each row, left-aligned, instead of rotated at the side. */
export const ROW_HEADER = { labelOrient: 'top', labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelFontWeight: 'bold' } as const;

/** Display label of the frozen view on axes and legends. */
export const OFFLINE_LABEL = 'offline (frozen view)';

/**
 * Break a subtitle or title into lines of at most `max` characters at spaces. Vega sizes a chart by an
 * estimate of its text's width that runs wider than the text, so one long line widens the whole chart.
 *
 * @example
 * wrapText('Other swept settings held at login rate = 0.1, refresh cadence (pipeline weekly-batch) = 1h.', 60)
 * // ['Other swept settings held at login rate = 0.1, refresh', 'cadence (pipeline weekly-batch) = 1h.']
 */
export function wrapText(text: string, max = 90): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
