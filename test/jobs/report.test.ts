import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../src/jobs/runJob.ts';
import { inProcess } from '../cliHelpers.ts';
import { reportJob } from '../../src/jobs/report.ts';
import { RUN_CHARTS } from '../../src/report/charts/index.ts';
import { reportMsg } from '../../src/report/messages.ts';
import { resultsMsg } from '../../src/results/messages.ts';
import { OUTPUT_MARKER } from '../../src/results/output.ts';
import { escapeHtml } from '../../src/report/escape.ts';
import { smallScenario, smallScenarioYaml } from '../helpers.ts';
import { InputError } from '../../src/errors.ts';

/** Every file under a folder (relative paths) with its bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${e}/`);
      else out.set(`${prefix}${e}`, readFileSync(p));
    }
  };
  walk(dir, '');
  return out;
}

describe('report files of a run', () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'recgap-report-'));
    ({ dir } = await runJob({ scenario: smallScenario({ persons: 600 }), outDir: root }));
  });

  it('recgap run writes results, requests (csv and parquet), check 04, the page, the summary and every chart as vl.json, svg and png', () => {
    const files = [...snapshot(dir).keys()];
    const charts = RUN_CHARTS.flatMap((c) => [`charts/${c}.png`, `charts/${c}.svg`, `charts/${c}.vl.json`]).sort();
    const models = ['knn', 'pop'].flatMap((m) => [`models/${m}/model.json`, `models/${m}/weights.bin`]);
    const written = ['audit.json', ...charts, ...models, 'report.html', 'requests.csv', 'requests.parquet', 'results.json', 'summary.md'];
    expect(files).toEqual([OUTPUT_MARKER, ...written]);
    // The marker lists every file the run wrote: what a later command may replace.
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir, OUTPUT_MARKER), 'utf8'))).toEqual({
      tool: 'recgap',
      format: 'recgap.output/1',
      kind: 'run',
      version,
      files: written,
    });
    const png = readFileSync(join(dir, 'charts/roi.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(readdirSync(root)).toEqual(['small']);
  });

  it('report.html is self-contained: every chart inline as SVG, nothing loaded from elsewhere', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<figure class="chart"[^>]*>\s*<svg/g)).toHaveLength(RUN_CHARTS.length);
    expect(html).not.toMatch(/<script|<link|<img|@import|https?:\/\/(?!www\.w3\.org|vega\.github\.io)/);
  });

  it('summary.md states the gap with its interval, the causes, what each pipeline recovers and what it is worth, with assumptions', () => {
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toMatch(/\*\*a gap of \d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\], \d+\.\d% of the offline score\*\*/);
    expect(md).toContain('Exact Shapley shares of the gap: **staleness**');
    expect(md).toMatch(/- `daily-stitched` \(every 1d, latency 1h, login, all channels\) recovers/);
    // Every money figure has its assumptions next to it: the first screen's in its own sentence, the rest after
    // the section's assumptions.
    const assumptions = md.indexOf('**Assumptions behind every money figure in this section:**');
    expect(assumptions).toBeGreaterThan(0);
    const early = md
      .slice(0, assumptions)
      .split('\n')
      .filter((l) => /USD [\d,]+/.test(l));
    expect(early.length).toBeGreaterThan(0);
    for (const line of early) expect(line).toMatch(/[Aa]ssumes \d/);
    expect(md).toContain("these are recgap's default assumptions: the scenario has no business: section");
  });

  it('recgap report re-renders byte-identical files and keeps the rest (hard-linked, not copied)', async () => {
    const before = snapshot(dir);
    const marker = JSON.parse(before.get(OUTPUT_MARKER)!.toString('utf8'));
    const inode = statSync(join(dir, 'requests.csv')).ino;
    rmSync(join(dir, 'report.html'));
    // A chart an earlier recgap wrote (listed in the marker) that this version no longer draws: dropped.
    writeFileSync(join(dir, 'charts/stale.svg'), 'old');
    writeFileSync(join(dir, OUTPUT_MARKER), JSON.stringify({ ...marker, files: [...marker.files, 'charts/stale.svg'] }));
    const { report } = await reportJob(dir);
    expect(report.warnings).toEqual([]);
    const after = snapshot(dir);
    expect(JSON.parse(after.get(OUTPUT_MARKER)!.toString('utf8'))).toEqual({ ...marker, kind: 'report' });
    after.delete(OUTPUT_MARKER);
    before.delete(OUTPUT_MARKER);
    expect(after).toEqual(before);
    expect(statSync(join(dir, 'requests.csv')).ino).toBe(inode);
    expect(readdirSync(root)).toEqual(['small']);
  });

  it('recgap report keeps a file of yours beside the report, and refuses one among the files it replaces', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'recgap-report-')), 'small');
    spawnSync('cp', ['-r', dir, copy]);
    writeFileSync(join(copy, 'notes.md'), 'mine');
    await reportJob(copy);
    expect(readFileSync(join(copy, 'notes.md'), 'utf8')).toBe('mine');
    // Kept, never listed as recgap's: a run into this folder now refuses to replace it.
    expect(JSON.parse(readFileSync(join(copy, OUTPUT_MARKER), 'utf8')).files).not.toContain('notes.md');
    writeFileSync(join(copy, 'charts/mine.svg'), '<svg/>');
    const before = snapshot(copy);
    await expect(reportJob(copy)).rejects.toThrow(resultsMsg.targetForeignEntry(copy, 'charts/mine.svg'));
    expect(snapshot(copy)).toEqual(before);
  });

  it('money intervals from requests.parquet equal those from requests.csv when the Parquet file is gone (HR@K is 0 or 1 in both)', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'recgap-report-')), 'small');
    spawnSync('cp', ['-r', dir, copy]);
    const fromParquet = await reportJob(copy);
    expect(fromParquet.report.roi.intervals).toBe('paired');
    rmSync(join(copy, 'requests.parquet'));
    const fromCsv = await reportJob(copy);
    expect(fromCsv.report.roi).toEqual(fromParquet.report.roi);
    expect(readFileSync(join(copy, 'report.html'))).toEqual(readFileSync(join(dir, 'report.html')));
  });

  it('a corrupt requests.parquet fails with one line naming it and leaves the old report in place', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'recgap-report-')), 'small');
    spawnSync('cp', ['-r', dir, copy]);
    const file = join(copy, 'requests.parquet');
    writeFileSync(file, 'not parquet');
    const before = readFileSync(join(copy, 'report.html'));
    const [head, tail] = reportMsg.requestsParquetUnreadable(file, '\0').split('\0');
    const err = await reportJob(copy).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message.startsWith(head) && err!.message.endsWith(tail)).toBe(true);
    expect(err!.message).not.toContain('\n');
    expect(readFileSync(join(copy, 'report.html'))).toEqual(before);
  });

  it('without audit data the conversion-delay chart becomes a note', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'recgap-report-')), 'small');
    spawnSync('cp', ['-r', dir, copy]);
    rmSync(join(copy, 'audit.json'));
    const { report } = await reportJob(copy);
    expect(report.charts.find((c) => c.name === 'conversion-delay')?.spec).toBeNull();
    expect(existsSync(join(copy, 'charts/conversion-delay.svg'))).toBe(false);
    expect(readFileSync(join(copy, 'report.html'), 'utf8')).toContain(escapeHtml(reportMsg.noWindowData()));
  });

  it.each([
    ['missing', (d: string) => join(d, 'nope'), (d: string) => reportMsg.runDirMissing(join(d, 'nope'))],
    ['no results', (d: string) => d, (d: string) => reportMsg.resultsMissing(d)],
  ])('fails on a folder with %s', async (_label, path, message) => {
    const d = mkdtempSync(join(tmpdir(), 'recgap-report-'));
    await expect(reportJob(path(d))).rejects.toThrow(message(d));
  });

  it('a corrupt results.json fails with one line and leaves the old report in place', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'recgap-report-')), 'small');
    spawnSync('cp', ['-r', dir, copy]);
    writeFileSync(join(copy, 'results.json'), '{"version": 1');
    const before = readFileSync(join(copy, 'report.html'));
    await expect(reportJob(copy)).rejects.toThrow(`${join(copy, 'results.json')} is not a recgap results file:`);
    expect(readFileSync(join(copy, 'report.html'))).toEqual(before);
  });

  it('the CLI command prints what it wrote', async () => {
    const r = await inProcess(['report', dir], root);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`written: ${dir}/report.html, ${dir}/summary.md, ${dir}/charts/ (${RUN_CHARTS.length} charts)\n`);
    const bad = await inProcess(['report', join(root, 'missing')], root);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`recgap: ${reportMsg.runDirMissing(join(root, 'missing'))}\n`);
  });
});

describe('a scenario with a business section', () => {
  it('prices with its numbers and says so', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recgap-report-'));
    const file = join(root, 'shop.yaml');
    writeFileSync(
      file,
      smallScenarioYaml({ persons: 300 }).replace('name: small', 'name: shop') +
        '\nbusiness: { sessionsPerMonth: 300000, averageOrderValue: 120, currency: EUR }\n',
    );
    const r = await inProcess(['run', file, '--out', root, '--quiet'], root);
    expect(r.stderr).toBe('');
    const md = readFileSync(join(root, 'shop/summary.md'), 'utf8');
    expect(md).toContain('- 300,000 sessions per month');
    expect(md).toContain('average order value EUR 120, margin 30%');
    expect(md).toContain("from the scenario's business: section");
  });
});
