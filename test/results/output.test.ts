// Output folders (issue 17 items 1 and 2), in process: which folders a command may replace, the lock that keeps
// two writers apart, and the leftovers of writers that died. test/results/crash.test.ts kills real writers at
// every step; test/badInput/output.test.ts runs the refusals through the CLI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimOutput, OUTPUT_MARKER, writeAtomically } from '../../src/results/output.ts';
import { resultsMsg } from '../../src/results/messages.ts';
import { lockTiming } from '../../src/results/outputLock.ts';
import { runJob } from '../../src/jobs/runJob.ts';
import { parseScenario } from '../../src/scenario/load.ts';

const root = mkdtempSync(join(tmpdir(), 'recgap-output-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh --out folder for each test. */
const fresh = () => join(root, `o${n++}`);
const files = (tag: string) => [
  { name: 'results.json', content: tag },
  { name: 'charts/x.svg', content: tag },
];
/** A pid that is certainly not running: a process that has exited. */
const deadPid = () => spawnSync('true').pid!;

describe('which folders a write replaces', () => {
  it('replaces its own output: the marker lists what it wrote, nothing else is left beside it', () => {
    const out = fresh();
    writeAtomically(out, 'x', files('1'));
    writeAtomically(out, 'x', files('2'));
    expect(readFileSync(join(out, 'x/results.json'), 'utf8')).toBe('2');
    expect(JSON.parse(readFileSync(join(out, 'x', OUTPUT_MARKER), 'utf8')).files).toEqual(['charts/x.svg', 'results.json']);
    expect(readdirSync(out)).toEqual(['x']);
  });

  it('writes a file given in parts part after part, and lists it in the marker like any other', () => {
    const out = fresh();
    const parts = ['a,b\n', new Uint8Array([0x31, 0x2c, 0x32, 0x0a]), '', 'é,"x"\n'];
    writeAtomically(out, 'x', [...files('1'), { name: 'data/requests.csv', chunks: () => parts }]);
    expect(readFileSync(join(out, 'x/data/requests.csv'), 'utf8')).toBe('a,b\n1,2\né,"x"\n');
    expect(JSON.parse(readFileSync(join(out, 'x', OUTPUT_MARKER), 'utf8')).files).toEqual(['charts/x.svg', 'data/requests.csv', 'results.json']);
  });

  it('replaces a run folder written before markers existed, when results.json says so and it holds only run files', () => {
    const out = fresh();
    mkdirSync(join(out, 'x/charts'), { recursive: true });
    writeFileSync(join(out, 'x/results.json'), JSON.stringify({ version: 'recgap.results/2' }));
    writeFileSync(join(out, 'x/charts/old.svg'), 'old');
    writeAtomically(out, 'x', files('new'));
    expect(readdirSync(join(out, 'x/charts'))).toEqual(['x.svg']);
  });

  it('refuses a folder whose results.json is not recgap results, and leaves it as it was', () => {
    const out = fresh();
    mkdirSync(join(out, 'x'), { recursive: true });
    writeFileSync(join(out, 'x/results.json'), '{"grade": "A"}');
    expect(() => writeAtomically(out, 'x', files('new'))).toThrow(resultsMsg.targetNotRecgap(join(out, 'x'), OUTPUT_MARKER));
    expect(readFileSync(join(out, 'x/results.json'), 'utf8')).toBe('{"grade": "A"}');
  });

  it('checks again when it writes: a file of yours that appeared during the run is not deleted', () => {
    const out = fresh();
    writeAtomically(out, 'x', files('old'));
    const claim = claimOutput({ outDir: out, name: 'x', kind: 'run' });
    writeFileSync(join(out, 'x/notes.md'), 'written while the run ran');
    expect(() => claim.write(files('new'))).toThrow(resultsMsg.targetForeignEntry(join(out, 'x'), 'notes.md'));
    claim.release();
    expect(readFileSync(join(out, 'x/results.json'), 'utf8')).toBe('old');
    expect(readdirSync(out)).toEqual(['x']);
  });

  it('creates --out when it claims, and removes it again when nothing was written', () => {
    const out = join(fresh(), 'deeper');
    claimOutput({ outDir: out, name: 'x', kind: 'run' }).release();
    expect(existsSync(join(out, '..'))).toBe(false);
  });
});

describe('one writer per folder', () => {
  it('a second claim while the first holds the folder fails at once, naming the holder; after release it succeeds', () => {
    const out = fresh();
    const first = claimOutput({ outDir: out, name: 'x', kind: 'run' });
    const lock = JSON.parse(readFileSync(join(out, '.x.lock'), 'utf8'));
    expect(lock.pid).toBe(process.pid);
    expect(() => claimOutput({ outDir: out, name: 'x', kind: 'run' })).toThrow(
      resultsMsg.outputBusy(join(out, 'x'), process.pid, hostname(), lock.startedAt, join(out, '.x.lock')),
    );
    // Another folder in the same --out is another lock.
    claimOutput({ outDir: out, name: 'y', kind: 'run' }).release();
    first.release();
    expect(existsSync(join(out, '.x.lock'))).toBe(false);
    writeAtomically(out, 'x', files('1'));
  });

  it('takes over the lock of a process that died, and respects one from another host', () => {
    const out = fresh();
    mkdirSync(out);
    const lock = (pid: number, host: string) =>
      writeFileSync(join(out, '.x.lock'), JSON.stringify({ pid, host, thread: 0, startedAt: '2024-05-01T10:00:00.000Z', token: 't' }));
    lock(deadPid(), hostname());
    writeAtomically(out, 'x', files('1'));
    expect(readdirSync(out)).toEqual(['x']);
    // Another host (a pod on a shared volume): its pid says nothing here; its heartbeat does.
    lock(process.pid + 1, 'build-7');
    expect(() => writeAtomically(out, 'x', files('2'))).toThrow(
      resultsMsg.outputBusy(join(out, 'x'), process.pid + 1, 'build-7', '2024-05-01T10:00:00.000Z', join(out, '.x.lock')),
    );
    expect(readFileSync(join(out, 'x/results.json'), 'utf8')).toBe('1');
    const stale = new Date(Date.now() - lockTiming.staleMs - 60_000);
    utimesSync(join(out, '.x.lock'), stale, stale);
    writeAtomically(out, 'x', files('3'));
    expect(readFileSync(join(out, 'x/results.json'), 'utf8')).toBe('3');
    expect(readdirSync(out)).toEqual(['x']);
  });

  it('a held lock is touched by a heartbeat while the main thread is busy', async () => {
    const out = fresh();
    const keep = lockTiming.heartbeatMs;
    lockTiming.heartbeatMs = 20;
    const claim = claimOutput({ outDir: out, name: 'x', kind: 'run' });
    try {
      const past = new Date(Date.now() - 3_600_000);
      utimesSync(join(out, '.x.lock'), past, past);
      // Block this thread, as a long replay does; then see whether the lock was touched meanwhile.
      const until = Date.now() + 500;
      while (Date.now() < until);
      let touched = statSync(join(out, '.x.lock')).mtimeMs;
      for (let i = 0; i < 100 && touched < past.getTime() + 1000; i++) {
        await new Promise((r) => setTimeout(r, 20));
        touched = statSync(join(out, '.x.lock')).mtimeMs;
      }
      expect(touched).toBeGreaterThan(past.getTime() + 1000);
    } finally {
      claim.release();
      lockTiming.heartbeatMs = keep;
    }
  });

  it('a writer that lost its lock (taken over after a stall) does not write', () => {
    const out = fresh();
    writeAtomically(out, 'x', files('old'));
    const claim = claimOutput({ outDir: out, name: 'x', kind: 'run' });
    writeFileSync(join(out, '.x.lock'), JSON.stringify({ pid: 1, host: 'build-7', thread: 0, startedAt: '2024-05-01T10:00:00.000Z', token: 'new' }));
    expect(() => claim.write(files('new'))).toThrow(resultsMsg.lockLost(join(out, 'x'), join(out, '.x.lock')));
    claim.release();
    expect(readFileSync(join(out, 'x/results.json'), 'utf8')).toBe('old');
    // Not ours: left for its holder.
    expect(existsSync(join(out, '.x.lock'))).toBe(true);
  });

  it('a lock it cannot read is not taken over', () => {
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, '.x.lock'), 'not json');
    expect(() => writeAtomically(out, 'x', files('1'))).toThrow(resultsMsg.lockUnreadable(join(out, 'x'), join(out, '.x.lock')));
  });
});

