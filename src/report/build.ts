// A run's report files from its results. Stages:
//   1. money: business assumptions + paired ΔHR@K from requests.parquet (or .csv) -> ROI per model x pipeline
//   2. specs: one Vega-Lite spec per chart (or a note when its data is missing)
//   3. render: spec -> SVG (Vega, headless) -> PNG (resvg with the bundled fonts)
//   4. pages: report.html (charts inline) and summary.md from the same sentences
import type { Results } from '../results/results.ts';
import type { OutputFile } from '../results/output.ts';
import { computeRoi, roiColumns, type Roi } from './roi.ts';
import { parseRequestColumns, type RequestColumns } from './requestColumns.ts';
import { runCharts, type ChartEntry } from './charts/index.ts';
import { windowDataOf, windowUnknownReason } from './charts/conversionDelay.ts';
import { renderPngAsync, renderSvg } from './render.ts';
import { narrative } from './narrative.ts';
import { reportHtml } from './html.ts';
import { summaryMarkdown } from './summaryMd.ts';
import { reportMsg } from './messages.ts';

/** Files and folders of a run directory that belong to the report (replaced when re-rendering). */
export const REPORT_FILES = ['report.html', 'summary.md', 'charts'] as const;

export interface ReportInput {
  results: Results;
  /** requests.csv text (for paired intervals of money figures); null when absent. */
  requestsCsv: string | null;
  /**
   * The same columns at full precision, read from requests.parquet (readRequestsParquet with roiColumns);
   * used instead of requestsCsv when given.
   */
  requestColumns?: RequestColumns | null;
  /** An audit report (`{ checks: [...] }`, as `recgap audit --json` writes it), for check 04's chart. */
  audit: unknown | null;
  /** Threads the money intervals' bootstrap may use (default 1); the report is the same for any count. */
  threads?: number;
}

export interface ReportOutput {
  files: OutputFile[];
  roi: Roi;
  charts: ChartEntry[];
  /** Rendering warnings and notes worth printing (expected: none). */
  warnings: string[];
  timingsMs: Record<string, number>;
}

/**
 * Build every report file of a run (paths relative to the run folder).
 *
 * @example
 * const { files } = await buildReport({ results, requestsCsv: csv, audit: null });
 * writeAtomically('reports', 'quickstart', [...runFiles, ...files]);
 */
export async function buildReport(input: ReportInput): Promise<ReportOutput> {
  const timingsMs: Record<string, number> = {};
  const time = async <T>(stage: string, f: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      timingsMs[stage] = performance.now() - t0;
    }
  };
  const { results } = input;
  const warnings: string[] = [];

  // 1. Money.
  const roi = await time('roi', () => {
    const table = input.requestColumns ?? (input.requestsCsv ? parseRequestColumns(input.requestsCsv, roiColumns(results)) : null);
    const out = computeRoi(results, table, { threads: input.threads });
    if (out.intervals === 'none' && results.config.bootstrap > 0) warnings.push(reportMsg.noRequestsCsv());
    return out;
  });

  // 2. Specs.
  const charts = await time('specs', () =>
    runCharts({ results, roi, window: input.audit ? windowDataOf(input.audit) : null, windowUnknown: input.audit ? windowUnknownReason(input.audit) : null }),
  );

  // 3. Render.
  const files: OutputFile[] = [];
  const svgs = new Map<string, string>();
  await time('render', async () => {
    // SVG layout runs on this thread; each PNG rasterizes on resvg's threads while the next chart is laid out.
    const pngs: Array<Promise<Uint8Array>> = [];
    const drawn: ChartEntry[] = [];
    for (const c of charts) {
      if (!c.spec) continue;
      const { svg, warnings: w } = await renderSvg(c.spec);
      warnings.push(...w.map((x) => reportMsg.renderWarning(c.name, x)));
      svgs.set(c.name, svg);
      pngs.push(renderPngAsync(svg));
      drawn.push(c);
    }
    const done = await Promise.all(pngs);
    drawn.forEach((c, i) => {
      files.push({ name: `charts/${c.name}.vl.json`, content: JSON.stringify(c.spec, null, 2) + '\n' });
      files.push({ name: `charts/${c.name}.svg`, content: svgs.get(c.name)! });
      files.push({ name: `charts/${c.name}.png`, content: done[i] });
    });
  });

  // 4. Pages.
  await time('pages', () => {
    const story = narrative(results, roi);
    files.push({ name: 'report.html', content: reportHtml({ results, roi, story, charts, svgs }) });
    files.push({ name: 'summary.md', content: summaryMarkdown({ results, roi, story, charts }) });
  });
  return { files, roi, charts, warnings, timingsMs };
}
