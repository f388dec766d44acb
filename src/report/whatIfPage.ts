// whatif.html: one self-contained page a reader drives. The Vega-Lite spec of the page (charts/whatIfExplorer.ts)
// is compiled to Vega here, in Node, so the page carries only the Vega runtime (vega's own browser build,
// read from node_modules and inlined) and not the Vega-Lite compiler. One inline script (the runtime and a
// short bootstrap) is allowed by its sha256 hash in the page's Content-Security-Policy; nothing else runs
// and nothing is loaded (default-src 'none'), so the page works from file:// with no network.
//   No 'unsafe-eval': Vega would turn its expressions (filters, scales, encodings) into code with Function();
//   the page parses them to ASTs instead and evaluates them with vega-interpreter, inlined beside the runtime.
// A readout next to the charts gives the chosen point's numbers as text and as data- attributes (exact
// values from sweep.json), built with textContent only: names from a log never become markup.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { SweepTable } from '../results/sweep.ts';
import { html, raw } from './page.ts';
import { WHATIF_CHARTS, paramName, whatIfSpecs } from './charts/whatIfExplorer.ts';
import type { WhatIfDetail } from './whatIfData.ts';
import type { OutputFile } from '../results/output.ts';
import { reportMsg, sweepMsg } from './messages.ts';

/** The size budget of whatif.html in bytes: the Vega runtime is about 0.5 MB, the rest is the grid's data. */
export const WHATIF_MAX_BYTES = 2_000_000;

let runtime: string | null = null;
/** Vega's minified browser build (read once). */
function vegaRuntime(): string {
  if (runtime === null) {
    const module = fileURLToPath(import.meta.resolve('vega'));
    runtime = readFileSync(join(dirname(module), 'vega.min.js'), 'utf8');
  }
  return runtime;
}

let interpreter: string | null = null;
/**
 * vega-interpreter (an ES module importing three vega-util names, which the Vega runtime exposes on its
 * global) as a plain script that sets vega.expressionInterpreter.
 */
function interpreterRuntime(): string {
  if (interpreter === null) {
    const src = readFileSync(fileURLToPath(import.meta.resolve('vega-interpreter')), 'utf8');
    const imports = /^import \{([^}]*)\} from 'vega-util';$/m;
    const exported = /^export \{ expression as expressionInterpreter \};$/m;
    // A release that changes its module shape must fail here, not ship a page that cannot draw.
    if (!imports.test(src) || !exported.test(src)) throw new Error('vega-interpreter: unexpected module shape; update whatIfPage.ts');
    const body = src
      .replace(imports, 'var {$1} = vega;')
      .replace(exported, 'vega.expressionInterpreter = expression;')
      .replace(/^\/\/# sourceMappingURL=.*$/m, '');
    interpreter = `\n(function () {\n${body}\n})();\n`;
  }
  return interpreter;
}