describe('leftovers of writers that died', () => {
  it('are removed by the next write; those of live processes are left alone', () => {
    const out = fresh();
    writeAtomically(out, 'x', files('old'));
    const dead = deadPid();
    const live = spawn('sleep', ['60']);
    try {
      for (const d of [`.x.tmp-${dead}`, `.x.old-${dead}`, `.x.tmp-${live.pid}`]) mkdirSync(join(out, d));
      writeFileSync(join(out, `.x.lock.stale-${dead}-ab12`), '{}');
      writeAtomically(out, 'x', files('new'));
      expect(readdirSync(out).sort()).toEqual([`.x.tmp-${live.pid}`, 'x']);
    } finally {
      live.kill();
    }
  });

  it('a parked old output whose writer died between the two renames is put back', () => {
    const out = fresh();
    writeAtomically(out, 'x', files('old'));
    // What a writer killed after renaming x away and before renaming its new folder in leaves behind.
    const dead = deadPid();
    renameSync(join(out, 'x'), join(out, `.x.old-${dead}`));
    mkdirSync(join(out, `.x.tmp-${dead}`));
    claimOutput({ outDir: out, name: 'x', kind: 'run' }).release();
    expect(readFileSync(join(out, 'x/results.json'), 'utf8')).toBe('old');
    expect(readdirSync(out)).toEqual(['x']);
  });
});

describe('a run claims its output before any work', () => {
  it('a refused folder is reported before the log is read (here: a data file that does not exist)', async () => {
    const out = fresh();
    mkdirSync(join(out, 'd'), { recursive: true });
    writeFileSync(join(out, 'd/thesis.tex'), 'x');
    const scenario = parseScenario(
      'name: d\ndata: { path: nope.csv }\nmodels: [ { name: pop, type: popularity } ]\npipelines: [ { name: live, refresh: stream, latency: 0, identity: key } ]\n',
      join(root, 'd.yaml'),
    );
    await expect(runJob({ scenario, outDir: out })).rejects.toThrow(resultsMsg.targetNotRecgap(join(out, 'd'), OUTPUT_MARKER));
    expect(readFileSync(join(out, 'd/thesis.tex'), 'utf8')).toBe('x');
  });
});
