// Sharded runs and worker threads give the results of a single run: shard i/n replays the requests of
// the persons hashing to i, `merge` puts all n back in global order and finishes the run, and worker
// threads split a run's requests the same way in one process. Per-request randomness (the random model)
// follows the global request id, so it survives every split.
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mergeJob, runJob } from '../../src/jobs/runJob.ts';
import { runScenario } from '../../src/run/run.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { parseShard, readShardHeader, shardFolderName } from '../../src/jobs/shard.ts';
import { InputError } from '../../src/errors.ts';
import { jobMsg } from '../../src/jobs/messages.ts';
import { estimateMergeMemory, MARGIN, MERGE_FIGURES } from '../../src/jobs/memoryEstimate.ts';
import { formatBytes, MERGE_ADVICE } from '../../src/jobs/resources.ts';
import { requestShards, shardOfPerson } from '../../src/eval/partition.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { SHARD_TEST_OPTIONS, smallScenarioYaml } from '../helpers.ts';
import { inProcess } from '../cliHelpers.ts';

const root = mkdtempSync(join(tmpdir(), 'recgap-shard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const BIN = resolve(import.meta.dirname, '../../bin/recgap.js');

const file = join(root, 'small.yaml');
writeFileSync(file, smallScenarioYaml(SHARD_TEST_OPTIONS));

/** results.json without the timings, requests.csv, requests.parquet and a saved model of a folder. */
const outputOf = (dir: string) => {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  delete results.runtime;
  return {
    results,
    csv: readFileSync(join(dir, 'requests.csv'), 'utf8'),
    parquet: readFileSync(join(dir, 'requests.parquet')),
    knn: readFileSync(join(dir, 'models/knn/weights.bin')),
  };
};

describe('sharded runs', () => {
  it('three shards merged equal the single run: results.json, requests.csv, requests.parquet and saved models', async () => {
    const single = await runJob({ scenario: loadScenario(file), outDir: join(root, 'single') });
    const dirs: string[] = [];
    for (const index of [2, 0, 1]) dirs.push((await runJob({ scenario: loadScenario(file), outDir: join(root, 'shards'), shard: { index, count: 3 } })).dir);
    expect(dirs[0]).toBe(join(root, 'shards', shardFolderName('small', { index: 2, count: 3 })));
    const merged = await mergeJob({ dirs, outDir: join(root, 'merged') });
    const a = outputOf(single.dir);
    const b = outputOf(merged.dir);
    expect(b.results).toEqual(a.results);
    // As text too: toEqual ignores the order of keys, which is part of a byte-identical results.json.
    expect(JSON.stringify(b.results)).toBe(JSON.stringify(a.results));
    // The per-request unknown-key column survives tables.bin: some requests come from fresh keys.
    expect(a.results.results[0].unknownKey.requests).toBeGreaterThan(0);
    expect(b.csv).toBe(a.csv);
    expect(b.parquet.equals(a.parquet)).toBe(true);
    expect(b.knn.equals(a.knn)).toBe(true);
    expect(merged.summary).toBe(single.summary);
  });

  it('refuses an incomplete, repeated or foreign set of shards with one line naming the folder', async () => {
    const s = (i: number) => join(root, 'shards', `small.shard-${i}-of-3`);
    await expect(mergeJob({ dirs: [s(0), s(2)], outDir: join(root, 'x') })).rejects.toThrow('recgap merge: shards 1/3 missing; all 3 are needed');
    await expect(mergeJob({ dirs: [s(0), s(1), s(1)], outDir: join(root, 'x') })).rejects.toThrow(`${s(1)}: shard 1/3 is given twice (also ${s(1)})`);
    // A shard of another seed: its frame differs.
    const other = join(root, 'other');
    await runJob({ scenario: { ...loadScenario(file), seed: 12 }, outDir: other, shard: { index: 1, count: 3 } });
    await expect(mergeJob({ dirs: [s(0), join(other, 'small.shard-1-of-3'), s(2)], outDir: join(root, 'x') })).rejects.toThrow(
      `${join(other, 'small.shard-1-of-3')}: not from the same run as ${s(0)} (scenario.seed differs)`,
    );
    await expect(mergeJob({ dirs: [root], outDir: join(root, 'x') })).rejects.toThrow(
      `${root}: not a shard folder (no shard.json); shards are written by recgap run --shard i/n`,
    );
    // A truncated table file.
    const cut = join(root, 'cut');
    cpSync(s(0), cut, { recursive: true });
    writeFileSync(join(cut, 'tables.bin'), readFileSync(join(cut, 'tables.bin')).subarray(0, 10));
    await expect(mergeJob({ dirs: [cut, s(1), s(2)], outDir: join(root, 'x') })).rejects.toThrow(/tables\.bin: 10 bytes; shard\.json describes \d+/);
  });

  it('refuses a merge whose estimate exceeds the memory available, before reading the tables, in one line; --force goes ahead', async () => {
    const dirs = [0, 1, 2].map((i) => join(root, 'shards', `small.shard-${i}-of-3`));
    const headers = dirs.map(readShardHeader);
    const requests = headers.reduce((n, h) => n + h.json.personIds.length, 0);
    const { sources: views, models } = headers[0].frame;
    expect(requests).toBe(JSON.parse(readFileSync(join(root, 'merged', 'small', 'results.json'), 'utf8')).counts.requests);
    // Hand-computed: the merge's base plus its per-request and per-request x view x model bytes, raised by the margin.
    const bytes = MARGIN * (MERGE_FIGURES.base + requests * (MERGE_FIGURES.perRequest + views * models.length * MERGE_FIGURES.perRequestViewModel));
    expect(estimateMergeMemory({ requests, views, models: models.length, shards: 3 }).bytes).toBeCloseTo(bytes, 3);
    const budget = { availableBytes: 100 * 2 ** 20, hostAvailableBytes: 100 * 2 ** 20, cgroup: null, ownBytes: 0 };
    const refused = mergeJob({ dirs, outDir: join(root, 'small-memory'), budget }).catch((e: unknown) => e);
    const error = await refused;
    expect(error).toBeInstanceOf(InputError);
    expect(error).toEqual(
      new InputError(
        jobMsg.notEnoughMemory(
          'this merge',
          formatBytes(bytes),
          `${requests.toLocaleString('en-US')} requests x ${views} views x 3 models in 3 shards`,
          '100 MB',
          'on this machine',
          MERGE_ADVICE,
        ),
      ),
    );
    // Refused before anything was written.
    expect(existsSync(join(root, 'small-memory', 'small'))).toBe(false);
    const forced = await mergeJob({ dirs, outDir: join(root, 'small-memory'), budget, force: true });
    expect(readFileSync(join(forced.dir, 'requests.csv'), 'utf8')).toBe(readFileSync(join(root, 'merged', 'small', 'requests.csv'), 'utf8'));
  });

  it('assigns a person to the same shard whatever the log holds, about evenly', () => {
    expect(shardOfPerson('p1', 1)).toBe(0);
    const ids = Array.from({ length: 4000 }, (_, i) => `p${i}`);
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[shardOfPerson(id, 4)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(100);
    // Requests follow their person: the shard of a request is its person's.
    const shards = requestShards({ length: 3, person: Int32Array.of(2, 0, 2) }, ['a', 'b', 'c'], 4);
    expect(Array.from(shards)).toEqual([shardOfPerson('c', 4), shardOfPerson('a', 4), shardOfPerson('c', 4)]);
  });

  it.each([
    ['2/4', {}, { index: 2, count: 4 }],
    ['0/1', {}, { index: 0, count: 1 }],
    ['auto/8', { JOB_COMPLETION_INDEX: '5' }, { index: 5, count: 8 }],
    ['auto/8', { AWS_BATCH_JOB_ARRAY_INDEX: '7' }, { index: 7, count: 8 }],
  ])('--shard %s parses', (text, env, want) => {
    expect(parseShard(text, env)).toEqual(want);
  });

  it.each([
    ['4/4', {}, '--shard 4/4: the index must be below the shard count (0 to 3)'],
    ['1/0', {}, '--shard 1/0: the shard count must be an integer from 1 to 65535'],
    ['1-4', {}, '--shard "1-4": expected i/n (e.g. 0/4) or auto/n'],
    ['auto/4', {}, '--shard auto/4: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) is set'],
    ['auto/4', { JOB_COMPLETION_INDEX: '4' }, '--shard auto/4: JOB_COMPLETION_INDEX is 4; expected an index below the shard count 4'],
    ['auto/4', { AWS_BATCH_JOB_ARRAY_INDEX: 'x' }, '--shard auto/4: AWS_BATCH_JOB_ARRAY_INDEX is "x"; expected a non-negative integer'],
  ])('--shard %s is refused', (text, env, message) => {
    expect(() => parseShard(text, env)).toThrow(message);
  });
});

describe('worker threads', () => {
  it('two workers give the single-threaded results, including a TensorFlow.js model, retraining and excludeSeen view', async () => {
    const withMf = join(root, 'mf.yaml');
    const evalSpec = '{ k: [10, 20], window: 5d, positives: [purchase], excludeSeen: view, bootstrap: 200 }';
    writeFileSync(
      withMf,
      smallScenarioYaml({
        persons: 250,
        models: '[ { name: knn, type: itemknn }, { name: rnd, type: random }, { name: mf, type: mf, factors: 8, epochs: 1 } ]',
        pipelines: SHARD_TEST_OPTIONS.pipelines,
        eval: evalSpec,
      }),
    );
    const one = await runScenario(loadScenario(withMf), { reporter: silentReporter() });
    const two = await runScenario(loadScenario(withMf), { reporter: silentReporter(), workers: 2 });
    // The replay really ran in workers (its stage says so), and gave the same tables.
    expect(Object.keys(two.results.runtime.timingsMs).some((k) => k.endsWith('in 2 worker threads'))).toBe(true);
    expect(Object.keys(one.results.runtime.timingsMs).some((k) => k.includes('worker threads'))).toBe(false);
    expect(two.sources).toEqual(one.sources);
    expect({ ...two.results, runtime: null }).toEqual({ ...one.results, runtime: null });
  });
});

describe('shards as separate processes', () => {
  it('n processes with --shard auto/n and a batch index run in parallel and merge to the single run', async () => {
    const cli = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
        const p = spawn(process.execPath, [BIN, ...args], { cwd: root, env: { ...process.env, ...env } });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        p.on('close', (code) => done({ code, stdout, stderr }));
      });
    const runs = await Promise.all([
      cli(['run', 'small.yaml', '--out', 'k8s', '--quiet', '--shard', 'auto/2'], { JOB_COMPLETION_INDEX: '0' }),
      cli(['run', 'small.yaml', '--out', 'k8s', '--quiet', '--shard', 'auto/2'], { AWS_BATCH_JOB_ARRAY_INDEX: '1' }),
    ]);
    for (const r of runs) expect(r.stderr).toBe('');
    expect(runs[0].stdout).toMatch(/^small: shard 0\/2: [\d,]+ of [\d,]+ requests/);
    // The merge through the CLI's main() in this process (the shards above are the separate processes); it
    // takes --force like the commands that make the shards.
    const merged = { ...(await inProcess(['merge', 'k8s/small.shard-0-of-2', 'k8s/small.shard-1-of-2', '--out', 'k8s', '--quiet', '--force'], root)) };
    expect(merged.stderr).toBe('');
    expect(merged.status).toBe(0);
    expect(outputOf(join(root, 'k8s', 'small'))).toEqual(outputOf(join(root, 'single', 'small')));
  });
});

describe('the example Kubernetes manifests', () => {
  it('run an Indexed Job whose --shard auto/n matches its completions, merged by a glob over the same n', async () => {
    const { parse } = await import('yaml');
    const dir = resolve(import.meta.dirname, '../../docs/examples');
    const shards = parse(readFileSync(join(dir, 'kubernetes-shards.yaml'), 'utf8'));
    const merge = parse(readFileSync(join(dir, 'kubernetes-merge.yaml'), 'utf8'));
    expect(shards.kind).toBe('Job');
    expect(shards.spec.completionMode).toBe('Indexed');
    const n = shards.spec.completions;
    const cmd: string[] = shards.spec.template.spec.containers[0].command;
    expect(cmd.slice(0, 3)).toEqual(['npx', 'recgap', 'run']);
    expect(cmd[cmd.indexOf('--shard') + 1]).toBe(`auto/${n}`);
    const scenario = cmd[3].replace(/^.*\//, '').replace(/\.yaml$/, '');
    expect(merge.spec.template.spec.containers[0].command.join(' ')).toContain(`recgap merge /work/reports/${scenario}.shard-*-of-${n} --out /work/reports`);
  });
});
