// Issue 17 item 3, files recgap reads back: shard.json (recgap merge), results.json (recgap report, recgap
// compare) are untrusted input. Each row tampers with a copy of a real file, runs the command through the CLI,
// and expects exit 2 with one line naming the file, the field, its value and what is allowed, and nothing
// written anywhere (a crafted shard once made merge read and write outside --out).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { show } from '../../src/errors.ts';
import { jobMsg } from '../../src/jobs/messages.ts';
import { mergeJob, runJob } from '../../src/jobs/runJob.ts';
import { resultsMsg } from '../../src/results/messages.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { NAME_RULE } from '../../src/scenario/names.ts';
import { smallScenarioYaml } from '../helpers.ts';
import { inProcess } from '../cliHelpers.ts';

let root: string;
/** Pristine outputs: two shard folders and the merged run folder. */
let shards: string[];
let run: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'recgap-untrusted-'));
  writeFileSync(join(root, 'small.yaml'), smallScenarioYaml({ persons: 300, eval: '{ k: [10], window: 5d, positives: [purchase], bootstrap: 20 }' }));
  const scenario = loadScenario(join(root, 'small.yaml'));
  shards = [];
  for (const index of [0, 1]) shards.push((await runJob({ scenario, outDir: join(root, 'pristine'), shard: { index, count: 2 } })).dir);
  run = (await mergeJob({ dirs: shards, outDir: join(root, 'pristine') })).dir;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Json = Record<string, unknown>;
/** Set (or, with undefined, delete) the value at a dotted path of parsed JSON. */
function edit(json: Json, path: string, value?: unknown): void {
  const keys = path.split('.');
  let at = json as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  if (value === undefined) delete at[keys[keys.length - 1]];
  else at[keys[keys.length - 1]] = value;
}
/** A fresh folder with copies of the pristine shards, the first one's shard.json edited by `edit`. */
function tamperedShards(change: (json: Json, dir: string) => void): { base: string; dirs: string[] } {
  const base = mkdtempSync(join(root, 'case-'));
  const dirs = shards.map((d, i) => {
    const copy = join(base, `in/small.shard-${i}-of-2`);
    cpSync(d, copy, { recursive: true });
    return copy;
  });
  const file = join(dirs[0], 'shard.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  change(json, dirs[0]);
  writeFileSync(file, JSON.stringify(json));
  return { base, dirs };
}

/** Every path under a folder: nothing may appear beside the inputs. */
const tree = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

describe('a tampered shard.json: recgap merge exits 2 with one line and writes nothing', () => {
  const shardFile = (dirs: string[]) => join(dirs[0], 'shard.json');
  const rows: Array<[string, (json: Json, dir: string) => void, (dirs: string[]) => string]> = [
    [
      'a model name with ../ (merge read models/../../x and wrote outside --out)',
      (j) => edit(j, 'frame.models.0.name', '../../evil'),
      (dirs) => jobMsg.shardInvalid(shardFile(dirs), resultsMsg.fieldInvalid('frame.models.0.name', show('../../evil'), NAME_RULE)),
    ],
    [
      'a scenario name that leaves --out',
      (j) => edit(j, 'frame.scenario.name', '../escape'),
      (dirs) =>
        jobMsg.shardInvalid(
          shardFile(dirs),
          resultsMsg.fieldInvalid('frame.scenario.name', show('../escape'), 'a scenario name: letters, digits, dot, dash, underscore, at most 100 characters'),
        ),
    ],
    [
      'no frame (was: exit 1, "Cannot read properties of undefined")',
      (j) => edit(j, 'frame'),
      (dirs) => jobMsg.shardInvalid(shardFile(dirs), resultsMsg.fieldMissing('frame', 'a mapping')),
    ],
    [
      'a pipeline named frozen',
      (j) => edit(j, 'frame.pipelines.0.name', 'frozen'),
      (dirs) =>
        jobMsg.shardInvalid(
          shardFile(dirs),
          resultsMsg.fieldInvalid(
            'frame.pipelines.0.name',
            show('frozen'),
            'a name other than frozen, which names the offline view (requests.csv columns <model>.frozen.<metric>, results.json views)',
          ),
        ),
    ],
    ['a shard index beyond the count', (j) => edit(j, 'shard.index', 5), (dirs) => jobMsg.shardInvalid(shardFile(dirs), jobMsg.shardIndexBeyond(5, 2))],
    ['no K', (j) => edit(j, 'frame.config.ks', []), (dirs) => jobMsg.shardInvalid(shardFile(dirs), jobMsg.shardNoKs())],
    ['a plan for another pipeline', (j) => edit(j, 'frame.plans.0.name', 'other'), (dirs) => jobMsg.shardInvalid(shardFile(dirs), jobMsg.shardPlans())],
    [
      'a key id missing',
      (j) => (j.keyIds as string[]).pop(),
      (dirs) => {
        const requests = shardJson(dirs[0]).personIds.length;
        return jobMsg.shardInvalid(shardFile(dirs), jobMsg.shardIdsLength(requests - 1, requests));
      },
    ],
    [
      'a plan that refers to a table the shard does not have',
      (j) => edit(j, 'frame.plans.0.source', 99),
      (dirs) => jobMsg.shardInvalid(shardFile(dirs), jobMsg.shardPlanSource(0, 99, shardJson(dirs[0]).frame.sources)),
    ],
    [
      'an array of another type than its table',
      (j) => edit(j, 'arrays.0.dtype', 'float64'),
      (dirs) => {
        const requests = shardJson(dirs[0]).personIds.length;
        return jobMsg.shardInvalid(shardFile(dirs), jobMsg.shardManifest(requests, `ids:int32:${requests}`));
      },
    ],
    [
      'a model file that is a link to a file elsewhere (merge copied it into the output)',
      (_j, dir) => {
        rmSync(join(dir, 'models/knn/weights.bin'));
        symlinkSync('/etc/hostname', join(dir, 'models/knn/weights.bin'));
      },
      (dirs) => jobMsg.shardModelFile(join(dirs[0], 'models/knn/weights.bin')),
    ],
  ];

  it.each(rows)('%s', async (_label, change, message) => {
    const { base, dirs } = tamperedShards(change);
    const before = tree(base);
    const r = await inProcess(['merge', ...dirs, '--out', join(base, 'out'), '--quiet'], base);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`recgap: ${message(dirs)}\n`);
    expect(tree(base)).toEqual(before);
    expect(existsSync(join(root, 'evil'))).toBe(false);
  });
});

