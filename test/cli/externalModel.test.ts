// `recgap run` with a `command` model, as the binary: a model that crashes ends the run with its stderr passed
// through under its name, one line naming the model and the request, exit code 1 and no output folder; and a run
// stopped by Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or killed outright (SIGKILL
// to recgap alone, no handler can run) leaves no model process and no training file behind, even with a model
// that ignores SIGTERM and the end of its input.
import { processAlive } from '../../src/results/outputLock.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { modelMsg } from '../../src/models/messages.ts';
import { smallScenarioYaml } from '../helpers.ts';

const BIN = resolve(import.meta.dirname, '../../bin/recgap.js');
const MODEL = resolve(import.meta.dirname, '../models/external/misbehave.mjs');
const root = mkdtempSync(join(tmpdir(), 'recgap-cli-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A scenario whose second model is misbehave.mjs in `mode`, writing its pid to `pidFile`. */
function scenario(name: string, mode: string, pidFile: string): string {
  const models = `[ { name: pop, type: popularity }, { name: bad, type: command, command: [${process.execPath}, ${MODEL}, ${mode}, ${pidFile}] } ]`;
  const file = join(root, `${name}.yaml`);
  writeFileSync(file, smallScenarioYaml({ persons: 400, models }).replace('name: small', `name: ${name}`));
  return file;
}

/** Resolves once `check` holds, polling; rejects after `ms` (a bound on a hang, not a speed claim). */
async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('recgap run with a command model', () => {
  it('a crashing model: its stderr under its name, one line naming it and the request, exit code 1, nothing written', () => {
    const pidFile = join(root, 'crash.pid');
    const file = scenario('crash', 'crash', pidFile);
    const r = spawnSync(process.execPath, [BIN, 'run', file, '--out', join(root, 'out'), '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toContain('[bad] crashing at request 3');
    expect(lines[lines.length - 1]).toBe(`recgap: ${modelMsg.externalExited('bad', 'request 3', 1, null)}`);
    expect(existsSync(join(root, 'out', 'crash'))).toBe(false);
    expect(processAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it.each([
    ['Ctrl-C (SIGINT to the process group)', 'SIGINT', true],
    ['SIGKILL to recgap alone', 'SIGKILL', false],
  ] as const)('a run stopped by %s leaves no model process and no training file', async (_what, signal, group) => {
    const pidFile = join(root, `${signal}.pid`);
    const file = scenario(`stopped-${signal}`, 'stubborn', pidFile);
    const cli = spawn(process.execPath, [BIN, 'run', file, '--out', join(root, 'out'), '--quiet'], { stdio: 'ignore', detached: group });
    const exited = new Promise<string | null>((r) => cli.on('exit', (_code, sig) => r(sig)));
    // The model started (and hangs at its second request, ignoring SIGTERM and the end of its input).
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 60_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(processAlive(pid)).toBe(true);
    process.kill(group ? -cli.pid! : cli.pid!, signal);
    expect(await exited).toBe(signal);
    // The watchdog sends SIGTERM, then SIGKILL two seconds later, and removes the training file recgap could not.
    await until(() => !processAlive(pid), 20_000);
    expect(processAlive(pid)).toBe(false);
    const trainDir = dirname(JSON.parse(readFileSync(`${pidFile}.hello`, 'utf8')).train);
    expect(trainDir).toMatch(/recgap-train-/);
    expect(existsSync(trainDir)).toBe(false);
  });

  it('a signal that reaches only the watchdog (the model waited on) ends recgap by that signal, after cleanup', async () => {
    // recgap's main thread is blocked waiting for the answer when a group's Ctrl-C arrives, so its own handler
    // may run only after the model's death; the watchdog's report is what makes the run end by the signal.
    const pidFile = join(root, 'watchdog-int.pid');
    const file = scenario('watchdog-int', 'stubborn', pidFile);
    const cli = spawn(process.execPath, [BIN, 'run', file, '--out', join(root, 'out'), '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    cli.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<string | null>((r) => cli.on('exit', (_code, sig) => r(sig)));
    await until(() => existsSync(`${pidFile}.waiting`), 60_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const watchdog = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    process.kill(watchdog, 'SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(`recgap: ${modelMsg.externalInterrupted('bad', 'request 2', 'SIGINT')}`);
    expect(processAlive(pid)).toBe(false);
    expect(existsSync(join(root, 'out', 'watchdog-int'))).toBe(false);
  });
});
