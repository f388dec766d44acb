// report.html in a real browser: Debian's Chromium driven by playwright-core (no browser download).
// Skips, saying so, where /usr/bin/chromium is absent (CI installs it with apt-get install -y chromium).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildReport } from '../../src/report/build.ts';
import { RUN_CHARTS } from '../../src/report/charts/index.ts';
import { loadFixture, renamed, HOSTILE, HOSTILE_MODEL } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const SCREENSHOT = join(tmpdir(), 'recgap-report-screenshot.png');
const present = existsSync(CHROMIUM);
if (!present) console.warn(`browser test SKIPPED: ${CHROMIUM} not found (install it with: apt-get update && apt-get install -y chromium)`);

describe.skipIf(!present)(`report.html in headless Chromium (${present ? CHROMIUM : `skipped: no ${CHROMIUM}`})`, () => {
  it('shows every chart as an SVG, logs no console errors, runs no script, loads nothing remote, and shows hostile names as text', async () => {
    const { chromium } = await import('playwright-core');
    const fx = renamed(loadFixture(), { pipelines: { 'weekly-batch': HOSTILE }, models: { knn: HOSTILE_MODEL } });
    const { files } = await buildReport({ results: fx.results, requestsCsv: fx.requestsCsv, audit: fx.audit });
    const dir = mkdtempSync(join(tmpdir(), 'recgap-browser-'));
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.name)), { recursive: true });
      writeFileSync(join(dir, f.name), f.content);
    }

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('request', (r) => {
        if (!r.url().startsWith('file://')) problems.push(`request: ${r.url()}`);
      });
      await page.goto(`file://${join(dir, 'report.html')}`, { waitUntil: 'load' });

      const figures = await page.$$eval('figure.chart', (els) =>
        els.map((f) => {
          const svg = f.querySelector(':scope > svg');
          const box = svg?.getBoundingClientRect();
          return { id: f.id, width: Math.round(box?.width ?? 0), height: Math.round(box?.height ?? 0), texts: svg ? svg.querySelectorAll('text').length : 0 };
        }),
      );
      expect(figures.map((f) => f.id)).toEqual(RUN_CHARTS.map((c) => `chart-${c}`));
      for (const f of figures) {
        expect(f.width, f.id).toBeGreaterThan(200);
        expect(f.height, f.id).toBeGreaterThan(100);
        expect(f.texts, f.id).toBeGreaterThan(5);
      }
      expect(await page.locator('script, img, iframe, object').count()).toBe(0);
      const text = await page.locator('body').textContent();
      expect(text).toContain(HOSTILE);
      expect(text).toContain(HOSTILE_MODEL);
      expect(await page.locator('figure#chart-frozen-vs-served svg text', { hasText: '<script>alert(1)' }).count()).toBeGreaterThan(0);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
