// Issue #8, through the CLI: exit code 2 for usage and input errors, 1 for runtime failures; one "recgap:" line
// and no stack trace unless --debug. Spawning costs a second or two, so only a few rows run here; the messages
// themselves are tested in-process (scenario.test.ts, log.test.ts). test/cli/cli.test.ts covers run's own rows.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcess } from '../cliHelpers.ts';
import { smallScenarioYaml } from '../helpers.ts';
import { cliMsg } from '../../src/cli/messages.ts';
import { msg } from '../../src/errors.ts';
import { estimateMemory, memoryInput } from '../../src/jobs/memoryEstimate.ts';
import { formatBytes } from '../../src/jobs/resources.ts';
import { jobMsg } from '../../src/jobs/messages.ts';
import { MAX_SCENARIO_BYTES } from '../../src/scenario/load.ts';
import { prepareScenario } from '../../src/jobs/runJob.ts';
import { DATA_FORMATS } from '../../src/scenario/types.ts';

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

// Issue 17 items 5 and 9, in this process (no start-up per row): options given without a value, values outside an
// option's choices, scenario paths that are not a scenario file, and a world too large for memory. Each is exit 2
// with one line; none starts any work.
describe('usage slips, unreadable scenario paths and worlds too large: exit 2, one line, before any work', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-badinput-usage-'));
    writeFileSync(join(dir, 's.yaml'), smallScenarioYaml({ persons: 300 }));
    writeFileSync(join(dir, 'events.csv'), 'time,person,item,event\n1700000000000,p1,i1,view\n');
    mkdirSync(join(dir, 'scenarios'));
    mkdirSync(join(dir, 'dir.yaml'));
    // A comment line repeated past the limit: valid YAML, but no scenario is a megabyte of settings.
    writeFileSync(join(dir, 'huge.yaml'), smallScenarioYaml({ persons: 300 }) + '\n' + '# padding padding padding padding\n'.repeat(40_000));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['--out at the end (yargs would use the default)', ['run', 's.yaml', '--out'], cliMsg.missingValue('--out', 'run')],
    ['--out= with nothing after it', ['run', 's.yaml', '--out='], cliMsg.missingValue('--out', 'run')],
    ['--workers before another option', ['run', 's.yaml', '--workers', '--quiet'], cliMsg.missingValue('--workers', 'run')],
    ['--seed without a value', ['run', 's.yaml', '--seed'], cliMsg.missingValue('--seed', 'run')],
    ['--set without a value', ['run', 's.yaml', '--set', '--quiet'], cliMsg.missingValue('--set', 'run')],
    ['--shard without a value', ['run', 's.yaml', '--shard'], cliMsg.missingValue('--shard', 'run')],
    ['generate --out without a value', ['generate', 's.yaml', '--out'], cliMsg.missingValue('--out', 'generate')],
    ['sweep --set without a value', ['sweep', 's.yaml', '--set'], cliMsg.missingValue('--set', 'sweep')],
    ['audit --fail-on without a value', ['audit', 'events.csv', '--fail-on'], cliMsg.missingValue('--fail-on', 'audit')],
    ['audit --positives without a value', ['audit', 'events.csv', '--positives', '--json'], cliMsg.missingValue('--positives', 'audit')],
    ['compare --metric without a value', ['compare', 'a', 'b', '--metric'], cliMsg.missingValue('--metric', 'compare')],
    ['report --audit without a value', ['report', 'r', '--audit'], cliMsg.missingValue('--audit', 'report')],
    ['audit --format xlsx lists the formats it knows', ['audit', 'events.csv', '--format', 'xlsx'], cliMsg.badChoice('--format', 'xlsx', DATA_FORMATS)],
    [
      'audit --exclude-seen maybe',
      ['audit', 'events.csv', '--exclude-seen', 'maybe'],
      cliMsg.badChoice('--exclude-seen', 'maybe', ['false', 'true', 'view', 'person']),
    ],
    ['a scenario path that is a folder (was EISDIR, exit 1)', ['run', 'scenarios'], msg.scenarioIsFolder('scenarios')],
    ['/dev/zero as the scenario (was read without end)', ['run', '/dev/zero'], msg.scenarioNotAFile('/dev/zero')],
    ['a scenario file over the size limit', ['run', 'huge.yaml'], msg.scenarioTooLarge('huge.yaml', MAX_SCENARIO_BYTES)],
    ['an audit of a folder', ['audit', 'scenarios/'], jobMsg.auditFolder('scenarios/')],
    ['an audit of a folder named like a scenario', ['audit', 'dir.yaml'], msg.scenarioIsFolder('dir.yaml')],
  ])('%s', async (_label, args, message) => {
    const r = await inProcess(args as string[], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`recgap: ${message}\n`);
    expect(r.stdout).toBe('');
  });

  it('generate with 100,000,000 persons is refused before generating, naming the estimate and the limit', async () => {
    const r = await inProcess(['generate', 's.yaml', '--out', 'events-big.csv', '--set', 'world.persons=100000000'], dir);
    expect(r.status).toBe(2);
    const est = estimateMemory(memoryInput(prepareScenario(join(dir, 's.yaml'), ['world.persons=100000000'])), { command: 'generate' });
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    // The available memory is the machine's: everything else is fixed.
    const start = `recgap: generating this log needs about ${formatBytes(est.bytes)} of memory (${est.events.toLocaleString('en-US')} events from 100,000,000 persons x 35 days) but `;
    expect(lines[0].startsWith(start)).toBe(true);
    expect(lines[0].slice(start.length)).toMatch(
      /^[\d.,]+ (MB|GB) is available (on this machine|under the container's cgroup v[12] limit of [\d.,]+ (MB|GB) \([\d.,]+ (MB|GB) in use\)); try a smaller world \(world\.persons, world\.days\), or pass --force to go ahead anyway$/,
    );
  });
});
