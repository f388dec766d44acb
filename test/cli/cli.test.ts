import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { smallScenarioYaml } from '../helpers.ts';
import { inProcess } from '../cliHelpers.ts';

const BIN = resolve(import.meta.dirname, '../../bin/recgap.js');
const recgap = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

describe('recgap CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-cli-'));
    writeFileSync(join(dir, 'small.yaml'), smallScenarioYaml({ persons: 600 }));
    writeFileSync(join(dir, 'bad.yaml'), smallScenarioYaml({ persons: 600 }).replace('drift: { kappa: 0.5 }', 'drift: { kapa: 0.5 }'));
  });

  it('run writes results.json and requests.csv and prints the summary', () => {
    const r = recgap(['run', 'small.yaml', '--out', 'out', '--quiet', '--set', 'world.persons=300'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^small: [\d,]+ events/);
    expect(r.stdout).toContain('ndcg@10, mean [95% person-clustered bootstrap, 200 replicates]');
    const results = JSON.parse(readFileSync(join(dir, 'out/small/results.json'), 'utf8'));
    expect(results.counts.requests).toBeGreaterThan(0);
    expect(results.results).toHaveLength(6);
    expect(Object.keys(results.results[0].metrics)).toEqual(['ndcg@10', 'hit@10', 'recall@10', 'mrr@10', 'ndcg@20', 'hit@20', 'recall@20', 'mrr@20']);
    const csv = readFileSync(join(dir, 'out/small/requests.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(results.counts.requests + 1);
    expect(csv[0]).toMatch(/^request,time,person,key,session,labels,inactivity_ms,age_ms\.weekly-batch,/);
    expect(readdirSync(join(dir, 'out'))).toEqual(['small']); // no temporary folder left behind
  });

  it('--seed changes the numbers, the same seed repeats them (in a new process and in this one)', async () => {
    const read = () => JSON.parse(readFileSync(join(dir, 'o2/small/results.json'), 'utf8'));
    const small = ['--set', 'world.persons=250', '--set', 'eval.bootstrap=50'];
    recgap(['run', 'small.yaml', '--out', 'o2', '--quiet', '--seed', '5', ...small], dir);
    const a = read();
    await inProcess(['run', 'small.yaml', '--out', 'o2', '--quiet', '--seed', '5', ...small], dir);
    const b = read();
    await inProcess(['run', 'small.yaml', '--out', 'o2', '--quiet', '--seed', '6', ...small], dir);
    const c = read();
    expect(a.scenario.seed).toBe(5);
    expect({ ...a, runtime: 0 }).toEqual({ ...b, runtime: 0 });
    expect(c.results).not.toEqual(a.results);
  });

  it.each([
    [['run', 'bad.yaml', '--out', 'bad-out'], 'recgap: bad.yaml:3: unknown key "kapa" in world.drift; did you mean "kappa"?'],
    [['run', 'missing.yaml', '--out', 'bad-out'], 'recgap: scenario file not found: missing.yaml'],
    [['run', 'small.yaml', '--out', 'bad-out', '--seed', 'x'], 'recgap: --seed must be an integer from 0 to 4294967295 (got "x")'],
    [
      ['run', 'small.yaml', '--out', 'bad-out', '--set', 'eval.window=-1d'],
      'recgap: --set eval.window=-1d: eval.window is "-1d"; expected a positive duration such as 7d or 12h (the label window W)',
    ],
    [
      ['run', 'small.yaml', '--out', 'bad-out', '--set', 'train.until=2000-01-01'],
      'recgap: no events before the train split 2000-01-01T00:00:00.000Z: nothing to fit the models on; move train.until later',
    ],
    [
      ['run', 'small.yaml', '--out', 'bad-out', '--set', 'train.until=2030-01-01'],
      'recgap: no requests to evaluate: no session starts between the train split (2030-01-01T00:00:00.000Z)',
    ],
    [
      ['run', 'small.yaml', '--out', 'bad-out', '--set', 'eval.positives=[refund]'],
      'recgap: eval.positives: unknown event type "refund"; the log has view, cart, purchase',
    ],
    [['frobnicate'], 'recgap: Unknown argument: frobnicate'],
  ])('fails on %j with one line, exit code 2, and writes nothing', async (args, message) => {
    // In process: the same main() the binary runs (bin/recgap.js adds only the loader and a last-resort
    // handler, spawned in the tests above and in test/badInput/cli.test.ts).
    const r = await inProcess(args, dir);
    expect(r.status).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('recgap:'));
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(message)).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(dir, 'bad-out'))).toBe(false);
  });

  it('an interrupted run (SIGINT) leaves the previous report intact and no temporary folder', async () => {
    expect((await inProcess(['run', 'small.yaml', '--out', 'keep', '--quiet', '--set', 'world.persons=250', '--set', 'eval.bootstrap=50'], dir)).status).toBe(
      0,
    );
    const before = readFileSync(join(dir, 'keep/small/results.json'), 'utf8');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'run', 'small.yaml', '--out', 'keep', '--quiet', '--seed', '3', '--set', 'world.persons=20000'], { cwd: dir });
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c, sig) => r(c ?? (sig ? 130 : 0))));
    expect(code).not.toBe(0);
    expect(readFileSync(join(dir, 'keep/small/results.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'keep'))).toEqual(['small']);
  });

  it('generate writes the log as CSV with the canonical header', () => {
    // Into a folder that does not exist yet: it is created.
    const r = recgap(['generate', 'small.yaml', '--out', 'logs/new/log.csv', '--quiet', '--set', 'world.persons=100'], dir);
    expect(r.status).toBe(0);
    const lines = readFileSync(join(dir, 'logs/new/log.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('time,person,key,login,channel,session,item,event,value,ip,userAgent,geo');
    expect(r.stdout).toBe(`wrote ${(lines.length - 1).toLocaleString('en-US')} events to logs/new/log.csv\n`);
    const first = lines[1].split(',');
    expect(Number(first[0])).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 1));
    expect(['view', 'cart', 'purchase']).toContain(first[7]);
  });

  it('--version prints the version field of package.json', () => {
    const version = (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const r = recgap(['--version'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it('schema prints the JSON Schema of scenario files', async () => {
    const r = await inProcess(['schema'], dir);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).properties.pipelines.type).toBe('array');
  });
});
