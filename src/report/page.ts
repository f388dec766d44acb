// The HTML page shell every recgap page uses (the run report and the sweep report): self-contained, no
// script, no external request; a Content-Security-Policy forbids scripts and remote loads outright, as a
// second line of defence behind escaping every name. The title is escaped here; `body` is markup the
// caller built with escapeHtml around every piece of text.
import { escapeHtml } from './escape.ts';

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * A complete HTML document.
 *
 * @example
 * htmlPage({ title: 'recgap: quickstart', css: 'body { margin: 0 }', body: '<main>...</main>' })
 */
export function htmlPage(p: { title: string; css: string; body: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${p.css}</style>
</head>
<body>
${p.body}
</body>
</html>
`;
}
