// Issue 17 item 1, through the CLI: recgap never deletes what it did not write. Each row sets up an output
// folder (or an input inside one) that a command must not replace, runs the command, and checks the exit code
// 2, the one line (from the message function) and that every byte at the target is still there. The refusal
// comes before any work: none of these rows generates a world or reads a log.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsMsg } from '../../src/results/messages.ts';
import { runJob } from '../../src/jobs/runJob.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { smallScenarioYaml } from '../helpers.ts';
import { inProcess } from '../cliHelpers.ts';

/** Every entry under a path with its bytes (or link target): what a refused command must leave as it was. */
function snapshot(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string, rel: string) => {
    if (!existsSync(p) && !isLink(p)) return;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
    else if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e), `${rel}/${e}`);
    else out[rel] = readFileSync(p, 'base64');
  };
  walk(path, '.');
  return out;
}
const isLink = (p: string) => {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

/** A marker as a recgap output folder holds it (written here by hand: the format is the contract). */
const marker = (kind: string, files: string[]) => JSON.stringify({ tool: 'recgap', format: 'recgap.output/1', kind, version: '0.1.0', files });

let dir: string;
let sleeper: ReturnType<typeof spawn>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recgap-badinput-out-'));
  writeFileSync(join(dir, 'small.yaml'), smallScenarioYaml({ persons: 300 }));
  // A data scenario whose log lies inside the folder its output would replace.
  mkdirSync(join(dir, 'inside/data'), { recursive: true });
  writeFileSync(join(dir, 'inside/data/events.csv'), 'time,person,item,event\n1,a,x,purchase\n');
  writeFileSync(
    join(dir, 'data.yaml'),
    'name: data\ndata: { path: inside/data/events.csv }\nmodels: [ { name: pop, type: popularity } ]\npipelines: [ { name: live, refresh: stream, latency: 0, identity: key } ]\n',
  );
  // A process that lives through the file: the holder of a lock.
  sleeper = spawn('sleep', ['120']);
});
// Two shard folders of the small scenario (a few seconds), for the merge rows.
beforeAll(async () => {
  const scenario = loadScenario(join(dir, 'small.yaml'));
  for (const index of [0, 1]) await runJob({ scenario, outDir: join(dir, 'shards'), shard: { index, count: 2 } });
});
afterAll(() => {
  sleeper.kill();
  rmSync(dir, { recursive: true, force: true });
});

type Row = [label: string, setup: (d: string) => void, args: string[], target: string, message: (d: string) => string];

