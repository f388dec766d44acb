// A screenshot of a sweep's whatif.html at 1,400 px, with the controls set to the given values, as the
// README shows it (docs/whatif.png). Debian's Chromium driven by playwright-core (no browser download).
//   node --import tsx scripts/whatif-screenshot.ts <sweep dir> <out.png> [path=value ...]
// e.g. node --import tsx scripts/whatif-screenshot.ts reports/whatif-sweep docs/whatif.png pipelines.1.refresh=1d pipelines.1.identity=login
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { SweepTable } from '../src/results/sweep.ts';

const [dir, png, ...choices] = process.argv.slice(2);
if (!dir || !png) {
  console.error('usage: node --import tsx scripts/whatif-screenshot.ts <sweep dir> <out.png> [path=value ...]');
  process.exit(2);
}
const table = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepTable;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`file://${resolve(dir, 'whatif.html')}`);
  await page.waitForSelector('body[data-ready="true"]');
  for (const choice of choices) {
    const eq = choice.indexOf('=');
    const [path, value] = [choice.slice(0, eq), choice.slice(eq + 1)];
    const axis = table.axes.find((a) => a.path === path);
    const index = axis?.order.indexOf(value) ?? -1;
    if (!axis || index < 0) throw new Error(`${choice}: not a swept setting and value of ${dir}`);
    const control = page.locator(`.vega-bind[data-axis="${path}"]`);
    if (await control.locator('select').count()) await control.locator('select').selectOption({ label: value });
    else {
      await control.locator('input[type=range]').focus();
      await page.keyboard.press('Home');
      for (let i = 0; i < index; i++) await page.keyboard.press('ArrowRight');
    }
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: png, fullPage: true });
} finally {
  await browser.close();
}
