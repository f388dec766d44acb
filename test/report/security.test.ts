// Issue #8 item 4: every string a user or a log controls reaches report.html, the chart SVGs and summary.md as
// text, never as markup. escape.test.ts covers pipeline and model names; this file plants hostile text in the
// other user-controlled strings (scenario name and description, positives, pipeline channels, currency,
// pipeline descriptions) all at once, including quotes and ampersands that could break out of attributes.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.ts';
import { HOSTILE, HOSTILE_MODEL, loadFixture, renamed } from './helpers.ts';

/** Breaks out of a double- or single-quoted attribute, then opens an element with a handler. */
const QUOTES = `"'&<svg onload=alert(3)>`;
const QUOTES_HTML = '&quot;&#39;&amp;&lt;svg onload=alert(3)&gt;';
const SCRIPT_HTML = '&lt;script&gt;alert(1)&lt;/script&gt;';

describe('hostile scenario strings in the report', async () => {
  const fx = renamed(loadFixture(), { pipelines: { 'weekly-batch': QUOTES, 'daily-stitched': HOSTILE }, models: { knn: HOSTILE_MODEL } });
  const r = fx.results;
  // What a crafted results.json (recgap report reads one from disk) or a scenario can carry.
  r.scenario.name = HOSTILE;
  r.scenario.description = `${QUOTES} ${HOSTILE}`;
  r.scenario.eval.positives = [HOSTILE];
  r.config.positives = [HOSTILE];
  r.scenario.business.currency = QUOTES;
  const silo = r.pipelines.find((p) => p.channels !== 'all');
  for (const p of r.pipelines) {
    p.description = `${p.description} ${QUOTES}`;
    if (p === silo) p.channels = [HOSTILE, QUOTES];
  }
  const out = await buildReport({ results: r, requestsCsv: fx.requestsCsv, audit: fx.audit });
  const text = (name: string): string => {
    const f = out.files.find((x) => x.name === name);
    if (!f) throw new Error(`no ${name}`);
    return typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content);
  };
  const svgs = out.files.filter((f) => f.name.endsWith('.svg')).map((f) => f.name);

  /** No element or handler that the hostile strings could have opened. */
  const expectInert = (markup: string) => {
    expect(markup).not.toMatch(/<script/i);
    expect(markup).not.toMatch(/<svg onload/i);
    expect(markup).not.toMatch(/<img/i);
    // Event-handler attributes on any tag, once quoted attribute values (where escaped text may say "onload=") are blanked.
    expect(markup.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[^>]*\son\w+\s*=/i);
  };

  it('report.html shows the scenario name, description, positives, channels and currency escaped', () => {
    const html = text('report.html');
    expectInert(html);
    expect(html).toContain(`<title>recgap report: ${SCRIPT_HTML}</title>`);
    expect(html).toContain(`<h1>Offline vs production: <code>${SCRIPT_HTML}</code></h1>`);
    expect(html).toContain(`Scenario description: ${QUOTES_HTML} ${SCRIPT_HTML}`);
    expect(html).toContain(QUOTES_HTML);
    // Still a strict page: nothing runs even if markup slipped through.
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
  });

  it('charts exist and every SVG shows the names as escaped text', () => {
    expect(svgs.length).toBeGreaterThan(3);
    for (const name of svgs) expectInert(text(name));
    const all = svgs.map(text).join('\n');
    expect(all).toContain(SCRIPT_HTML);
    // Vega writes the quote as &quot; in text; the apostrophe may stay literal, which is harmless in element content.
    expect(all).toMatch(/&quot;(&#39;|')&amp;&lt;svg onload=alert\(3\)&gt;/);
  });

  it('summary.md shows names as code spans and escapes the rest (no unescaped tag outside code spans)', () => {
    const md = text('summary.md');
    expect(md).toContain('`<script>alert(1)</script>`');
    // Positives, channels and currency sit in prose, backslash-escaped: CommonMark renders \< as a literal <.
    expect(md).toContain('positives \\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('"\'\\&\\<svg onload=alert(3)\\>');
    expect(md.replace(/`[^`\n]*`/g, '')).not.toMatch(/(^|[^\\])<[a-z/]/im);
  });

  it('no other written text file carries raw markup from the hostile names', () => {
    for (const f of out.files) {
      if (typeof f.content !== 'string' || f.name.endsWith('.json') || f.name.endsWith('.md')) continue;
      expectInert(f.content);
    }
  });
});
