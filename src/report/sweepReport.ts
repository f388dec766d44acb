// The report of a sweep: one what-if chart per swept setting (the gap and the served metric against its
// values, one line per pipeline), with two or more settings the interaction of the first two (a heatmap of
// the gap over both, and the gap against the first coloured by the second), the identity trade-off chart
// when the sweep moves some resolver's precision or recall, a page with the charts inline and the full
// table, and a plain-language summary.md. Settings are named in words (axes[].label), never by config path.
import type { OutputFile } from '../results/output.ts';
import type { SweepAxis, SweepRow, SweepTable } from '../results/sweep.ts';
import { whatIfChart, type WhatIfRow } from './charts/whatIf.ts';
import { interactionHeatmap, interactionLines, type InteractionRow } from './charts/interaction.ts';
import { identityTradeoffChart, type TradeoffRow } from './charts/identityTradeoff.ts';
import { renderChart } from './render.ts';
import { mdCode } from './escape.ts';
import { html, htmlPage, raw, type SafeHtml } from './page.ts';
import { fmtInterval, fmtMetric } from './format.ts';
import { namespaceSvgIds } from './html.ts';
import { tableHtml, tableMd, type Table } from './tables.ts';
import { name, toHtml, toMd, type Para } from './prose.ts';
import { reportMsg, sweepMsg } from './messages.ts';

/** File stem of the what-if chart of a setting: `what-if-pipelines-0-refresh`. */

const SWEEP_CSS = `body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;max-width:1180px;margin:0 auto;padding:24px;color:#1d1d1d;line-height:1.45}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;background:#f1f1f1;padding:0 3px;border-radius:3px}
table{border-collapse:collapse;font-size:12.5px}th,td{border:1px solid #ddd;padding:4px 8px}th{background:#f3f3f3;text-align:left}
td.num,th.num{text-align:right;white-space:nowrap}figure.chart svg{max-width:100%;height:auto;display:block}figcaption{font-size:12px}figcaption a{margin-right:8px}
.scroll{overflow-x:auto}`;