// The page's own code: draw the compiled spec with the controls, and keep the readout in step with them.
// Plain ES2017, no markup from data (textContent and setAttribute only).
const BOOTSTRAP = `
(function () {
  var data = JSON.parse(document.getElementById('whatif-data').textContent);
  var axes = data.axes;
  var view = new vega.View(vega.parse(data.vega, null, { ast: true }), {
    expr: vega.expressionInterpreter, renderer: 'svg', container: '#whatif-view', bind: '#whatif-controls', hover: true
  });
  function fmt(x) { return typeof x === 'number' ? x.toFixed(4) : 'n/a'; }
  function money(x) { return typeof x === 'number' ? Math.round(x).toLocaleString('en-US') : 'n/a'; }
  function cell(tr, text) { var td = document.createElement('td'); td.textContent = text; tr.appendChild(td); return td; }
  function update() {
    var ix = axes.map(function (a, k) { return Number(view.signal('ax' + k)); });
    var point = data.points.filter(function (p) { return p.ix.every(function (v, k) { return v === ix[k]; }); })[0];
    var out = document.getElementById('whatif-readout');
    out.setAttribute('data-point', point ? String(point.point) : '');
    var head = document.getElementById('whatif-point');
    head.textContent = axes.map(function (a, k) { return a.label + ' = ' + a.order[ix[k]]; }).join('; ');
    var labels = document.querySelectorAll('#whatif-controls .whatif-value');
    for (var k = 0; k < labels.length; k++) labels[k].textContent = axes[k].order[ix[k]];
    var body = document.getElementById('whatif-rows');
    while (body.firstChild) body.removeChild(body.firstChild);
    if (!point) return;
    point.rows.forEach(function (r) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-model', r.model);
      tr.setAttribute('data-pipeline', r.pipeline);
      tr.setAttribute('data-frozen', String(r.frozen));
      tr.setAttribute('data-served', String(r.served));
      tr.setAttribute('data-gap', String(r.gap));
      cell(tr, r.model); cell(tr, r.pipeline);
      cell(tr, fmt(r.frozen));
      cell(tr, fmt(r.served) + ' [' + fmt(r.servedLo) + ', ' + fmt(r.servedHi) + ']');
      cell(tr, fmt(r.gap) + ' [' + fmt(r.gapLo) + ', ' + fmt(r.gapHi) + ']');
      cell(tr, r.precision === null ? '-' : fmt(r.precision) + ' / ' + fmt(r.recall));
      cell(tr, r.money === null ? '-' : money(r.money) + (r.net ? ' net' : ''));
      body.appendChild(tr);
    });
  }
  view.runAsync().then(function () {
    var binds = document.querySelectorAll('#whatif-controls .vega-bind');
    for (var k = 0; k < binds.length; k++) {
      var label = document.createElement('output');
      label.className = 'whatif-value';
      binds[k].appendChild(label);
      binds[k].setAttribute('data-axis', axes[k].path);
    }
    axes.forEach(function (a, k) { view.addSignalListener('ax' + k, function () { view.runAsync().then(update); }); });
    update();
    document.body.setAttribute('data-ready', 'true');
  });
})();
`;

const CSS = `body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;max-width:1360px;margin:0 auto;padding:16px 20px;color:#1d1d1d;line-height:1.4}
h1{font-size:22px;margin:4px 0 8px}p.note{font-size:12.5px;color:#444;margin:4px 0}
#whatif-controls{display:flex;flex-wrap:wrap;gap:8px 28px;padding:10px 12px;background:#f6f6f6;border:1px solid #ddd;border-radius:4px;margin:10px 0}
#whatif-controls .vega-bind{display:flex;align-items:center;gap:8px;font-size:13px}#whatif-controls .vega-bind label{display:flex;align-items:center;gap:6px}
#whatif-controls input[type=range]{width:180px}#whatif-controls input[type=range]+span{display:none}
.whatif-value{font-weight:bold;min-width:3em}#whatif-point{font-weight:bold;margin:6px 0}
table{border-collapse:collapse;font-size:12.5px}th,td{border:1px solid #ddd;padding:3px 8px;white-space:nowrap}th{background:#f3f3f3;text-align:left}`;

/** One grid point as the readout reads it: the value indices and the rows at the point. */
interface PagePoint {
  point: number;
  ix: number[];
  rows: Array<Record<string, unknown>>;
}

const num = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

function pagePoints(t: SweepTable, details: readonly WhatIfDetail[]): PagePoint[] {
  return t.points.map((p) => {
    const money = details.find((d) => d.point === p.point)?.money ?? [];
    return {
      point: p.point,
      ix: t.axes.map((a) => a.order.indexOf(p.settings[a.path])),
      rows: t.rows
        .filter((r) => r.point === p.point)
        .map((r) => {
          const m = money.find((x) => x.model === r.model && x.pipeline === r.pipeline);
          return {
            model: r.model,
            pipeline: r.pipeline,
            frozen: num(r.frozen.mean),
            served: num(r.served.mean),
            servedLo: num(r.served.lo),
            servedHi: num(r.served.hi),
            gap: num(r.gap.mean),
            gapLo: num(r.gap.lo),
            gapHi: num(r.gap.hi),
            precision: r.identity ? num(r.identity.pairwisePrecision) : null,
            recall: r.identity ? num(r.identity.pairwiseRecall) : null,
            money: m ? num((m.netPerMonth ?? m.deltaRevenuePerMonth).mean) : null,
            net: m ? m.netPerMonth !== null : false,
          };
        }),
    };
  });
}

