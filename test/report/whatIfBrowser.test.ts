// whatif.html in a real browser: a small sweep's page opened from file:// in Debian's Chromium (playwright-core,
// no browser download). Every control is there, moving one shows the chosen grid point's own numbers from
// sweep.json (in the readout's data- attributes and in the drawn chart), the CSP lets the page's one script
// run with no console error, nothing is requested from the network, and the page is under its budget.
// Skips, saying so, where /usr/bin/chromium is absent (CI installs it with apt-get install -y chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweep } from '../../src/jobs/sweep.ts';
import type { SweepTable } from '../../src/results/sweep.ts';
import { WHATIF_MAX_BYTES } from '../../src/report/whatIfPage.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { smallScenarioYaml } from '../helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const present = existsSync(CHROMIUM);
if (!present) console.warn(`what-if browser test SKIPPED: ${CHROMIUM} not found (install it with: apt-get update && apt-get install -y chromium)`);

const REFRESH = 'pipelines.1.refresh';
const IDENTITY = 'pipelines.1.identity';

describe.skipIf(!present)(`whatif.html in headless Chromium (${present ? CHROMIUM : `skipped: no ${CHROMIUM}`})`, () => {
  let root = '';
  let dir = '';
  let table: SweepTable;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'recgap-whatif-'));
    const yaml = smallScenarioYaml({
      persons: 600,
      models: '[ { name: knn, type: itemknn } ]',
      eval: '{ k: [10], window: 5d, positives: [purchase], bootstrap: 100 }',
      pipelines: ['  - { name: today, refresh: 7d, latency: 6h, identity: key }', '  - { name: proposal, refresh: 1d, latency: 1h, identity: login }'].join(
        '\n',
      ),
    });
    writeFileSync(join(root, 'small.yaml'), `${yaml}\nbusiness: { costs: { proposal: { oneOff: 1000, perMonth: 200 } } }\n`);
    const r = await runSweep({
      scenarioFile: join(root, 'small.yaml'),
      sets: [`${REFRESH}=stream,1d,7d`, `${IDENTITY}=key,login`],
      outDir: join(root, 'out'),
      reporter: silentReporter(),
    });
    dir = r.dir;
    table = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepTable;
  }, 120_000);
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("shows each control, and moving one shows that grid point's served, offline and gap from sweep.json", async () => {
    const { chromium } = await import('playwright-core');
    const file = join(dir, 'whatif.html');
    expect(statSync(file).size).toBeLessThanOrEqual(WHATIF_MAX_BYTES);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith('file://')) problems.push(`request: ${r.url()}`);
      });
      await page.goto(`file://${file}`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });

      // One control per setting: a slider over stream..7d, a select over the resolvers.
      const slider = page.locator(`.vega-bind[data-axis="${REFRESH}"] input[type=range]`);
      const select = page.locator(`.vega-bind[data-axis="${IDENTITY}"] select`);
      expect(await slider.count()).toBe(1);
      expect(await select.locator('option').allTextContents()).toEqual(['key', 'login']);

      const readout = async () => {
        const point = Number(await page.locator('#whatif-readout').getAttribute('data-point'));
        const rows = await page.$$eval('#whatif-rows tr', (trs) =>
          trs.map((tr) => ({
            model: tr.getAttribute('data-model'),
            pipeline: tr.getAttribute('data-pipeline'),
            frozen: Number(tr.getAttribute('data-frozen')),
            served: Number(tr.getAttribute('data-served')),
            gap: Number(tr.getAttribute('data-gap')),
          })),
        );
        const labels = await page.locator('#whatif-controls .whatif-value').allTextContents();
        return { point, rows, labels };
      };
      const expected = (refresh: string, identity: string) => {
        const p = table.points.find((x) => x.settings[REFRESH] === refresh && x.settings[IDENTITY] === identity)!;
        const rows = table.rows
          .filter((r) => r.point === p.point)
          .map((r) => ({ model: r.model, pipeline: r.pipeline, frozen: r.frozen.mean, served: r.served.mean, gap: r.gap.mean }));
        return { point: p.point, rows, labels: [refresh, identity] };
      };
      const shownAfter = async (refresh: string, identity: string) => {
        const want = expected(refresh, identity);
        await page.waitForFunction((p) => document.querySelector('#whatif-readout')?.getAttribute('data-point') === p, String(want.point));
        expect(await readout()).toEqual(want);
        // The served view draws the proposal's served score at this point (text beside its interval).
        const proposal = want.rows.find((r) => r.pipeline === 'proposal')!;
        expect(await page.locator('#whatif-view svg text', { hasText: proposal.served.toFixed(4) }).count()).toBeGreaterThan(0);
        return want;
      };

      const start = await shownAfter('stream', 'key');
      await slider.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      const weekly = await shownAfter('7d', 'key');
      await select.selectOption({ label: 'login' });
      const stitched = await shownAfter('7d', 'login');
      await slider.focus();
      await page.keyboard.press('ArrowLeft');
      await shownAfter('1d', 'login');
      // The controls changed the numbers: the proposal serves differently at each of these points.
      const served = (w: typeof start) => w.rows.find((r) => r.pipeline === 'proposal')!.served;
      expect(new Set([served(start), served(weekly), served(stitched)]).size).toBe(3);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