/** A config path as a file-name part: `pipelines.0.refresh` -> `pipelines-0-refresh`. */
function stemOf(path: string): string {
  return path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** File stem of the what-if chart of a setting: `what-if-pipelines-0-refresh`. */
export function whatIfName(path: string): string {
  return `what-if-${stemOf(path)}`;
}

/** File stems of the interaction charts of two settings. */
export function interactionNames(a1: string, a2: string): { heatmap: string; lines: string } {
  return { heatmap: `gap-heatmap-${stemOf(a1)}-x-${stemOf(a2)}`, lines: `gap-lines-${stemOf(a1)}-by-${stemOf(a2)}` };
}

/** Rows of the sweep with every axis but `free` at its first value (the grid's slice along `free`). */
function sliceRows(t: SweepTable, free: readonly string[]): SweepRow[] {
  const held = t.axes.filter((a) => !free.includes(a.path));
  return t.rows.filter((r) => held.every((a) => r.settings[a.path] === a.values[0]));
}

/** The subtitle note of a chart drawn with the other settings held at their first value ('' when none are). */
function heldNote(t: SweepTable, free: readonly string[]): string {
  const held = t.axes.filter((a) => !free.includes(a.path));
  return held.length ? `Other swept settings held at ${held.map((a) => `${a.label} = ${a.values[0]}`).join(', ')}.` : '';
}

/** `label = first value, ...` of held axes. */
function heldList(axes: readonly SweepAxis[]): string {
  return axes.map((a) => `${a.label} held at ${a.values[0]}`).join(', ');
}

/**
 * Chart rows for one axis: the other axes at their first value.
 *
 * @example
 * whatIfChart(t.axes[0], whatIfRows(t, t.axes[0].path), t.metric, t.pipelines, t.models, '')
 */
export function whatIfRows(t: SweepTable, axis: string): WhatIfRow[] {
  return sliceRows(t, [axis]).map((r) => ({
    value: r.settings[axis],
    model: r.model,
    pipeline: r.pipeline,
    frozen: r.frozen.mean,
    served: r.served,
    gap: r.gap,
  }));
}

/**
 * Chart rows for the interaction of the first two axes: any others at their first value.
 *
 * @example
 * interactionHeatmap(t.axes[0], t.axes[1], interactionRows(t), t.metric, t.models, t.pipelines, '')
 */
export function interactionRows(t: SweepTable): InteractionRow[] {
  const [a1, a2] = t.axes;
  return sliceRows(t, [a1.path, a2.path]).map((r) => ({ v1: r.settings[a1.path], v2: r.settings[a2.path], model: r.model, pipeline: r.pipeline, gap: r.gap }));
}

/** File stem of the identity trade-off chart. */
export const TRADEOFF_NAME = 'identity-tradeoff';

/** `label = value; ...` of a grid point. */
const settingsLabel = (t: SweepTable, settings: Record<string, string>) => t.axes.map((a) => `${a.label} = ${settings[a.path]}`).join('; ');

/**
 * Pipelines whose pairwise precision or recall differs between grid points (by more than 0.0005): the
 * sweep moved their resolver, so the served metric can be read against it.
 *
 * @example
 * resolverMoves(thresholdSweep) // ['graph']: key, login and oracle resolve the same at every threshold
 */
export function resolverMoves(t: SweepTable): string[] {
  return t.pipelines.filter((p) => {
    const ids = t.rows.filter((r) => r.pipeline === p && r.identity).map((r) => r.identity!);
    const spread = (f: (q: (typeof ids)[number]) => number) => {
      const v = ids.map(f).filter((x) => Number.isFinite(x));
      return v.length ? Math.max(...v) - Math.min(...v) : 0;
    };
    return spread((q) => q.pairwisePrecision) > 5e-4 || spread((q) => q.pairwiseRecall) > 5e-4;
  });
}

/**
 * Chart rows of the identity trade-off: every row with resolution quality.
 *
 * @example
 * identityTradeoffChart(tradeoffRows(t), t.metric, t.pipelines, t.models, t.axes.length === 1)
 */
export function tradeoffRows(t: SweepTable): TradeoffRow[] {
  return t.rows
    .filter((r) => r.identity)
    .map((r) => ({
      point: r.point,
      settings: settingsLabel(t, r.settings),
      model: r.model,
      pipeline: r.pipeline,
      frozen: r.frozen.mean,
      served: r.served,
      pairwisePrecision: r.identity!.pairwisePrecision,
      pairwiseRecall: r.identity!.pairwiseRecall,
    }));
}

/**
 * One sentence per model and pipeline whose resolver the sweep moved: served metric at each point's
 * pairwise precision and recall, so over-merging and under-merging read side by side.
 */
function tradeoffStory(t: SweepTable, moved: readonly string[]): Para[] {
  const out: Para[] = [];
  const p3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  for (const model of t.models) {
    for (const pipeline of moved) {
      const rs = t.rows.filter((r) => r.model === model && r.pipeline === pipeline && r.identity);
      const served = rs.map((r) => r.served.mean);
      if (rs.length < 2 || Math.max(...served) - Math.min(...served) < 5e-5) continue;
      const p: Para = ['Identity: ', name(model), ' under ', name(pipeline), ' serves '];
      rs.forEach((r, i) =>
        p.push(
          i ? ', ' : '',
          `${fmtMetric(r.served.mean)} at pairwise precision ${p3(r.identity!.pairwisePrecision)} / recall ${p3(r.identity!.pairwiseRecall)} (`,
          name(settingsLabel(t, r.settings)),
          ')',
        ),
      );
      p.push(` (offline ${fmtMetric(rs[0].frozen.mean)}).`);
      out.push(p);
    }
  }
  return out;
}

/**
 * One sentence per axis, model and pipeline: how the gap (with its interval) and the served metric move
 * across the axis's values in plotting order, the other axes at their first value.
 */
function sweepStory(t: SweepTable): Para[] {
  const out: Para[] = [];
  for (const a of t.axes) {
    const rowsAt = sliceRows(t, [a.path]);
    const held = heldNote(t, [a.path]);
    for (const model of t.models) {
      for (const pipeline of t.pipelines) {
        const rs = a.order.map((v) => rowsAt.find((r) => r.model === model && r.pipeline === pipeline && r.settings[a.path] === v));
        if (rs.some((r) => !r)) continue;
        const moves = (f: (r: SweepRow) => number) => Math.max(...rs.map((r) => f(r!))) - Math.min(...rs.map((r) => f(r!))) >= 5e-5;
        if (!moves((r) => r.served.mean) && !moves((r) => r.gap.mean)) continue;
        const p: Para = [`${a.label}: `, name(model), ' under ', name(pipeline), ' loses '];
        rs.forEach((r, i) => p.push(i ? ', ' : '', `${fmtInterval(r!.gap)} at `, name(a.order[i])));
        p.push(` of the offline score; it serves ${rs.map((r) => fmtMetric(r!.served.mean)).join(', ')}`);
        const frozen = [...new Set(rs.map((r) => fmtMetric(r!.frozen.mean)))];
        p.push(` (offline ${frozen.join(', ')}).${held ? ` ${held}` : ''}`);
        out.push(p);
      }
    }
  }
  if (!out.length) out.push(['No swept setting changed any served score or gap by more than 0.00005.']);
  return out;
}

function sweepRowsTable(t: SweepTable): Table {
  const p3 = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  const head = [
    ...t.axes.map((a) => a.label),
    'model',
    'pipeline',
    `frozen ${t.metric}`,
    `served ${t.metric}`,
    'gap',
    'requests',
    'pairwise precision',
    'pairwise recall',
  ];
  const rows = t.rows.map((r) => [
    ...t.axes.map((a) => ({ name: r.settings[a.path] })),
    { name: r.model },
    { name: r.pipeline },
    fmtInterval(r.frozen),
    fmtInterval(r.served),
    fmtInterval(r.gap),
    r.requests.toLocaleString('en-US'),
    r.identity ? p3(r.identity.pairwisePrecision) : '-',
    r.identity ? p3(r.identity.pairwiseRecall) : '-',
  ]);
  return { head, rows, numeric: head.map((_, i) => i >= t.axes.length + 2) };
}

/**
 * What-if charts, report.html and summary.md of a sweep.
 *
 * @example
 * const { files } = await buildSweepReport(table);
 */
export async function buildSweepReport(t: SweepTable): Promise<{ files: OutputFile[]; charts: number; warnings: string[] }> {
  const files: OutputFile[] = [];
  const warnings: string[] = [];
  const figures: SafeHtml[] = [];
  const specs = t.axes.map((a) => ({
    stem: whatIfName(a.path),
    spec: whatIfChart(a, whatIfRows(t, a.path), t.metric, t.pipelines, t.models, heldNote(t, [a.path])),
  }));
  // Two or more settings: how the first two act together, the others held (and said so).
  const pair: Para[] = [];
  if (t.axes.length >= 2) {
    const [a1, a2] = t.axes;
    const stems = interactionNames(a1.path, a2.path);
    const note = heldNote(t, [a1.path, a2.path]);
    const rows = interactionRows(t);
    specs.push(
      { stem: stems.heatmap, spec: interactionHeatmap(a1, a2, rows, t.metric, t.models, t.pipelines, note) },
      { stem: stems.lines, spec: interactionLines(a1, a2, rows, t.metric, t.models, t.pipelines, note) },
    );
    if (t.axes.length > 2) pair.push([sweepMsg.interactionPair(a1.label, a2.label, heldList(t.axes.slice(2)))]);
  }
  // The trade-off needs resolution quality that the sweep actually moved; else it would be a column of dots.
  const moved = resolverMoves(t);
  if (moved.length) specs.push({ stem: TRADEOFF_NAME, spec: identityTradeoffChart(tradeoffRows(t), t.metric, t.pipelines, t.models, t.axes.length === 1) });
  for (const { stem, spec } of specs) {
    const r = await renderChart(spec);
    warnings.push(...r.warnings.map((w) => reportMsg.renderWarning(stem, w)));
    files.push(
      { name: `charts/${stem}.vl.json`, content: JSON.stringify(spec, null, 2) + '\n' },
      { name: `charts/${stem}.svg`, content: r.svg },
      { name: `charts/${stem}.png`, content: r.png },
    );
    // The SVG comes from vega, which escapes its own text and attributes.
    figures.push(
      html`<figure class="chart" id="chart-${stem}">\n${raw(namespaceSvgIds(r.svg, `${stem}-`))}\n<figcaption><a href="charts/${stem}.png">PNG</a> <a href="charts/${stem}.svg">SVG</a> <a href="charts/${stem}.vl.json">Vega-Lite spec</a></figcaption></figure>`,
    );
  }
  const story = [...pair, ...sweepStory(t), ...tradeoffStory(t, moved)];
  const context: Para = [
    `${t.points.length} runs of `,
    name(t.scenario),
    `, one per combination of ${t.axes.map((a) => `${a.label} (${a.values.length} values)`).join(' x ')}; seed ${t.seed} at every point (common random numbers).`,
    ...(t.fixed.length ? [' Fixed overrides: ', ...t.fixed.flatMap((f, i) => [i ? ', ' : '', name(f)])] : []),
  ];
  const table = sweepRowsTable(t);
  const page = htmlPage({
    title: `recgap sweep: ${t.scenario}`,
    css: SWEEP_CSS,
    body: html`<h1>What-if sweep: <code>${t.scenario}</code></h1>
<p>${raw(toHtml(context))}</p>
${story.map((p, i) => html`${i ? '\n' : ''}<p>${raw(toHtml(p))}</p>`)}
${figures.map((f, i) => html`${i ? '\n' : ''}${f}`)}
<h2>All grid points (${t.metric})</h2>
<div class="scroll">${raw(tableHtml(table))}</div>
<p>The same table is in <code>sweep.csv</code> and <code>sweep.json</code> next to this page; each grid point's full results (the <code>results.json</code> a run writes) are in <code>points/</code>.</p>`,
  });
  const md = [
    `# What-if sweep: ${mdCode(t.scenario)}`,
    '',
    toMd(context),
    '',
    ...story.map((p) => `- ${toMd(p)}`),
    '',
    ...specs.map(({ stem }) => `- chart: \`charts/${stem}.png\``),
    '',
    tableMd(table),
    '',
    "Each grid point's full results (the `results.json` a run writes) are in `points/`, named in `sweep.json` (`points[].dir`).",
    '',
  ].join('\n');
  files.push({ name: 'report.html', content: page }, { name: 'summary.md', content: md });
  return { files, charts: specs.length, warnings };
}
