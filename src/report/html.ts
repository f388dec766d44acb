// report.html: one self-contained page (inline CSS, charts inline as SVG, no script, no external request)
// that opens from the file system on any machine. A Content-Security-Policy forbids scripts and remote
// loads outright, as a second line of defence behind escaping every name.
import type { Results } from '../results/results.ts';
import type { Roi } from './roi.ts';
import type { ChartEntry } from './charts/index.ts';
import type { Narrative } from './narrative.ts';
import { html, htmlPage, raw, type SafeHtml } from './page.ts';
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
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } th.num { text-align: right; }
td.num .ci { display: block; color: #666; font-size: 11px; }
.scroll { overflow-x: auto; }
figure.chart { margin: 14px 0 22px; } figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 12px; color: #555; } figcaption a { margin-right: 8px; }
.note { background: #fff8e5; border-left: 4px solid #e8b100; padding: 8px 12px; font-size: 13px; }
.money { display: grid; grid-template-columns: minmax(260px, 1fr) 3fr; gap: 18px; align-items: start; }
aside.assumptions { background: #eef5fb; border-left: 4px solid #4c78a8; padding: 8px 12px; font-size: 12.5px; }
aside.assumptions ul { margin: 4px 0; padding-left: 18px; }
.lead { font-size: 15px; }
.first { background: #f4f8fc; border-left: 4px solid #4c78a8; padding: 4px 14px; margin: 10px 0 4px; }
@media (max-width: 900px) { .money { grid-template-columns: 1fr; } }
`;

/** Give one SVG's ids a prefix so several inline SVGs on one page never share a clip path or gradient. */
export function namespaceSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}${id})`)
    .replace(/(xlink:href|href)="#([^"]+)"/g, (_m, attr: string, id: string) => `${attr}="#${prefix}${id}"`);
}

const paras = (ps: Para[], cls = ''): SafeHtml[] => ps.map((p, i) => html`${i ? '\n' : ''}<p${cls ? html` class="${cls}"` : ''}>${raw(toHtml(p))}</p>`);
const items = (ps: Para[]): SafeHtml[] => ps.map((p) => html`<li>${raw(toHtml(p))}</li>`);
const table = (t: Parameters<typeof tableHtml>[0]): SafeHtml => raw(tableHtml(t));

function figure(c: ChartEntry | undefined, svgs: Map<string, string>): SafeHtml {
  if (!c) return html``;
  const svg = svgs.get(c.name);
  if (!c.spec || !svg) return html`<p class="note" id="chart-${c.name}">${c.note}</p>`;
  const links = ['png', 'svg', 'vl.json'].map((ext) => html`<a href="charts/${c.name}.${ext}">${ext === 'vl.json' ? 'Vega-Lite spec' : ext.toUpperCase()}</a>`);
  // The SVG comes from vega, which escapes its own text and attributes.
  return html`<figure class="chart" id="chart-${c.name}">\n${raw(namespaceSvgIds(svg, `${c.name}-`))}\n<figcaption>${links}</figcaption>\n</figure>`;
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
  const hr = roi.hitKey.replace('hit', 'HR');
  const assumptions = html`<aside class="assumptions"><strong>Assumptions behind every money figure</strong><ul>${items(story.assumptions)}</ul>
<p>Δ conversion rate = exposure × incrementality × Δ${hr}; Δ revenue = sessions × Δ conversion rate × average order value × margin; CAC′/CAC = CR/CR′.</p></aside>`;
  const sections = [
    html`<section id="gap"><h2>1. The gap</h2>${paras(story.gap, 'lead')}
${chart('frozen-vs-served')}
<div class="scroll">${table(gapTable(r))}</div></section>`,
    html`<section id="causes"><h2>2. What causes it</h2>${paras(story.causes)}
${chart('gap-decomposition')}
${chart('age-curve')}
<div class="scroll">${table(ageFitTable(r))}</div>
${chart('identity')}
${chart('conversion-delay')}</section>`,
    html`<section id="recovers"><h2>3. What each pipeline change recovers</h2>${story.recovers.length ? html`<ul>${items(story.recovers)}</ul>` : html`<p>Only one pipeline: nothing to compare.</p>`}
<div class="scroll">${table(recoveryTable(r))}</div>
<p class="note">${reportMsg.whatIfHint()}</p></section>`,
    html`<section id="worth"><h2>4. What that is worth</h2>
<div class="money">${assumptions}<div>${story.worth.length ? html`<ul>${items(story.worth)}</ul>` : ''}</div></div>
${chart('roi')}
<p class="assume-line"><strong>Assumptions for the table below:</strong> ${assumptionsShort(roi.business)}; differences in served ${hr} against <code>${roi.baseline}</code>, paired; CAC′/CAC = CR/CR′ with acquired traffic fixed, marketing spend ${fmtMoney(roi.business.marketingSpendPerMonth, roi.business.currency)} per month.</p>
<div class="scroll">${table(roiTable(roi))}</div>
<h3>Measured vs true conversion rate</h3>${paras(story.measured)}
${table(measuredTable(roi, r))}</section>`,
    html`<section id="models"><h2>5. Model versions offline vs served</h2>${paras(story.models)}
${chart('model-versions')}
<div class="scroll">${table(rankingTable(r))}</div></section>`,
    html`<section id="details"><h2>6. Run details and caveats</h2>
<ul>${items(story.caveats)}</ul>
<div class="scroll">${table(pipelineTable(r))}</div>
${table(countsTable(r))}
${r.scenario.description ? html`<p>Scenario description: ${r.scenario.description}</p>` : ''}
<p>Files next to this page: <code>results.json</code> (every number), <code>requests.csv</code> (per request, paired), <code>summary.md</code>, <code>charts/</code>. Re-render with <code>recgap report &lt;this folder&gt;</code>.</p></section>`,
  ];
  return htmlPage({
    title,
    css: CSS,
    body: html`<main>
<h1>Offline vs production: <code>${r.scenario.name}</code></h1>
<p class="context">${raw(toHtml(story.context))}</p>
${story.first.length ? html`<div class="first">${paras(story.first, 'lead')}</div>` : ''}
<nav><a href="#gap">The gap</a><a href="#causes">Causes</a><a href="#recovers">Recovery</a><a href="#worth">Worth</a><a href="#models">Model versions</a><a href="#details">Details</a></nav>
${sections.map((x, i) => html`${i ? '\n' : ''}${x}`)}
</main>`,
  });
}
