import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseSweepSets, runSweep, sweepGrid, MAX_SWEEP_POINTS } from '../../src/jobs/sweep.ts';
import { SWEEP_VERSION, type SweepTable } from '../../src/results/sweep.ts';
import { sweepSchema } from '../../src/results/sweepSchema.ts';
import { resultsSchema } from '../../src/results/schema.ts';
import { runScenario } from '../../src/run/run.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { jsonText } from '../../src/results/json.ts';
import { sweepMsg } from '../../src/report/messages.ts';
import { WHATIF_CHARTS } from '../../src/report/charts/whatIfExplorer.ts';
import { cliMsg } from '../../src/cli/messages.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { smallScenarioYaml } from '../helpers.ts';
import { inProcess } from '../cliHelpers.ts';

const BIN = resolve(import.meta.dirname, '../../bin/recgap.js');
/** results.json text without its runtime block (stage timings: the only part that differs between identical runs). */
const withoutRuntime = (text: string) => jsonText({ ...JSON.parse(text), runtime: null });
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('sweep settings', () => {
  it.each([
    [['pipelines.0.refresh=1h,6h,1d,7d'], [{ path: 'pipelines.0.refresh', values: ['1h', '6h', '1d', '7d'] }], []],
    [
      ['world.identity.loginRate=0.1, 0.5,0.9', 'world.persons=2000'],
      [{ path: 'world.identity.loginRate', values: ['0.1', '0.5', '0.9'] }],
      ['world.persons=2000'],
    ],
    [['a=1,2', 'eval.positives=[purchase, cart]'], [{ path: 'a', values: ['1', '2'] }], ['eval.positives=[purchase, cart]']],
    [['name="a,b",c'], [{ path: 'name', values: ['"a,b"', 'c'] }], []],
  ])('parses %j', (sets, axes, fixed) => {
    expect(parseSweepSets(sets)).toEqual({ axes, fixed });
  });

  it.each([
    [[], sweepMsg.noGrid()],
    [['world.persons=2000'], sweepMsg.noGrid()],
    [['a=1,,2'], sweepMsg.emptyValue('a=1,,2')],
    [['a=1,2', 'a=3,4'], sweepMsg.duplicatePath('a')],
    [['a=1d,7d,1d'], sweepMsg.duplicateValue('a=1d,7d,1d', '1d')],
    [['a=[1],[2]'], sweepMsg.notScalar('a=[1],[2]')],
    [['a=1,[2]'], sweepMsg.notScalar('a=1,[2]')],
    [['novalue'], '--set "novalue": expected path=value, e.g. world.persons=2000'],
  ])('rejects %j', (sets, message) => {
    expect(() => parseSweepSets(sets)).toThrow(message);
  });

  it('builds the full grid, first axis slowest', () => {
    expect(
      sweepGrid([
        { path: 'a', values: ['1', '2'] },
        { path: 'b', values: ['x', 'y', 'z'] },
      ]),
    ).toEqual([
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '1', b: 'z' },
      { a: '2', b: 'x' },
      { a: '2', b: 'y' },
      { a: '2', b: 'z' },
    ]);
  });

  it.each([['0'], ['65'], ['two'], ['1.5'], ['-1']])('--workers %s is refused as recgap run refuses it, before anything runs', async (value) => {
    const dir = mkdtempSync(join(tmpdir(), 'recgap-sweep-workers-'));
    try {
      writeFileSync(join(dir, 'small.yaml'), smallScenarioYaml({ persons: 300 }));
      for (const command of ['run', 'sweep']) {
        const r = await inProcess([command, 'small.yaml', '--set', 'pipelines.0.refresh=1d,7d', `--workers=${value}`, '--out', 'out', '--quiet'], dir);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(`recgap: ${cliMsg.badWorkers(value)}\n`);
      }
      expect(existsSync(join(dir, 'out'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('recgap sweep', () => {
  let dir: string;
  let out: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-sweep-'));
    writeFileSync(join(dir, 'small.yaml'), smallScenarioYaml({ persons: 500, eval: '{ k: [10], window: 5d, bootstrap: 100 }' }));
    out = spawnSync(
      process.execPath,
      [BIN, 'sweep', 'small.yaml', '--set', 'pipelines.0.refresh=7d,1d', '--set', 'world.persons=400', '--workers', '2', '--out', 'out', '--quiet'],
      { cwd: dir, encoding: 'utf8' },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every grid point and prints the table with the setting named in words', () => {
    // The 7d point's requests span less than its cadence: its run warning is passed on, nothing else.
    expect(String(out.stderr).split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^recgap: warning: point 1 of 2: requests can start over only .* cadence/),
    ]);
    expect(out.status).toBe(0);
    const stdout = String(out.stdout);
    expect(stdout).toMatch(/^small: sweep of refresh cadence \(pipeline weekly-batch\) \(7d, 1d\); 2 runs, seed 11 at every point\n/);
    expect(stdout.split('\n')[2]).toMatch(/^refresh cadence \(pipeline weekly-batch\) +model +pipeline +frozen ndcg@10 +served +gap +pairwise P\/R$/);
    expect(stdout).toContain(`written: ${join(dir, 'out/small-sweep')}/sweep.csv`);
    expect(stdout).toContain(`${join(dir, 'out/small-sweep')}/points/ (each point's results.json)`);
    expect(readdirSync(join(dir, 'out'))).toEqual(['small-sweep']);
  });

  it('writes one row per grid point x model x pipeline, as CSV and JSON, each point’s results, the what-if chart and pages', () => {
    const d = join(dir, 'out/small-sweep');
    expect(readdirSync(d).sort()).toEqual(['.recgap-output', 'charts', 'points', 'report.html', 'summary.md', 'sweep.csv', 'sweep.json', 'whatif.html']);
    expect(readdirSync(join(d, 'charts')).sort()).toEqual([
      'what-if-pipelines-0-refresh.png',
      'what-if-pipelines-0-refresh.svg',
      'what-if-pipelines-0-refresh.vl.json',
      ...Object.values(WHATIF_CHARTS)
        .map((s) => `${s}.vl.json`)
        .sort(),
    ]);
    const t = readJson<SweepTable>(join(d, 'sweep.json'));
    const parsed = sweepSchema.safeParse(t);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(t.version).toBe(SWEEP_VERSION);
    expect(t.axes).toEqual([
      { path: 'pipelines.0.refresh', label: 'refresh cadence (pipeline weekly-batch)', kind: 'duration', values: ['7d', '1d'], order: ['1d', '7d'] },
    ]);
    expect(t.points.map((p) => p.dir)).toEqual(['points/0-7d', 'points/1-1d']);
    expect(readdirSync(join(d, 'points')).sort()).toEqual(['0-7d', '1-1d']);
    expect(t.rows).toHaveLength(2 * 2 * 3);
    expect(t.fixed).toEqual(['world.persons=400']);
    const csv = readFileSync(join(d, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe(
      'point,pipelines.0.refresh,model,pipeline,metric,frozen,frozen_lo,frozen_hi,served,served_lo,served_hi,gap,gap_lo,gap_hi,relative_gap,requests,pairwise_precision,pairwise_recall,bcubed_precision,bcubed_recall,purity,coverage,keys_per_person',
    );
    expect(csv).toHaveLength(1 + 12);
    const row = (refresh: string, pipeline: string) =>
      t.rows.find((r) => r.settings['pipelines.0.refresh'] === refresh && r.model === 'knn' && r.pipeline === pipeline)!;
    // Only the swept pipeline moves; the same seed at every point keeps the others identical.
    expect(row('1d', 'weekly-batch').served.mean).toBeGreaterThan(row('7d', 'weekly-batch').served.mean);
    expect(row('1d', 'daily-stitched').served).toEqual(row('7d', 'daily-stitched').served);
    expect(row('1d', 'streaming-oracle').served).toEqual(row('7d', 'streaming-oracle').served);
    // Each row is its point's results.json, read back: the primary metric's frozen, served and gap with their intervals.
    for (const p of t.points) {
      const results = readJson<{ version: string; results: Array<{ model: string; pipeline: string; metrics: Record<string, unknown> }> }>(
        join(d, p.dir, 'results.json'),
      );
      expect(results.version).toBe('recgap.results/2');
      expect(resultsSchema.safeParse(results).success).toBe(true);
      for (const x of results.results) {
        const r = t.rows.find((y) => y.point === p.point && y.model === x.model && y.pipeline === x.pipeline)!;
        expect(x.metrics['ndcg@10']).toMatchObject({ frozen: r.frozen, served: r.served, gap: r.gap });
      }
    }
    const html = readFileSync(join(d, 'report.html'), 'utf8');
    expect(html.match(/<figure class="chart"[^>]*>\s*<svg/g)).toHaveLength(1);
    expect(html).toContain('<th>refresh cadence (pipeline weekly-batch)</th>');
    expect(html).not.toContain('pipelines.0.refresh<');
    expect(readFileSync(join(d, 'summary.md'), 'utf8')).toMatch(
      /- refresh cadence \(pipeline weekly-batch\): `knn` under `weekly-batch` loses 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\] at `1d`, 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\] at `7d` of the offline score; it serves 0\.\d{4}, 0\.\d{4}/,
    );
  });

  it('validates every grid point before running any, and writes nothing on a bad value', async () => {
    const file = join(dir, 'small.yaml');
    await expect(runSweep({ scenarioFile: file, sets: ['pipelines.0.refresh=1d,weekly'], outDir: join(dir, 'bad') })).rejects.toThrow(
      '--set pipelines.0.refresh=weekly: pipelines.0.refresh is "weekly"; expected batch cadence such as 7d, 1d, 1h, or stream',
    );
    expect(existsSync(join(dir, 'bad'))).toBe(false);
    const big = Array.from({ length: 15 }, (_, i) => String(i + 1)).join(',');
    await expect(runSweep({ scenarioFile: file, sets: [`world.persons=${big}`, `seed=${big}`], outDir: join(dir, 'bad') })).rejects.toThrow(
      sweepMsg.tooLarge(225, MAX_SWEEP_POINTS),
    );
  });
});

describe('a sweep point is the run made alone', () => {
  let dir: string;
  const file = () => join(dir, 's.yaml');
  const PIPELINES = [
    '  - { name: weekly, refresh: 7d, latency: 6h, identity: key }',
    '  - { name: graph, refresh: 1d, latency: 1h, identity: graph, graph: { threshold: 0.85 } }',
  ].join('\n');
  const sweep = (sets: string[], out: string, extra: { workers?: number; reuse?: boolean } = {}) =>
    runSweep({ scenarioFile: file(), sets, outDir: join(dir, out), reporter: silentReporter(), ...extra });
  const pointText = (out: string, pointDir: string) => readFileSync(join(dir, out, 'small-sweep', pointDir, 'results.json'), 'utf8');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-sweep-points-'));
    writeFileSync(file(), smallScenarioYaml({ persons: 450, eval: '{ k: [10, 20], window: 5d, bootstrap: 60 }', pipelines: PIPELINES }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pipeline-only points share one fit and write, byte for byte but for the timings, what recgap run writes alone', async () => {
    const sets = ['pipelines.0.refresh=1d,7d', 'pipelines.1.graph.threshold=0.5'];
    const { table } = await sweep(sets, 'one');
    for (const p of table.points) {
      const alone = await runScenario(loadScenario(file(), ['pipelines.1.graph.threshold=0.5', `pipelines.0.refresh=${p.settings['pipelines.0.refresh']}`]), {
        reporter: silentReporter(),
      });
      expect(withoutRuntime(pointText('one', p.dir))).toBe(jsonText({ ...alone.results, runtime: null }));
    }
  }, 120_000);

  it("passes on the points' run warnings once each, naming the points they concern", async () => {
    // A 60-day cadence is longer than the test period (about 10 days of a 35-day log): the run warns.
    const { warnings } = await sweep(['pipelines.0.refresh=1d,60d'], 'warn');
    const own = await runScenario(loadScenario(file(), ['pipelines.0.refresh=60d']), { reporter: silentReporter() });
    expect(own.results.warnings.length).toBeGreaterThan(0);
    for (const w of own.results.warnings) expect(warnings).toContain(sweepMsg.pointWarning(w, [1], 2));
  }, 120_000);

  it('writes the same tables and point results with 2 worker threads, and without reuse', async () => {
    const { table: one } = await sweep(['pipelines.0.refresh=1d,7d'], 'w1');
    const { table: two } = await sweep(['pipelines.0.refresh=1d,7d'], 'w2', { workers: 2 });
    const { table: fresh } = await sweep(['pipelines.0.refresh=1d,7d'], 'fresh', { reuse: false });
    for (const out of ['w2', 'fresh']) {
      expect(readFileSync(join(dir, out, 'small-sweep/sweep.json'), 'utf8')).toBe(readFileSync(join(dir, 'w1/small-sweep/sweep.json'), 'utf8'));
      expect(readFileSync(join(dir, out, 'small-sweep/sweep.csv'), 'utf8')).toBe(readFileSync(join(dir, 'w1/small-sweep/sweep.csv'), 'utf8'));
      for (const p of one.points) expect(withoutRuntime(pointText(out, p.dir))).toBe(withoutRuntime(pointText('w1', p.dir)));
    }
    expect(two).toEqual(one);
    expect(fresh).toEqual(one);
  }, 180_000);

  it('a world setting and a pipeline setting: the interaction charts, every point the run made alone', async () => {
    const sets = ['pipelines.1.graph.threshold=0.5,0.97', 'world.identity.loginRate=0.9,0.2'];
    const { table, dir: out } = await sweep(sets, 'two');
    expect(table.axes.map((a) => [a.label, a.kind, a.order])).toEqual([
      ['graph match threshold (pipeline graph)', 'number', ['0.5', '0.97']],
      ['login rate', 'number', ['0.2', '0.9']],
    ]);
    expect(table.points.map((p) => p.dir)).toEqual(['points/0-0.5_0.9', 'points/1-0.5_0.2', 'points/2-0.97_0.9', 'points/3-0.97_0.2']);
    expect(readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.vl.json'))).toEqual([
      'gap-heatmap-pipelines-1-graph-threshold-x-world-identity-loginRate.vl.json',
      'gap-lines-pipelines-1-graph-threshold-by-world-identity-loginRate.vl.json',
      'identity-tradeoff.vl.json',
      'what-if-pipelines-1-graph-threshold.vl.json',
      'what-if-world-identity-loginRate.vl.json',
      ...Object.values(WHATIF_CHARTS)
        .map((s) => `${s}.vl.json`)
        .sort(),
    ]);
    // Points are run grouped by world (0 and 2, then 1 and 3); each is still the run made alone.
    for (const p of [table.points[1], table.points[2]]) {
      const overrides = Object.entries(p.settings).map(([k, v]) => `${k}=${v}`);
      const alone = await runScenario(loadScenario(file(), overrides), { reporter: silentReporter() });
      expect(withoutRuntime(pointText('two', p.dir))).toBe(jsonText({ ...alone.results, runtime: null }));
    }
  }, 180_000);
});
