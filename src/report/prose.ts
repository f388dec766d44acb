// Sentences for people, written once and rendered twice (report.html and summary.md). A paragraph is a
// list of parts: authored text, names from the scenario or log (escaped on output, shown as code), and
// emphasis. Names never pass through unescaped, whatever the target.
import { escapeHtml, escapeMdText, mdCode } from './escape.ts';

export type Part = string | { name: string } | { strong: Part[] };
export type Para = Part[];

/** A name from the scenario or the log (model, pipeline, scenario, setting). */
export const name = (text: string): Part => ({ name: text });
/** Emphasized parts. */
export const strong = (...parts: Part[]): Part => ({ strong: parts });

/**
 * Render a paragraph as HTML (authored text and names escaped; names in <code>).
 *
 * @example
 * toHtml(['gap of ', name('<b>')]) // 'gap of <code>&lt;b&gt;</code>'
 */
export function toHtml(p: Para): string {
  return p
    .map((x) => (typeof x === 'string' ? escapeHtml(x) : 'name' in x ? `<code>${escapeHtml(x.name)}</code>` : `<strong>${toHtml(x.strong)}</strong>`))
    .join('');
}

/**
 * Render a paragraph as Markdown (names as code spans, which show any character literally).
 *
 * @example
 * toMd(['gap of ', name('weekly')]) // 'gap of `weekly`'
 */
export function toMd(p: Para): string {
  return p.map((x) => (typeof x === 'string' ? escapeMdText(x) : 'name' in x ? mdCode(x.name) : `**${toMd(x.strong)}**`)).join('');
}

/** Plain text (for chart captions and logs). */
export function toText(p: Para): string {
  return p.map((x) => (typeof x === 'string' ? x : 'name' in x ? x.name : toText(x.strong))).join('');
}
