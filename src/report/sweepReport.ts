// The report of a sweep: one what-if chart per swept setting (served metric against its values, one line
// per pipeline), a page with the charts inline and the full table, and a plain-language summary.md.
import type { OutputFile } from '../run/output.ts';
import type { SweepTable } from '../run/sweep.ts';
import { whatIfChart, type WhatIfRow } from './charts/whatIf.ts';
import { renderChart } from './render.ts';
import { escapeHtml, mdCode } from './escape.ts';
import { fmtInterval, fmtMetric } from './format.ts';
import { namespaceSvgIds } from './html.ts';
import { tableHtml, tableMd, type Table } from './tables.ts';
import { name, toHtml, toMd, type Para } from './prose.ts';
import { reportMsg } from './messages.ts';

/** File stem of the what-if chart of a setting: `what-if-pipelines-0-refresh`. */
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
  const head = [...t.axes.map((a) => a.path), 'model', 'pipeline', `frozen ${t.metric}`, `served ${t.metric}`, 'gap', 'requests'];
  const rows = t.rows.map((r) => [
    ...t.axes.map((a) => ({ name: r.settings[a.path] })),
    { name: r.model },
    { name: r.pipeline },
    fmtInterval(r.frozen),
    fmtInterval(r.served),
    fmtInterval(r.gap),
    r.requests.toLocaleString('en-US'),
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
  for (const a of t.axes) {
    const stem = whatIfName(a.path);
    const spec = whatIfChart(a.path, a.values, whatIfRows(t, a.path), t.metric, t.pipelines, t.models);
    const r = await renderChart(spec);
    warnings.push(...r.warnings.map((w) => reportMsg.renderWarning(stem, w)));
    files.push({ name: `charts/${stem}.vl.json`, content: JSON.stringify(spec, null, 2) + '\n' }, { name: `charts/${stem}.svg`, content: r.svg }, { name: `charts/${stem}.png`, content: r.png });
    figures.push(`<figure class="chart" id="chart-${stem}">\n${namespaceSvgIds(r.svg, `${stem}-`)}\n<figcaption><a href="charts/${stem}.png">PNG</a> <a href="charts/${stem}.svg">SVG</a> <a href="charts/${stem}.vl.json">Vega-Lite spec</a></figcaption></figure>`);
  }
  const story = sweepStory(t);
  const context: Para = [
    `${t.points.length} runs of `,
    name(t.scenario),
    `, one per combination of ${t.axes.map((a) => `${a.path} (${a.values.length} values)`).join(' x ')}; seed ${t.seed} at every point (common random numbers).`,
    ...(t.fixed.length ? [' Fixed overrides: ', ...t.fixed.flatMap((f, i) => [i ? ', ' : '', name(f)])] : []),
  ];
  const table = sweepRowsTable(t);
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<title>${escapeHtml(`recgap sweep: ${t.scenario}`)}</title>
<style>body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;max-width:1180px;margin:0 auto;padding:24px;color:#1d1d1d;line-height:1.45}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;background:#f1f1f1;padding:0 3px;border-radius:3px}
table{border-collapse:collapse;font-size:12.5px}th,td{border:1px solid #ddd;padding:4px 8px}th{background:#f3f3f3;text-align:left}
td.num,th.num{text-align:right;white-space:nowrap}figure.chart svg{max-width:100%;height:auto;display:block}figcaption{font-size:12px}figcaption a{margin-right:8px}
.scroll{overflow-x:auto}</style></head>
<body><h1>What-if sweep: <code>${escapeHtml(t.scenario)}</code></h1>
<p>${toHtml(context)}</p>
${story.map((p) => `<p>${toHtml(p)}</p>`).join('\n')}
${figures.join('\n')}
<h2>All grid points (${escapeHtml(t.metric)})</h2>
<div class="scroll">${tableHtml(table)}</div>
<p>The same table is in <code>sweep.csv</code> and <code>sweep.json</code> next to this page.</p>
</body></html>
`;
  const md = [
    `# What-if sweep: ${mdCode(t.scenario)}`,
    '',
    toMd(context),
    '',
    ...story.map((p) => `- ${toMd(p)}`),
    '',
    ...t.axes.map((a) => `- chart: \`charts/${whatIfName(a.path)}.png\``),
    '',
    tableMd(table),
    '',
  ].join('\n');
  files.push({ name: 'report.html', content: html }, { name: 'summary.md', content: md });
  return { files, charts: t.axes.length, warnings };
}
