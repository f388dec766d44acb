// Issue #8, through the CLI: exit code 2 for usage and input errors, 1 for runtime failures; one "recgap:" line
// and no stack trace unless --debug. Spawning costs a second or two, so only a few rows run here; the messages
// themselves are tested in-process (scenario.test.ts, log.test.ts). test/cli/cli.test.ts covers run's own rows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/recgap.js');
const recgap = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
const STACK = /\n\s+at /;

describe('recgap exit codes and error lines', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-badinput-cli-'));
    const scenario = (data: string) =>
      `name: x\ndata: ${data}\nmodels: [ { name: pop, type: popularity } ]\npipelines: [ { name: live, refresh: stream, latency: 0, identity: oracle } ]\n`;
    writeFileSync(join(dir, 'missing-data.yaml'), scenario('{ path: nope.csv }'));
    writeFileSync(join(dir, 'malformed.yaml'), 'name: x\nseed: 1\nseed: 2\n');
    writeFileSync(join(dir, 'empty.csv'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['malformed YAML (exit 2)', ['run', 'malformed.yaml', '--out', 'o'], 2, 'recgap: malformed.yaml:3: invalid YAML: Map keys must be unique'],
    ['a missing data file (exit 2)', ['run', 'missing-data.yaml', '--out', 'o'], 2, `recgap: data file not found: ${'DIR'}/nope.csv`],
    ['an empty log for audit (exit 2)', ['audit', 'empty.csv'], 2, 'recgap: empty.csv: the file is empty'],
    [
      'a runtime failure: cannot write the output (exit 1)',
      ['schema', '--out', '/nonexistent-recgap-dir/s.json'],
      1,
      "recgap: ENOENT: no such file or directory, open '/nonexistent-recgap-dir/s.json'",
    ],
  ])('%s: one line, no stack trace', (_label, args, code, message) => {
    const r = recgap(args as string[], dir);
    expect(r.status).toBe(code);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('recgap:'));
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith((message as string).replace('DIR', dir))).toBe(true);
    expect(r.stderr).not.toMatch(STACK);
    // Only failures that are not input or run errors point at --debug.
    expect(r.stderr.includes('(run with --debug for the stack trace)')).toBe(code === 1);
  });

  // One path prints every error (src/cli/main.ts report()); the runtime failure exercises it with --debug.
  it.each([['a runtime failure', ['schema', '--out', '/nonexistent-recgap-dir/s.json', '--debug'], 1]])(
    '--debug adds the stack trace to %s and keeps the exit code',
    (_label, args, code) => {
      const r = recgap(args as string[], dir);
      expect(r.status).toBe(code);
      expect(r.stderr.split('\n')[0]).toMatch(/^recgap: /);
      expect(r.stderr).toMatch(STACK);
    },
  );
});
