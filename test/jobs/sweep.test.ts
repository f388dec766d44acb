import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseSweepSets, runSweep, sweepGrid, MAX_SWEEP_POINTS } from '../../src/jobs/sweep.ts';
import type { SweepTable } from '../../src/results/sweep.ts';
import { sweepMsg } from '../../src/report/messages.ts';
import { smallScenarioYaml } from '../helpers.ts';

const BIN = resolve(import.meta.dirname, '../../bin/recgap.js');

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
});

describe('recgap sweep', () => {
  let dir: string;
  let out: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-sweep-'));
    writeFileSync(join(dir, 'small.yaml'), smallScenarioYaml({ persons: 500, eval: '{ k: [10], window: 5d, bootstrap: 100 }' }));
    out = spawnSync(
      process.execPath,
      [BIN, 'sweep', 'small.yaml', '--set', 'pipelines.0.refresh=1d,7d', '--set', 'world.persons=400', '--out', 'out', '--quiet'],
      { cwd: dir, encoding: 'utf8' },
    );
  });

  it('runs every grid point and prints the table', () => {
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(String(out.stdout)).toMatch(/^small: sweep of pipelines\.0\.refresh \(1d, 7d\); 2 runs, seed 11 at every point\n/);
    expect(String(out.stdout)).toContain(`written: ${join(dir, 'out/small-sweep')}/sweep.csv`);
    expect(readdirSync(join(dir, 'out'))).toEqual(['small-sweep']);
  });

  it('writes one row per grid point x model x pipeline, as CSV and JSON, plus the what-if chart and pages', () => {
    const d = join(dir, 'out/small-sweep');
    expect(readdirSync(d).sort()).toEqual(['.recgap-output', 'charts', 'report.html', 'summary.md', 'sweep.csv', 'sweep.json']);
    expect(readdirSync(join(d, 'charts')).sort()).toEqual([
      'what-if-pipelines-0-refresh.png',
      'what-if-pipelines-0-refresh.svg',
      'what-if-pipelines-0-refresh.vl.json',
    ]);
    const t = JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8')) as SweepTable;
    expect(t.rows).toHaveLength(2 * 2 * 3);
    expect(t.fixed).toEqual(['world.persons=400']);
    const csv = readFileSync(join(d, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe(
      'point,pipelines.0.refresh,model,pipeline,metric,frozen,frozen_lo,frozen_hi,served,served_lo,served_hi,gap,gap_lo,gap_hi,relative_gap,requests,pairwise_precision,pairwise_recall,bcubed_precision,bcubed_recall,purity,coverage,keys_per_person',
    );
    expect(csv).toHaveLength(1 + 12);
    const served = (refresh: string, pipeline: string) =>
      t.rows.find((r) => r.settings['pipelines.0.refresh'] === refresh && r.model === 'knn' && r.pipeline === pipeline)!.served.mean;
    // Only the swept pipeline moves; the same seed at every point keeps the others identical.
    expect(served('1d', 'weekly-batch')).toBeGreaterThan(served('7d', 'weekly-batch'));
    expect(served('1d', 'daily-stitched')).toBe(served('7d', 'daily-stitched'));
    expect(served('1d', 'streaming-oracle')).toBe(served('7d', 'streaming-oracle'));
    const html = readFileSync(join(d, 'report.html'), 'utf8');
    expect(html.match(/<figure class="chart"[^>]*>\s*<svg/g)).toHaveLength(1);
    expect(readFileSync(join(d, 'summary.md'), 'utf8')).toMatch(
      /- `pipelines\.0\.refresh`: `knn` under `weekly-batch` serves 0\.\d{4} at `1d`, 0\.\d{4} at `7d`/,
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