describe('an output folder recgap did not write is refused with exit 2, one line, and left as it was', () => {
  const rows: Row[] = [
    [
      "run into a user's folder (thesis.tex inside)",
      (d) => {
        mkdirSync(join(d, 'o1/small'), { recursive: true });
        writeFileSync(join(d, 'o1/small/thesis.tex'), '\\chapter{Results}');
      },
      ['run', 'small.yaml', '--out', 'o1'],
      'o1/small',
      () => resultsMsg.targetNotRecgap('o1/small', '.recgap-output'),
    ],
    [
      'run where a regular file has the folder name',
      (d) => {
        mkdirSync(join(d, 'o2'));
        writeFileSync(join(d, 'o2/small'), 'a file');
      },
      ['run', 'small.yaml', '--out', 'o2'],
      'o2/small',
      () => resultsMsg.targetNotFolder('o2/small'),
    ],
    [
      'run where a symbolic link has the folder name',
      (d) => {
        mkdirSync(join(d, 'o3/elsewhere'), { recursive: true });
        writeFileSync(join(d, 'o3/elsewhere/keep.txt'), 'x');
        symlinkSync('elsewhere', join(d, 'o3/small'));
      },
      ['run', 'small.yaml', '--out', 'o3'],
      'o3',
      () => resultsMsg.targetIsLink('o3/small'),
    ],
    ['run with --out a file', (d) => writeFileSync(join(d, 'o4'), 'a file'), ['run', 'small.yaml', '--out', 'o4'], 'o4', () => resultsMsg.outNotFolder('o4')],
    [
      'run into a recgap folder that also holds a file of yours',
      (d) => {
        mkdirSync(join(d, 'o5/small'), { recursive: true });
        writeFileSync(join(d, 'o5/small/results.json'), '{}');
        writeFileSync(join(d, 'o5/small/.recgap-output'), marker('run', ['results.json']));
        writeFileSync(join(d, 'o5/small/notes.md'), 'mine');
      },
      ['run', 'small.yaml', '--out', 'o5'],
      'o5/small',
      () => resultsMsg.targetForeignEntry('o5/small', 'notes.md'),
    ],
    [
      'run into the output of a sweep (a scenario named like it)',
      (d) => {
        mkdirSync(join(d, 'o6/small'), { recursive: true });
        writeFileSync(join(d, 'o6/small/sweep.json'), '{}');
        writeFileSync(join(d, 'o6/small/.recgap-output'), marker('sweep', ['sweep.json']));
      },
      ['run', 'small.yaml', '--out', 'o6'],
      'o6/small',
      () => resultsMsg.targetOtherKind('o6/small', 'sweep', 'run'),
    ],
    [
      'run into a folder whose marker is not JSON',
      (d) => {
        mkdirSync(join(d, 'o7/small'), { recursive: true });
        writeFileSync(join(d, 'o7/small/.recgap-output'), 'hello');
      },
      ['run', 'small.yaml', '--out', 'o7'],
      'o7/small',
      () => resultsMsg.markerUnreadable('o7/small', '.recgap-output', `Unexpected token 'h', "hello" is not valid JSON`),
    ],
    [
      'run whose own data file lies inside the folder it would replace (before reading it)',
      () => {},
      ['run', 'data.yaml', '--out', '.', '--set', 'name=inside'],
      'inside',
      (d) => resultsMsg.inputInsideTarget('the data file', join(d, 'inside/data/events.csv'), 'inside'),
    ],
    [
      'run whose saved model lies inside the folder it would replace',
      (d) => {
        mkdirSync(join(d, 'o8/small/models/knn'), { recursive: true });
        writeFileSync(join(d, 'o8/small/models/knn/model.json'), '{}');
        writeFileSync(join(d, 'o8/small/.recgap-output'), marker('run', ['models/knn/model.json']));
      },
      ['run', 'small.yaml', '--out', 'o8', '--set', 'models.1={ name: prod, type: saved, path: o8/small/models/knn }'],
      'o8/small',
      (d) => resultsMsg.inputInsideTarget("model prod's file", join(d, 'o8/small/models/knn'), 'o8/small'),
    ],
    [
      'run into a folder another recgap is writing (a live lock): fails at once, naming its pid',
      (d) => {
        mkdirSync(join(d, 'o9'));
        writeFileSync(
          join(d, 'o9/.small.lock'),
          JSON.stringify({ pid: sleeper.pid, host: hostname(), thread: 0, startedAt: '2024-05-01T10:00:00.000Z', token: 'other' }),
        );
      },
      ['run', 'small.yaml', '--out', 'o9'],
      'o9',
      (d) => resultsMsg.outputBusy('o9/small', sleeper.pid!, hostname(), '2024-05-01T10:00:00.000Z', join(d, 'o9/.small.lock')),
    ],
    [
      'run into a folder whose lock cannot be read',
      (d) => {
        mkdirSync(join(d, 'o10'));
        writeFileSync(join(d, 'o10/.small.lock'), 'garbage');
      },
      ['run', 'small.yaml', '--out', 'o10'],
      'o10',
      (d) => resultsMsg.lockUnreadable('o10/small', join(d, 'o10/.small.lock')),
    ],
    [
      "merge into a user's folder (checked after shard.json, before the tables)",
      (d) => {
        mkdirSync(join(d, 'm1/small'), { recursive: true });
        writeFileSync(join(d, 'm1/small/thesis.tex'), 'x');
      },
      ['merge', 'shards/small.shard-0-of-2', 'shards/small.shard-1-of-2', '--out', 'm1'],
      'm1/small',
      () => resultsMsg.targetNotRecgap('m1/small', '.recgap-output'),
    ],
    [
      'merge of shard folders that lie inside the folder it would write',
      (d) => {
        mkdirSync(join(d, 'm2'));
        cpSync(join(d, 'shards'), join(d, 'm2/small'), { recursive: true });
      },
      ['merge', 'm2/small/small.shard-0-of-2', 'm2/small/small.shard-1-of-2', '--out', 'm2'],
      'm2',
      () => resultsMsg.inputInsideTarget('shard folder', 'm2/small/small.shard-0-of-2', 'm2/small'),
    ],
    [
      "sweep into a user's folder",
      (d) => {
        mkdirSync(join(d, 's1/small-sweep'), { recursive: true });
        writeFileSync(join(d, 's1/small-sweep/thesis.tex'), 'x');
      },
      ['sweep', 'small.yaml', '--out', 's1', '--set', 'pipelines.0.refresh=1d,7d'],
      's1/small-sweep',
      () => resultsMsg.targetNotRecgap('s1/small-sweep', '.recgap-output'),
    ],
    [
      'sweep into an earlier sweep folder that holds a file of yours',
      (d) => {
        mkdirSync(join(d, 's2/small-sweep'), { recursive: true });
        writeFileSync(join(d, 's2/small-sweep/sweep.json'), '{"version":"recgap.sweep/2"}');
        writeFileSync(join(d, 's2/small-sweep/draft.docx'), 'x');
      },
      ['sweep', 'small.yaml', '--out', 's2', '--set', 'pipelines.0.refresh=1d,7d'],
      's2/small-sweep',
      () => resultsMsg.targetForeignEntry('s2/small-sweep', 'draft.docx'),
    ],
  ];

  it.each(rows)('%s', async (_label, setup, args, target, message) => {
    setup(dir);
    const before = snapshot(join(dir, target));
    const r = await inProcess(args, dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`recgap: ${message(dir)}\n`);
    expect(snapshot(join(dir, target))).toEqual(before);
  });

  it.skipIf(process.getuid?.() === 0)('run into a folder it cannot write (as root every folder is writable)', async () => {
    mkdirSync(join(dir, 'ro'), { mode: 0o555 });
    const r = await inProcess(['run', 'small.yaml', '--out', 'ro'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`recgap: ${resultsMsg.outNotWritable('ro', 'EACCES')}\n`);
  });
});
