// Fit once, shard the replay: `recgap fit` writes the fitted models and identity quality of a scenario;
// shards started with `--fitted` load them instead of fitting, and their merge equals a single run. A fit
// folder serves only the scenario (and data file) it was fitted from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { mergeJob, runJob } from '../../src/jobs/runJob.ts';
import { fitJob } from '../../src/jobs/fitJob.ts';
import { FIT_FORMAT, fitFolderName, readFitFolder } from '../../src/jobs/fitFolder.ts';
import { jobMsg } from '../../src/jobs/messages.ts';
import { resultsMsg } from '../../src/results/messages.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { SHARD_TEST_OPTIONS, smallScenarioYaml } from '../helpers.ts';
import { inProcess } from '../cliHelpers.ts';

const root = mkdtempSync(join(tmpdir(), 'recgap-fit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const file = join(root, 'small.yaml');
writeFileSync(file, smallScenarioYaml(SHARD_TEST_OPTIONS));

/** results.json without the timings, requests.csv, requests.parquet, report.html and a saved model of a folder. */
const outputOf = (dir: string) => {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  delete results.runtime;
  return {
    results,
    // As text: the order of keys is part of byte-identical output.
    resultsText: JSON.stringify(results),
    csv: readFileSync(join(dir, 'requests.csv'), 'utf8'),
    parquet: readFileSync(join(dir, 'requests.parquet')),
    html: readFileSync(join(dir, 'report.html'), 'utf8'),
    knn: readFileSync(join(dir, 'models/knn/weights.bin')),
  };
};

describe('recgap fit and run --fitted', () => {
  const fitDir = join(root, 'fit', fitFolderName('small'));
  // The single run and the fit every test below starts from.
  let single: Awaited<ReturnType<typeof runJob>>;
  let fit: Awaited<ReturnType<typeof fitJob>>;
  beforeAll(async () => {
    single = await runJob({ scenario: loadScenario(file), outDir: join(root, 'single') });
    fit = await fitJob({ scenario: loadScenario(file), outDir: join(root, 'fit') });
  });

  it("fit.json records the models and the identity quality; the fit's models are the single run's", () => {
    expect(fit.dir).toBe(fitDir);
    const json = JSON.parse(readFileSync(join(fitDir, 'fit.json'), 'utf8'));
    expect(json.format).toBe(FIT_FORMAT);
    // random has no saved state: the shards fit it themselves (it draws per request id, so that is exact).
    expect(json.models).toEqual([
      { name: 'pop', type: 'popularity', saved: true },
      { name: 'knn', type: 'itemknn', saved: true },
      { name: 'rnd', type: 'random', saved: false },
    ]);
    // Identity quality of the two plain configurations and the retrained one's.
    expect(json.quality).toHaveLength(3);
    expect(fit.summary).toBe(jobMsg.fitSummary('small', ['pop', 'knn', 'rnd'], single.run!.results.counts.events, 3, fitDir));
    // The fit's models are the single run's, byte for byte.
    expect(readFileSync(join(fitDir, 'models/knn/weights.bin')).equals(readFileSync(join(single.dir, 'models/knn/weights.bin')))).toBe(true);
  });

  it('three shards on one fit merge to the single run, byte for byte; a run on the fit loads the models', async () => {
    const dirs: string[] = [];
    for (const index of [1, 2, 0])
      dirs.push((await runJob({ scenario: loadScenario(file), outDir: join(root, 'shards'), shard: { index, count: 3 }, fitted: fitDir })).dir);
    const merged = await mergeJob({ dirs, outDir: join(root, 'merged') });
    const a = outputOf(single.dir);
    const b = outputOf(merged.dir);
    expect(b.results).toEqual(a.results);
    expect(b.resultsText).toBe(a.resultsText);
    expect(b.csv).toBe(a.csv);
    expect(b.parquet.equals(a.parquet)).toBe(true);
    expect(b.html).toBe(a.html);
    expect(b.knn.equals(a.knn)).toBe(true);

    // A single run on the fit loads its models (its timings say so) and gives the same output.
    const one = await runJob({ scenario: loadScenario(file), outDir: join(root, 'one'), fitted: fitDir });
    const stages = Object.keys(one.run!.results.runtime.timingsMs);
    expect(stages).toContain('load fitted models');
    expect(stages).not.toContain('fit models');
    expect(outputOf(one.dir)).toEqual(a);
  }, 120_000);

  it("the models scored are the fit folder's: altered weights change the results", async () => {
    const altered = join(root, 'altered', fitFolderName('small'));
    cpSync(fitDir, altered, { recursive: true });
    const pop = join(altered, 'models/pop/weights.bin');
    const scores = new Float32Array(new Uint8Array(readFileSync(pop)).buffer);
    // Reverse the popularity ranking: a model fitted again would not see this.
    for (let i = 0; i < scores.length; i++) scores[i] = -scores[i];
    writeFileSync(pop, new Uint8Array(scores.buffer));
    const run = await runJob({ scenario: loadScenario(file), outDir: join(root, 'altered-run'), fitted: altered });
    const plain = outputOf(join(root, 'single', 'small'));
    const changed = outputOf(run.dir);
    expect(changed.csv).not.toBe(plain.csv);
    expect(changed.results.results).not.toEqual(plain.results.results);
    // Only the altered model's scores moved: the requests and the other models' fit are the same.
    expect(changed.results.counts).toEqual(plain.results.counts);
    expect(changed.knn.equals(plain.knn)).toBe(true);
  });

  it.each([
    ['seed', (s: ReturnType<typeof loadScenario>) => ({ ...s, seed: 12 }), '11', '12'],
    ['world.persons', (s: ReturnType<typeof loadScenario>) => ({ ...s, world: { ...s.world!, persons: 301 } }), '300', '301'],
    ['eval.sample', (s: ReturnType<typeof loadScenario>) => ({ ...s, eval: { ...s.eval, sample: 0.5 } }), '1', '0.5'],
    [
      'models.1.neighbors',
      (s: ReturnType<typeof loadScenario>) => ({ ...s, models: s.models.map((m) => (m.type === 'itemknn' ? { ...m, neighbors: 7 } : m)) }),
      null,
      '7',
    ],
  ])('refuses a fit of another scenario (%s differs) before any work, naming the field and both values', async (field, change, fitValue, runValue) => {
    const scenario = change(loadScenario(file));
    const fitted = (loadScenario(file).models[1] as { neighbors: number }).neighbors;
    const message = jobMsg.fitOtherScenario(fitDir, field, fitValue ?? String(fitted), runValue);
    expect(() => readFitFolder(fitDir, scenario)).toThrow(message);
    await expect(runJob({ scenario, outDir: join(root, 'x'), shard: { index: 0, count: 3 }, fitted: fitDir })).rejects.toThrow(message);
  });

  it('accepts a scenario differing only in what the fit does not read (pipelines, K, bootstrap)', () => {
    const s = loadScenario(file, ['eval.bootstrap=50', 'pipelines.0.refresh=1d']);
    expect(
      readFitFolder(fitDir, s)
        .modelFiles.map((f) => f.name)
        .sort(),
    ).toEqual(['models/knn/model.json', 'models/knn/weights.bin', 'models/pop/model.json', 'models/pop/weights.bin']);
  });

  it('refuses a folder that is not a fit, a damaged fit.json and a missing model, with one line', () => {
    const s = loadScenario(file);
    expect(() => readFitFolder(root, s)).toThrow(jobMsg.notFitFolder(root));
    const bad = join(root, 'bad');
    cpSync(fitDir, bad, { recursive: true });
    const json = JSON.parse(readFileSync(join(bad, 'fit.json'), 'utf8'));
    writeFileSync(join(bad, 'fit.json'), JSON.stringify({ ...json, quality: 'none' }));
    expect(() => readFitFolder(bad, s)).toThrow(`${join(bad, 'fit.json')} is not a recgap fit file: quality is "none"; expected a list`);
    writeFileSync(join(bad, 'fit.json'), JSON.stringify(json));
    rmSync(join(bad, 'models/knn'), { recursive: true });
    expect(() => readFitFolder(bad, s)).toThrow(jobMsg.fitModelMissing(join(bad, 'models/knn')));
  });

  it('refuses a fit of a data file that changed since (size or modification time)', async () => {
    const csv = join(root, 'events.csv');
    const rows = ['ts,person,key,item,event'];
    for (let i = 0; i < 400; i++)
      rows.push(`2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z,p${i % 40},k${i % 40},i${i % 25},${i % 9 === 0 ? 'purchase' : 'view'}`);
    writeFileSync(csv, rows.join('\n') + '\n');
    const yaml = join(root, 'data.yaml');
    writeFileSync(
      yaml,
      [
        'name: data',
        `data: { path: ${csv}, columns: { time: ts, person: person, key: key, item: item, event: event } }`,
        'train: { until: 50% }',
        'eval: { k: [5], window: 7d, bootstrap: 0 }',
        'models: [ { name: pop, type: popularity } ]',
        'pipelines:',
        '  - { name: daily, refresh: 1d, latency: 1h, identity: key }',
      ].join('\n'),
    );
    const fit = await fitJob({ scenario: loadScenario(yaml), outDir: join(root, 'datafit') });
    expect(readFitFolder(fit.dir, loadScenario(yaml)).modelFiles).toHaveLength(2);
    const { bytes, mtimeMs } = JSON.parse(readFileSync(join(fit.dir, 'fit.json'), 'utf8')).logFile;
    // Whole seconds: every file system keeps them exactly.
    const later = new Date(Math.floor(mtimeMs / 1000) * 1000 + 60_000);
    utimesSync(csv, later, later);
    expect(() => readFitFolder(fit.dir, loadScenario(yaml))).toThrow(
      jobMsg.fitLogChanged(fit.dir, csv, bytes, new Date(mtimeMs).toISOString(), bytes, later.toISOString()),
    );
  });

  it('the CLI: recgap fit writes OUT/<name>.fit; a run never replaces it', async () => {
    const out = join(root, 'cli');
    const fit = await inProcess(['fit', file, '--out', out, '--quiet'], root);
    expect(fit.status).toBe(0);
    expect(fit.stdout).toContain(`written: ${join(out, 'small.fit')}/fit.json`);
    const shard = await inProcess(['run', file, '--out', out, '--quiet', '--shard', '0/2', '--fitted', join(out, 'small.fit')], root);
    expect(shard.status).toBe(0);
    // A scenario named small.fit would write over the fit folder: refused, the fit stays.
    const clash = join(root, 'clash.yaml');
    writeFileSync(clash, smallScenarioYaml(SHARD_TEST_OPTIONS).replace(/^name: .*$/m, 'name: small.fit'));
    const run = await inProcess(['run', clash, '--out', out, '--quiet'], root);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`recgap: ${resultsMsg.targetOtherKind(join(out, 'small.fit'), 'fit', 'run')}\n`);
  });
});

describe('the Kubernetes example (docs/examples/kubernetes-*.yaml)', () => {
  const BIN = resolve(import.meta.dirname, '../../bin/recgap.js');
  /** The recgap command line of an example Job: its container command, or the `npx recgap ...` inside `sh -c`. */
  const commandOf = (name: string): string[] => {
    const job = parse(readFileSync(resolve(import.meta.dirname, `../../docs/examples/kubernetes-${name}.yaml`), 'utf8'));
    const command: string[] = job.spec.template.spec.containers[0].command;
    const line = command[0] === 'sh' ? command[2].split(/\s+/) : command;
    return line.slice(line.indexOf('recgap'));
  };

  it('three Jobs: fit, an Indexed shard Job on the fit folder, merge; every flag is one the CLI has', () => {
    const fit = commandOf('fit');
    const shards = commandOf('shards');
    const merge = commandOf('merge');
    expect([fit[1], shards[1], merge[1]]).toEqual(['fit', 'run', 'merge']);
    // The shards start from the fit's folder (OUT/<name>.fit) and the merge takes their folders (OUT/<name>.shard-*-of-n).
    const out = fit[fit.indexOf('--out') + 1];
    const name = fit[2].replace(/^.*\//, '').replace(/\.yaml$/, '');
    expect(shards[2]).toBe(fit[2]);
    expect(shards[shards.indexOf('--fitted') + 1]).toBe(`${out}/${fitFolderName(name)}`);
    const count = shards[shards.indexOf('--shard') + 1].split('/')[1];
    expect(merge[2]).toBe(`${out}/${name}.shard-*-of-${count}`);
    const job = parse(readFileSync(resolve(import.meta.dirname, '../../docs/examples/kubernetes-shards.yaml'), 'utf8'));
    expect(job.spec.completionMode).toBe('Indexed');
    expect(String(job.spec.completions)).toBe(count);
    for (const cmd of [fit, shards, merge]) {
      const help = spawnSync(process.execPath, [BIN, cmd[1], '--help'], { encoding: 'utf8' });
      expect(help.status).toBe(0);
      for (const f of cmd.filter((a) => a.startsWith('--'))) expect(help.stdout, `${cmd[1]} ${f}`).toContain(f);
    }
  });
});
