// The report of a sweep: one what-if chart per swept setting (served metric against its values, one line
// per pipeline), the identity trade-off chart when the sweep moves some resolver's precision or recall, a
// page with the charts inline and the full table, and a plain-language summary.md.
import type { OutputFile } from '../results/output.ts';
import type { SweepTable } from '../results/sweep.ts';
import { whatIfChart, type WhatIfRow } from './charts/whatIf.ts';
import { identityTradeoffChart, type TradeoffRow } from './charts/identityTradeoff.ts';
import { renderChart } from './render.ts';
import { escapeHtml, mdCode } from './escape.ts';
import { htmlPage } from './page.ts';
import { fmtInterval, fmtMetric } from './format.ts';
import { namespaceSvgIds } from './html.ts';
import { tableHtml, tableMd, type Table } from './tables.ts';
import { name, toHtml, toMd, type Para } from './prose.ts';
import { reportMsg } from './messages.ts';

/** File stem of the what-if chart of a setting: `what-if-pipelines-0-refresh`. */

const SWEEP_CSS = `body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;max-width:1180px;margin:0 auto;padding:24px;color:#1d1d1d;line-height:1.45}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;background:#f1f1f1;padding:0 3px;border-radius:3px}
table{border-collapse:collapse;font-size:12.5px}th,td{border:1px solid #ddd;padding:4px 8px}th{background:#f3f3f3;text-align:left}
td.num,th.num{text-align:right;white-space:nowrap}figure.chart svg{max-width:100%;height:auto;display:block}figcaption{font-size:12px}figcaption a{margin-right:8px}
.scroll{overflow-x:auto}`;

export function whatIfName(path: string): string {
  return `what-if-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

/** Chart rows for one axis: the other axes' values become the `others` label. */
export function whatIfRows(t: SweepTable, axis: string): WhatIfRow[] {
  const others = t.axes.filter((a) => a.path !== axis);
  return t.rows.map((r) => ({
    value: r.settings[axis],
    others: others.map((a) => `${a.path}=${r.settings[a.path]}`).join('; '),
    model: r.model,
    pipeline: r.pipeline,
    frozen: r.frozen.mean,
    served: r.served,
  }));
}

/** File stem of the identity trade-off chart. */
export const TRADEOFF_NAME = 'identity-tradeoff';

/** `path=value; ...` of a grid point. */
const settingsLabel = (t: SweepTable, settings: Record<string, string>) => t.axes.map((a) => `${a.path}=${settings[a.path]}`).join('; ');

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

/** One sentence per axis, model and pipeline: how the served metric moves across the axis's values. */
function sweepStory(t: SweepTable): Para[] {
  const out: Para[] = [];
  for (const a of t.axes) {
    const others = t.axes.filter((x) => x.path !== a.path);
    // Other axes at their first value, so each sentence reads along one axis.
    const atFirst = t.rows.filter((r) => others.every((o) => r.settings[o.path] === o.values[0]));
    for (const model of t.models) {
      for (const pipeline of t.pipelines) {
        const rs = a.values.map((v) => atFirst.find((r) => r.model === model && r.pipeline === pipeline && r.settings[a.path] === v));
        if (rs.some((r) => !r)) continue;
        const served = rs.map((r) => r!.served.mean);
        if (Math.max(...served) - Math.min(...served) < 5e-5) continue;
        const p: Para = [name(a.path), ': ', name(model), ' under ', name(pipeline), ` serves `];
        rs.forEach((r, i) => p.push(i ? ', ' : '', `${fmtMetric(r!.served.mean)} at `, name(a.values[i])));
        p.push(` (offline ${fmtMetric(rs[0]!.frozen.mean)}${others.length ? `; ${others.map((o) => `${o.path} = ${o.values[0]}`).join(', ')}` : ''}).`);
        out.push(p);
      }
    }
  }
  if (!out.length) out.push(['No swept setting changed any served score by more than 0.00005.']);
  return out;
}

function sweepRowsTable(t: SweepTable): Table {
  const p3 = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  const head = [
    ...t.axes.map((a) => a.path),
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
  const figures: string[] = [];
  const specs = t.axes.map((a) => ({ stem: whatIfName(a.path), spec: whatIfChart(a.path, a.values, whatIfRows(t, a.path), t.metric, t.pipelines, t.models) }));
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
    figures.push(
      `<figure class="chart" id="chart-${stem}">\n${namespaceSvgIds(r.svg, `${stem}-`)}\n<figcaption><a href="charts/${stem}.png">PNG</a> <a href="charts/${stem}.svg">SVG</a> <a href="charts/${stem}.vl.json">Vega-Lite spec</a></figcaption></figure>`,
    );
  }
  const story = [...sweepStory(t), ...tradeoffStory(t, moved)];
  const context: Para = [
    `${t.points.length} runs of `,
    name(t.scenario),
    `, one per combination of ${t.axes.map((a) => `${a.path} (${a.values.length} values)`).join(' x ')}; seed ${t.seed} at every point (common random numbers).`,
    ...(t.fixed.length ? [' Fixed overrides: ', ...t.fixed.flatMap((f, i) => [i ? ', ' : '', name(f)])] : []),
  ];
  const table = sweepRowsTable(t);
  const html = htmlPage({
    title: `recgap sweep: ${t.scenario}`,
    css: SWEEP_CSS,
    body: `<h1>What-if sweep: <code>${escapeHtml(t.scenario)}</code></h1>
<p>${toHtml(context)}</p>
${story.map((p) => `<p>${toHtml(p)}</p>`).join('\n')}
${figures.join('\n')}
<h2>All grid points (${escapeHtml(t.metric)})</h2>
<div class="scroll">${tableHtml(table)}</div>
<p>The same table is in <code>sweep.csv</code> and <code>sweep.json</code> next to this page.</p>`,
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
  ].join('\n');
  files.push({ name: 'report.html', content: html }, { name: 'summary.md', content: md });
  return { files, charts: specs.length, warnings };
}
