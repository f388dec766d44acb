// Escaping for every string that comes from a scenario or a log (names, descriptions, paths) before it
// reaches HTML or Markdown. Charts need no help here: Vega escapes text and attributes when it writes SVG.

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape text for HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml('<script>alert(1)</script>') // '&lt;script&gt;alert(1)&lt;/script&gt;'
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * A Markdown code span showing `text` literally (no emphasis, links or raw HTML), on one line.
 * The fence is one backtick longer than the longest backtick run inside.
 *
 * @example
 * mdCode('weekly-batch') // '`weekly-batch`'
 * mdCode('a`b')          // '``a`b``'
 */
export function mdCode(text: string): string {
  const flat = String(text).replace(/[\r\n]+/g, ' ');
  if (flat === '') return '` `';
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Light escaping for authored Markdown text that may carry interpolated values (channel names in a pipeline
 * description, event types, a currency label): raw HTML, emphasis and code markers are neutralized, while
 * brackets, parentheses and signs that read naturally in plain text are kept.
 *
 * @example
 * escapeMdText('recovers 0.05 [0.04, 0.06] (p = 0.01) on <b>') // 'recovers 0.05 [0.04, 0.06] (p = 0.01) on \\<b\\>'
 */
export function escapeMdText(text: string): string {
  return String(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_<>&]/g, (c) => `\\${c}`);
}

/**
 * Escape Markdown punctuation in free text (scenario descriptions) so it renders literally.
 *
 * @example
 * escapeMarkdown('a *b* <i>') // 'a \\*b\\* \\<i\\>'
 */
export function escapeMarkdown(text: string): string {
  return String(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}