/** A shard folder's shard.json as written (after the row's edit). */
function shardJson(dir: string): { frame: { sources: number }; personIds: string[] } {
  return JSON.parse(readFileSync(join(dir, 'shard.json'), 'utf8'));
}

describe('a tampered results.json: recgap report and recgap compare exit 2 with one line', () => {
  const copy = (change: (json: Json) => void) => {
    const dir = join(mkdtempSync(join(root, 'case-')), 'small');
    cpSync(run, dir, { recursive: true });
    const file = join(dir, 'results.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    change(json);
    writeFileSync(file, JSON.stringify(json));
    return { dir, file };
  };

  it.each([
    ['report: a result without metrics (was: exit 1, "Cannot read properties of undefined")', 'report'],
    ['compare: a result without metrics', 'compare'],
  ])('%s', async (_label, command) => {
    const { dir, file } = copy((j) => edit(j, 'results.0.metrics'));
    const before = tree(dir);
    const r = await inProcess(command === 'report' ? ['report', dir] : ['compare', run, dir], root);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`recgap: ${resultsMsg.resultsUnreadable(file, resultsMsg.fieldMissing('results.0.metrics', 'a mapping'))}\n`);
    expect(tree(dir)).toEqual(before);
  });

  it('report: a business.value formula that is not a checked formula tree', async () => {
    const { dir, file } = copy((j) => edit(j, 'scenario.business.value', { text: 'x', formula: { kind: 'call', fn: 'process.exit' } }));
    const r = await inProcess(['report', dir], root);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^recgap: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a recgap results file: scenario\\.business\\.value\\.formula`),
    );
  });
});
