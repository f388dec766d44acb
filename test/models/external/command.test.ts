// `command` models over their real transport (a process, its watchdog, the bridge thread): what a model is
// told, what it answers, and every way it can misbehave, each stopping with its one-line message and leaving
// no process behind. The models are small Node scripts (misbehave.mjs), so these tests need nothing but Node.
import { processAlive } from '../../../src/results/outputLock.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, RunError } from '../../../src/errors.ts';
import { modelMsg } from '../../../src/models/messages.ts';
import { fitExternal, type ExternalModel } from '../../../src/models/external/externalModel.ts';
import { TRAIN_HEADER } from '../../../src/models/external/trainCsv.ts';
import type { CommandModelSpec } from '../../../src/scenario/types.ts';
import { loadScenario, parseScenario } from '../../../src/scenario/load.ts';
import { runJob } from '../../../src/jobs/runJob.ts';
import { smallScenarioYaml } from '../../helpers.ts';
import { clusterLog, D, fitContext, profilesAt } from '../fixtures.ts';

const SCRIPT = fileURLToPath(new URL('./misbehave.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'recgap-command-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const log = clusterLog();
const ctx = { ...fitContext(log, 14 * D), kMax: 10 };
const profiles = profilesAt(log, 15 * D).slice(0, 12);
const nItems = log.dict.item.length;
/** The fixed vector misbehave.mjs answers: item i scores (i * 7) % 11. */
const fixed = Float32Array.from({ length: nItems }, (_, i) => (i * 7) % 11);

let runs = 0;
function model(mode: string, options: Partial<CommandModelSpec> = {}): { m: ExternalModel; pidFile: string } {
  const pidFile = join(root, `pid-${++runs}`);
  const spec: CommandModelSpec = {
    name: 'bad',
    type: 'command',
    command: [process.execPath, SCRIPT, mode, pidFile],
    cwd: root,
    timeoutMs: 10_000,
    startTimeoutMs: 10_000,
    ...options,
  };
  return { m: fitExternal(spec, ctx), pidFile };
}

/** Score the test profiles and return the error that stopped the model (failing if none). */
function failureOf(m: ExternalModel): Error {
  try {
    m.scoreBatch!(profiles, new Float32Array(profiles.length * nItems));
  } catch (e) {
    return e as Error;
  }
  throw new Error('scored without an error');
}

describe('command models: the protocol', () => {
  it('tells the model the catalogue, the training file, K and the positives, and sends each view as a request', () => {
    const { m, pidFile } = model('echo');
    const out = new Float32Array(profiles.length * nItems);
    m.scoreBatch!(profiles, out);
    const hello = JSON.parse(readFileSync(`${pidFile}.hello`, 'utf8'));
    expect(hello).toEqual({ recgap: 1, items: log.dict.item, train: m.trainFile, k: 10, positives: ['purchase'] });
    // The training file: every event before the split, in time order, with its person, key, item and type.
    const rows = readFileSync(m.trainFile!, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe(TRAIN_HEADER);
    expect(rows.length - 1).toBe(ctx.trainBound);
    const e = ctx.trainBound - 1;
    expect(rows[rows.length - 1]).toBe(
      `${log.tsMs[e]},${log.dict.person[log.person[e]]},${log.dict.key[log.key[e]]},${log.dict.item[log.item[e]]},${log.dict.type[log.type[e]]}`,
    );
    // One request per profile: ids from 1, the view's items, times and event types oldest first, and how many
    // requests of the batch follow.
    const requests = readFileSync(`${pidFile}.requests`, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(requests.map((r) => r.id)).toEqual(profiles.map((_, i) => i + 1));
    expect(requests.map((r) => r.more)).toEqual(profiles.map((_, i) => profiles.length - 1 - i));
    const ev = profiles[3].events;
    expect(requests[3]).toMatchObject({
      items: [...ev].map((x) => log.dict.item[log.item[x]]),
      times: [...ev].map((x) => log.tsMs[x]),
      events: [...ev].map((x) => log.dict.type[log.type[x]]),
    });
    // The echo model scores an item by how often the view lists it: the scores arrive in catalogue order.
    for (let p = 0; p < profiles.length; p++) {
      const expected = new Float32Array(nItems);
      for (const x of profiles[p].events) expected[log.item[x]]++;
      expect(out.subarray(p * nItems, (p + 1) * nItems)).toEqual(expected);
    }
    // Ids go on across calls.
    m.score(profiles[0], new Float32Array(nItems));
    expect(JSON.parse(readFileSync(`${pidFile}.requests`, 'utf8').trimEnd().split('\n').pop()!)).toMatchObject({ id: profiles.length + 1, more: 0 });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const file = m.trainFile!;
    m.dispose!();
    expect(processAlive(pid)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it.each(['json', 'f32'])('reads %s answers into the catalogue order, one row per profile', (framing) => {
    const { m } = model(framing === 'json' ? 'fixed' : 'f32');
    const out = new Float32Array(profiles.length * nItems);
    m.scoreBatch!(profiles, out);
    for (let p = 0; p < profiles.length; p++) expect(out.subarray(p * nItems, (p + 1) * nItems)).toEqual(fixed);
    m.dispose!();
  });

  it('reads null as "never recommend" (-Infinity, which the ranking skips)', () => {
    const { m } = model('null-score');
    const out = new Float32Array(nItems);
    m.score(profiles[0], out);
    expect(out[0]).toBe(-Infinity);
    expect(out.subarray(1)).toEqual(fixed.subarray(1));
    m.dispose!();
  });

  it('reuses a training file it is given and leaves it to its owner', () => {
    const owner = model('fixed').m;
    const { m } = (() => {
      const pidFile = join(root, `pid-${++runs}`);
      const spec: CommandModelSpec = {
        name: 'w',
        type: 'command',
        command: [process.execPath, SCRIPT, 'fixed', pidFile],
        cwd: root,
        timeoutMs: 10_000,
        startTimeoutMs: 10_000,
      };
      return { m: fitExternal(spec, { ...ctx, trainFile: owner.trainFile }) };
    })();
    const file = owner.trainFile!;
    expect(m.trainFile).toBe(file);
    m.dispose!();
    expect(existsSync(file)).toBe(true);
    owner.dispose!();
    expect(existsSync(file)).toBe(false);
  });
});

describe('command models that misbehave stop the run with one line and leave no process behind', () => {
  const item = (i: number) => log.dict.item[i];
  const rows: Array<[string, string, Partial<CommandModelSpec>, string]> = [
    ['exits during the handshake', 'crash-start', {}, modelMsg.externalExited('bad', 'the handshake', 3, null)],
    // Long enough for the model to start (and write its pid) before the handshake times out.
    ['never answers the handshake', 'hang-start', { startTimeoutMs: 2000 }, modelMsg.externalTimeout('bad', 'the handshake', '2s', 'startTimeout')],
    ['ignores SIGTERM and the handshake', 'stubborn-start', { startTimeoutMs: 2000 }, modelMsg.externalTimeout('bad', 'the handshake', '2s', 'startTimeout')],
    ['answers the handshake with something else', 'not-ready', {}, modelMsg.externalNotReady('bad', 'loading model...')],
    ['crashes', 'crash', {}, modelMsg.externalExited('bad', 'request 3', 1, null)],
    ['is killed', 'killed', {}, modelMsg.externalExited('bad', 'request 2', null, 'SIGKILL')],
    ['hangs past the timeout', 'hang', { timeoutMs: 300 }, modelMsg.externalTimeout('bad', 'request 2', '300ms', 'timeout')],
    ['hangs and ignores SIGTERM', 'stubborn', { timeoutMs: 300 }, modelMsg.externalTimeout('bad', 'request 2', '300ms', 'timeout')],
    ['answers malformed JSON', 'malformed', {}, modelMsg.externalMalformed('bad', 'request 2', 'is not valid JSON', '{"id": 2, "scores": [1, 2,')],
    ['answers with the wrong id', 'wrong-id', {}, modelMsg.externalWrongId('bad', 2, 3)],
    ['answers the wrong number of scores', 'wrong-count', {}, modelMsg.externalWrongCount('bad', 'request 2', nItems - 1, nItems)],
    ['answers a score that is not a number', 'not-a-number', {}, modelMsg.externalNotFinite('bad', 'request 2', 5, item(5), '"high"')],
    ['answers NaN in f32', 'f32-nan', {}, modelMsg.externalNotFinite('bad', 'request 2', 4, item(4), 'NaN')],
    ['answers too few f32 bytes', 'f32-short', {}, modelMsg.externalWrongCount('bad', 'request 2', nItems - 1, nItems)],
  ];
  it.each(rows)('a model that %s', (_what, mode, options, message) => {
    const { m, pidFile } = model(mode, options);
    const e = failureOf(m);
    expect(e).toBeInstanceOf(RunError);
    expect(e.message).toBe(message);
    // By the time the error is thrown, the model and its watchdog have been reaped.
    const { model: pid, watchdog } = m.processIds();
    expect(pid).toBe(Number(readFileSync(pidFile, 'utf8')));
    expect(watchdog).toBeGreaterThan(0);
    expect([processAlive(pid), processAlive(watchdog)]).toEqual([false, false]);
    // The model stays stopped: later calls fail the same way, and dispose() is safe.
    expect(() => m.score(profiles[0], new Float32Array(nItems))).toThrow(message);
    m.dispose!();
  });

  it('a program that does not exist is bad input naming it', () => {
    const spec: CommandModelSpec = { name: 'bad', type: 'command', command: ['recgap-no-such-model'], cwd: root, timeoutMs: 1000, startTimeoutMs: 1000 };
    const m = fitExternal(spec, ctx);
    const e = failureOf(m);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(modelMsg.externalCannotStart('bad', 'recgap-no-such-model', 'ENOENT'));
    m.dispose!();
  });
});

describe('command models in a scenario', () => {
  it("run in the scenario file's folder; a program given as a path is resolved there, a bare name is looked up on PATH", () => {
    const yaml = (command: string) => smallScenarioYaml({ models: `[ { name: cand, type: command, command: ${command}, timeout: 90s } ]` });
    const dir = join(root, 'scenario-dir');
    expect(parseScenario(yaml('[./bin/score, --fast]'), join(dir, 's.yaml')).models[0]).toEqual({
      name: 'cand',
      type: 'command',
      command: [join(dir, 'bin', 'score'), '--fast'],
      cwd: dir,
      timeoutMs: 90_000,
      startTimeoutMs: 600_000,
    });
    expect(parseScenario(yaml('[python3, score.py]'), join(dir, 's.yaml')).models[0]).toMatchObject({ command: ['python3', 'score.py'], cwd: dir });
  });

  it('a run saves the built-in models and nothing for a command model (saved: null)', async () => {
    const dir = mkdtempSync(join(root, 'saving-'));
    const models = `[ { name: pop, type: popularity }, { name: cand, type: command, command: [${process.execPath}, ${SCRIPT}, fixed, ${join(dir, 'pid')}] } ]`;
    writeFileSync(join(dir, 's.yaml'), smallScenarioYaml({ persons: 300, models }));
    const { dir: out, run } = await runJob({ scenario: loadScenario(join(dir, 's.yaml')), outDir: join(dir, 'out') });
    expect(existsSync(join(out, 'models', 'pop', 'model.json'))).toBe(true);
    expect(existsSync(join(out, 'models', 'cand'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).models).toEqual([
      { name: 'pop', type: 'popularity', saved: 'models/pop' },
      { name: 'cand', type: 'command', saved: null },
    ]);
    expect(processAlive(Number(readFileSync(join(dir, 'pid'), 'utf8')))).toBe(false);
    expect(existsSync(run!.models[1].trainFile!)).toBe(false);
  });
});
