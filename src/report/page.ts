// The HTML page shell every recgap page uses (the run report and the sweep report), and the auto-escaping
// template the pages are written in: self-contained, no script, no external request; a
// Content-Security-Policy forbids scripts and remote loads outright, as a second line of defence behind
// escaping every interpolated value.
import { escapeHtml } from './escape.ts';

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * A complete HTML document.
 *
 * @example
 * htmlPage({ title: 'recgap: quickstart', css: 'body { margin: 0 }', body: html`<main>${text}</main>` })
 */
export function htmlPage(p: { title: string; css: string; body: SafeHtml }): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${raw(PAGE_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title}</title>
<style>${raw(p.css)}</style>
</head>
<body>
${p.body}
</body>
</html>
`.text;
}

/** Markup that is already safe: built by `html`, or trusted output of another renderer (an SVG, a table). */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/**
 * The auto-escaping template for every recgap page: interpolated values are HTML-escaped unless they are
 * SafeHtml; arrays are joined without separators; null, undefined and false render nothing.
 *
 * @example
 * html`<p>${'a < b'}</p>`.text            // '<p>a &lt; b</p>'
 * html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/**
 * Trusted markup from another renderer, inserted as it is (an SVG from vega, a table or paragraph that
 * escapes its own text).
 *
 * @example
 * html`<figure>${raw(svg)}</figure>`
 */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(v: unknown): string {
  if (v instanceof SafeHtml) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}