/**
 * JSON safe inside a <script type="application/json"> block: no `<` (so no `</script>`), no U+2028/9.
 *
 * @example
 * scriptJson({ name: '</script>' }) // '{"name":"\\u003c/script>"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * `'sha256-<base64>'` of a script or style text, as a CSP source.
 *
 * @example
 * cspHash('') // "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
 */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * whatif.html and its Vega-Lite specs (charts/whatif-*.vl.json), with a warning when the page is over
 * its size budget (WHATIF_MAX_BYTES).
 *
 * @example
 * const { files } = buildWhatIfPage(table, details);
 * files.map((f) => f.name) // ['charts/whatif-served.vl.json', ..., 'whatif.html']
 */
export function buildWhatIfPage(t: SweepTable, details: readonly WhatIfDetail[]): { files: OutputFile[]; bytes: number; warnings: string[] } {
  const initial = t.points[0].settings;
  const specs = whatIfSpecs(t, details, initial);
  // Vega-Lite's warnings go with the sweep's other warnings, not straight to the console.
  const compileWarnings: string[] = [];
  const logger = {
    level: () => logger,
    warn: (...a: unknown[]) => (compileWarnings.push(a.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
    error: (...a: unknown[]) => (compileWarnings.push(a.join(' ')), logger),
  };
  const vega = compile(specs.page as TopLevelSpec, { logger: logger as never }).spec;
  const data = { axes: t.axes.map((a, k) => ({ path: a.path, label: a.label, order: a.order, param: paramName(k) })), points: pagePoints(t, details), vega };
  const script = vegaRuntime() + interpreterRuntime() + BOOTSTRAP;
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    // Vega sets style attributes on what it draws: inline styles stay allowed (they cannot run code).
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>recgap what-if: ${t.scenario}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<h1>What if: <code>${t.scenario}</code></h1>
<p class="note">${t.points.length} runs, one per combination of ${t.axes.map((a) => `${a.label} (${a.order.join(', ')})`).join(' x ')}; seed ${t.seed} at every point. Every number is the chosen grid point's own result; nothing between points is interpolated.</p>
<div id="whatif-controls"></div>
<section id="whatif-readout" data-point="">
<p id="whatif-point"></p>
<table><thead><tr><th>model</th><th>pipeline</th><th>offline ${t.metric}</th><th>served ${t.metric}</th><th>gap</th><th>pairwise precision / recall</th><th>money per month vs ${details[0]?.baseline ?? 'baseline'} (${details[0]?.currency ?? ''})</th></tr></thead><tbody id="whatif-rows"></tbody></table>
</section>
<div id="whatif-view"></div>
<p class="note">The specs are in <code>charts/${WHATIF_CHARTS.page}.vl.json</code> (and one per view); the full table is in <code>sweep.json</code>, each point's results in <code>points/</code>.</p>
<script type="application/json" id="whatif-data">${raw(scriptJson(data))}</script>
<script>${raw(script)}</script>
</body>
</html>
`.text;
  const bytes = Buffer.byteLength(page, 'utf8');
  const warnings = [
    ...compileWarnings.map((w) => reportMsg.renderWarning(WHATIF_CHARTS.page, w)),
    ...(bytes > WHATIF_MAX_BYTES ? [sweepMsg.whatIfTooLarge(bytes, WHATIF_MAX_BYTES)] : []),
  ];
  const files: OutputFile[] = (Object.keys(WHATIF_CHARTS) as Array<keyof typeof WHATIF_CHARTS>).map((k) => ({
    name: `charts/${WHATIF_CHARTS[k]}.vl.json`,
    content: JSON.stringify(specs[k], null, 2) + '\n',
  }));
  files.push({ name: 'whatif.html', content: page });
  return { files, bytes, warnings };
}
