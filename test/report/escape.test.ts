import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, mdCode } from '../../src/report/escape.ts';
import { buildReport } from '../../src/report/build.ts';
import { namespaceSvgIds } from '../../src/report/html.ts';
import { loadFixture, renamed, HOSTILE, HOSTILE_MODEL } from './helpers.ts';

describe('escaping helpers', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`a"b'c&d`, 'a&quot;b&#39;c&amp;d'],
    ['plain', 'plain'],
  ])('escapeHtml(%j)', (input, out) => expect(escapeHtml(input)).toBe(out));

  it.each([
    ['weekly-batch', '`weekly-batch`'],
    ['a`b', '``a`b``'],
    ['`x`', '`` `x` ``'],
    ['two\nlines', '`two lines`'],
    ['', '` `'],
  ])('mdCode(%j)', (input, out) => expect(mdCode(input)).toBe(out));

  it('escapeMarkdown backslash-escapes markup', () => {
    expect(escapeMarkdown('a *b* <i>[x](y)')).toBe('a \\*b\\* \\<i\\>\\[x\\]\\(y\\)');
  });

  it('namespaceSvgIds prefixes ids and every reference to them', () => {
    const svg = '<svg><clipPath id="clip1"><rect/></clipPath><g clip-path="url(#clip1)"/><use href="#clip1"/><use xlink:href="#clip1"/></svg>';
    expect(namespaceSvgIds(svg, 'roi-')).toBe(
      '<svg><clipPath id="roi-clip1"><rect/></clipPath><g clip-path="url(#roi-clip1)"/><use href="#roi-clip1"/><use xlink:href="#roi-clip1"/></svg>',
    );
  });
});

describe('names from the scenario are shown as text, never as markup', async () => {
  const fx = renamed(loadFixture(), { pipelines: { 'weekly-batch': HOSTILE }, models: { knn: HOSTILE_MODEL } });
  const out = await buildReport({ results: fx.results, requestsCsv: fx.requestsCsv, audit: fx.audit });
  const file = (name: string) => {
    const f = out.files.find((x) => x.name === name);
    if (!f) throw new Error(`no ${name}`);
    return typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content);
  };

  it('the report still has paired money intervals after renaming (requests.csv columns follow the names)', () => {
    expect(out.roi.intervals).toBe('paired');
    expect(out.warnings).toEqual([]);
  });

  it('report.html contains the names escaped and no script or injected element', () => {
    const html = file('report.html');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('k&quot;n&amp;n&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
  });

  it.each(['frozen-vs-served', 'gap-decomposition', 'age-curve', 'identity', 'roi', 'model-versions'])(
    'charts/%s.svg shows the names as escaped text',
    (name) => {
      const svg = file(`charts/${name}.svg`);
      expect(svg).not.toMatch(/<script/i);
      expect(svg).not.toContain('<img');
      expect(svg).toMatch(/&lt;script&gt;|k&quot;n&amp;n&lt;img/);
    },
  );

  it('summary.md shows names as code spans', () => {
    const md = file('summary.md');
    expect(md).toContain('`<script>alert(1)</script>`');
    expect(md).toContain('`k"n&n<img src=x onerror=alert(2)>`');
    // Outside code spans no raw tag appears.
    expect(md.replace(/`[^`\n]*`/g, '')).not.toMatch(/<[a-z]/i);
  });
});
