// report.html: one self-contained page (inline CSS, charts inline as SVG, no script, no external request)
// that opens from the file system on any machine. A Content-Security-Policy forbids scripts and remote
// loads outright, as a second line of defence behind escaping every name.
import type { Results } from '../results/results.ts';
import type { Roi } from './roi.ts';
import type { ChartEntry } from './charts/index.ts';
import type { Narrative } from './narrative.ts';
import { escapeHtml } from './escape.ts';
import { htmlPage } from './page.ts';
import { toHtml, type Para } from './prose.ts';
import { ageFitTable, countsTable, gapTable, measuredTable, pipelineTable, rankingTable, recoveryTable, roiTable, tableHtml } from './tables.ts';
import { reportMsg } from './messages.ts';
import { assumptionsShort } from './business.ts';
import { fmtMoney } from './format.ts';

export interface HtmlInput {
  results: Results;
  roi: Roi;
  story: Narrative;
  charts: ChartEntry[];
  /** SVG text per chart name (charts with a spec). */
  svgs: Map<string, string>;
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #1d1d1d; margin: 0; background: #fafafa; line-height: 1.45; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 60px; background: white; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 36px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.context { color: #555; font-size: 13px; margin-top: 0; }
nav { font-size: 13px; margin: 12px 0 8px; } nav a { margin-right: 12px; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; background: #f1f1f1; padding: 0 3px; border-radius: 3px; }
table { border-collapse: collapse; font-size: 12.5px; margin: 8px 0 16px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; } th { background: #f3f3f3; text-align: left; }
td code { white-space: nowrap; }
p.assume-line { background: #eef5fb; border-left: 4px solid #4c78a8; padding: 6px 12px; font-size: 12.5px; margin-bottom: 4px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; }
figure.chart { margin: 14px 0 22px; } figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 12px; color: #555; } figcaption a { margin-right: 8px; }
.note { background: #fff8e5; border-left: 4px solid #e8b100; padding: 8px 12px; font-size: 13px; }
.money { display: grid; grid-template-columns: minmax(260px, 1fr) 3fr; gap: 18px; align-items: start; }
aside.assumptions { background: #eef5fb; border-left: 4px solid #4c78a8; padding: 8px 12px; font-size: 12.5px; }
aside.assumptions ul { margin: 4px 0; padding-left: 18px; }
.lead { font-size: 15px; }
@media (max-width: 900px) { .money { grid-template-columns: 1fr; } }
`;

/** Give one SVG's ids a prefix so several inline SVGs on one page never share a clip path or gradient. */
export function namespaceSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}${id})`)
    .replace(/(xlink:href|href)="#([^"]+)"/g, (_m, attr: string, id: string) => `${attr}="#${prefix}${id}"`);
}

const paras = (ps: Para[], cls = '') => ps.map((p) => `<p${cls ? ` class="${cls}"` : ''}>${toHtml(p)}</p>`).join('\n');

function figure(c: ChartEntry | undefined, svgs: Map<string, string>): string {
  if (!c) return '';
  const svg = svgs.get(c.name);
  if (!c.spec || !svg) return `<p class="note" id="chart-${c.name}">${escapeHtml(c.note)}</p>`;
  const links = ['png', 'svg', 'vl.json']
    .map((ext) => `<a href="charts/${c.name}.${ext}">${ext === 'vl.json' ? 'Vega-Lite spec' : ext.toUpperCase()}</a>`)
    .join('');
  return `<figure class="chart" id="chart-${c.name}">\n${namespaceSvgIds(svg, `${c.name}-`)}\n<figcaption>${links}</figcaption>\n</figure>`;
}

/**
 * The full HTML page.
 *
 * @example
 * writeFileSync('report.html', reportHtml({ results, roi, story, charts, svgs }));
 */
export function reportHtml(input: HtmlInput): string {
  const { results: r, roi, story, charts, svgs } = input;
  const chart = (name: string) =>
    figure(
      charts.find((c) => c.name === name),
      svgs,
    );
  const title = `recgap report: ${r.scenario.name}`;
  const assumptions = `<aside class="assumptions"><strong>Assumptions behind every money figure</strong><ul>${story.assumptions.map((a) => `<li>${toHtml(a)}</li>`).join('')}</ul>
<p>Δ conversion rate = exposure × incrementality × Δ${escapeHtml(roi.hitKey.replace('hit', 'HR'))}; Δ revenue = sessions × Δ conversion rate × average order value × margin; CAC′/CAC = CR/CR′.</p></aside>`;
  const sections = [
    `<section id="gap"><h2>1. The gap</h2>${paras(story.gap, 'lead')}
${chart('frozen-vs-served')}
<div class="scroll">${tableHtml(gapTable(r))}</div></section>`,
    `<section id="causes"><h2>2. What causes it</h2>${paras(story.causes)}
${chart('gap-decomposition')}
${chart('age-curve')}
<div class="scroll">${tableHtml(ageFitTable(r))}</div>
${chart('identity')}
${chart('conversion-delay')}</section>`,
    `<section id="recovers"><h2>3. What each pipeline change recovers</h2>${story.recovers.length ? `<ul>${story.recovers.map((p) => `<li>${toHtml(p)}</li>`).join('')}</ul>` : '<p>Only one pipeline: nothing to compare.</p>'}
<div class="scroll">${tableHtml(recoveryTable(r))}</div>
<p class="note">${escapeHtml(reportMsg.whatIfHint())}</p></section>`,
    `<section id="worth"><h2>4. What that is worth</h2>
<div class="money">${assumptions}<div>${story.worth.length ? `<ul>${story.worth.map((p) => `<li>${toHtml(p)}</li>`).join('')}</ul>` : ''}</div></div>
${chart('roi')}
<p class="assume-line"><strong>Assumptions for the table below:</strong> ${escapeHtml(assumptionsShort(roi.business))}; differences in served ${escapeHtml(roi.hitKey.replace('hit', 'HR'))} against <code>${escapeHtml(roi.baseline)}</code>, paired; CAC′/CAC = CR/CR′ with acquired traffic fixed, marketing spend ${escapeHtml(fmtMoney(roi.business.marketingSpendPerMonth, roi.business.currency))} per month.</p>
<div class="scroll">${tableHtml(roiTable(roi))}</div>
<h3>Measured vs true conversion rate</h3>${paras(story.measured)}
${tableHtml(measuredTable(roi, r))}</section>`,
    `<section id="models"><h2>5. Model versions offline vs served</h2>${paras(story.models)}
${chart('model-versions')}
<div class="scroll">${tableHtml(rankingTable(r))}</div></section>`,
    `<section id="details"><h2>6. Run details and caveats</h2>
<ul>${story.caveats.map((p) => `<li>${toHtml(p)}</li>`).join('')}</ul>
<div class="scroll">${tableHtml(pipelineTable(r))}</div>
${tableHtml(countsTable(r))}
${r.scenario.description ? `<p>Scenario description: ${escapeHtml(r.scenario.description)}</p>` : ''}
<p>Files next to this page: <code>results.json</code> (every number), <code>requests.csv</code> (per request, paired), <code>summary.md</code>, <code>charts/</code>. Re-render with <code>recgap report &lt;this folder&gt;</code>.</p></section>`,
  ];
  return htmlPage({
    title,
    css: CSS,
    body: `<main>
<h1>Offline vs production: <code>${escapeHtml(r.scenario.name)}</code></h1>
<p class="context">${toHtml(story.context)}</p>
<nav><a href="#gap">The gap</a><a href="#causes">Causes</a><a href="#recovers">Recovery</a><a href="#worth">Worth</a><a href="#models">Model versions</a><a href="#details">Details</a></nav>
${sections.join('\n')}
</main>`,
  });
}
