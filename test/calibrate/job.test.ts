// `recgap calibrate` end to end on a small generated log: the twin file, its comments, calibration.json and the
// printed table; then the bad inputs, each with its exact message.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { calibrate } from '../../src/calibrate/calibrate.ts';
import { calibrateMsg } from '../../src/calibrate/messages.ts';
import { VALIDATION_TOLERANCE } from '../../src/calibrate/validation.ts';
import { calibrateJob, parsePersonsArg, type CalibrationReport } from '../../src/jobs/calibrate.ts';
import { jobMsg } from '../../src/jobs/messages.ts';
import { generateJob } from '../../src/jobs/runJob.ts';
import { ingestMsg, dropReason } from '../../src/ingest/messages.ts';
import { logFromRows } from '../../src/log/eventLog.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { DATA_FORMATS } from '../../src/scenario/types.ts';
import { InputError } from '../../src/errors.ts';
import { inProcess } from '../cliHelpers.ts';
import { smallScenario } from '../helpers.ts';

describe('calibrateJob on a generated log', () => {
  let dir: string;
  let text: string;
  let report: CalibrationReport;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-calibrate-'));
    await generateJob(smallScenario({ persons: 1200, days: 28 }), join(dir, 'small.csv'));
    ({ text, report } = await calibrateJob({ input: join(dir, 'small.csv'), out: join(dir, 'twin', 'twin.yaml'), rounds: 2 }));
  });

  it('writes a twin scenario that loads, with a comment on every world setting', () => {
    const file = join(dir, 'twin', 'twin.yaml');
    const scenario = loadScenario(file);
    expect(scenario.name).toBe('small-twin');
    expect(scenario.world).not.toBeNull();
    // The quickstart's models and pipelines for a bare log, the log's positives.
    expect(scenario.models.map((m) => m.name)).toEqual(['pop', 'knn']);
    expect(scenario.pipelines.map((p) => p.name)).toEqual(['weekly-batch', 'daily-stitched', 'streaming-oracle']);
    expect(scenario.eval.positives).toEqual(['purchase']);
    const yaml = readFileSync(file, 'utf8');
    const world = yaml.slice(yaml.indexOf('\nworld:'), yaml.indexOf('\ntrain:'));
    // Every line that sets a value (not a mapping header) carries a comment saying where it came from.
    const settings = world.split('\n').filter((l) => /^\s+\w+: \S/.test(l));
    expect(settings.length).toBeGreaterThan(15);
    for (const line of settings) expect(line, line).toMatch(/ # (fitted|measured|not measured)/);
    expect(parseDocument(yaml).commentBefore).toContain('A synthetic twin of');
  });

  it('writes calibration.json beside it with the table the command prints', () => {
    const json = JSON.parse(readFileSync(join(dir, 'twin', 'calibration.json'), 'utf8')) as CalibrationReport;
    expect(json.twin).toBe('twin.yaml');
    expect(json.tolerance).toBe(VALIDATION_TOLERANCE);
    expect(json.statistics.map((r) => r.name)).toEqual(report.statistics.map((r) => r.name));
    expect(json.audit.checks.map((c) => c.id)).toEqual(['01', '02', '03', '04']);
    expect(json.lens).toMatchObject({ types: { view: 'view', cart: 'cart', purchase: 'purchase' }, keys: true, logins: true });
    // The goal line counts what the rows say.
    const matched = json.statistics.filter((r) => r.status === 'matched');
    expect(json.goal.matched).toBe(matched.length);
    expect(json.goal.within).toBe(matched.filter((r) => r.error <= VALIDATION_TOLERANCE).length);
    expect(text).toContain(calibrateMsg.tableTitle(join(dir, 'small.csv')));
    expect(text).toContain(calibrateMsg.goalLine(json.goal.matched, json.goal.within, VALIDATION_TOLERANCE, json.goal.verdictsEqual, 4));
    // A log with every column keeps nothing but shared devices at its default.
    expect(json.notMeasured.map((k) => k.setting)).toEqual(['identity.sharedDevices']);
  });

  it('the printed statistics are the twin generated from the written file, measured again', async () => {
    const again = await calibrateJob({ input: join(dir, 'small.csv'), out: join(dir, 'again', 'twin.yaml'), rounds: 2 });
    expect(readFileSync(join(dir, 'again', 'twin.yaml'), 'utf8')).toBe(readFileSync(join(dir, 'twin', 'twin.yaml'), 'utf8'));
    expect(again.report.statistics).toEqual(report.statistics);
  });
});

describe('calibrateJob on a data scenario and with --persons', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-calibrate-scenario-'));
    // One key per person: the scenario's data.fragment says how it would fragment.
    await generateJob(smallScenario({ persons: 1000, days: 28, identity: 'none' }), join(dir, 'whole.csv'));
    writeFileSync(
      join(dir, 'whole.yaml'),
      [
        'name: whole',
        'data: { path: whole.csv, fragment: { devices: [0.7, 0.3], loginRate: 0.4 } }',
        'train: { until: "60%" }',
        'eval: { k: [5], window: 3d, positives: [purchase], bootstrap: 100 }',
        'models: [ { name: pop, type: popularity } ]',
        'pipelines: [ { name: daily, refresh: 1d, latency: 2h, identity: key } ]',
      ].join('\n'),
    );
  });

  it('the twin takes the scenario’s sections and keeps its fragmentation settings as the identity', async () => {
    const { report, twinFile } = await calibrateJob({ input: join(dir, 'whole.yaml'), out: join(dir, 'out', 'twin.yaml'), rounds: 1 });
    const twin = loadScenario(twinFile);
    expect(twin.name).toBe('whole-twin');
    expect(twin.train.until).toEqual({ kind: 'quantile', q: 0.6 });
    expect(twin.eval).toMatchObject({ ks: [5], windowMs: 3 * 86_400_000, positives: ['purchase'], bootstrap: 100 });
    expect(twin.pipelines.map((p) => [p.name, p.latencyMs])).toEqual([['daily', 2 * 3_600_000]]);
    expect(twin.world!.identity.devices).toEqual([0.7, 0.3]);
    expect(twin.world!.identity.loginRate).toEqual({ app: 0.4, mweb: 0.4, desktop: 0.4 });
    const yaml = readFileSync(twinFile, 'utf8');
    expect(yaml).toContain(`devices: [ 0.7, 0.3 ] # ${calibrateMsg.noteKept(calibrateMsg.reasonFragmentKept())}`);
    expect(report.notMeasured.map((k) => k.setting)).toEqual(['identity.devices', 'identity.loginRate']);
    // The audit ran with the scenario's pipeline and window.
    expect(report.audit.settings).toMatchObject({ refreshMs: 86_400_000, latencyMs: 2 * 3_600_000, windowMs: 3 * 86_400_000, until: '"60%"' });
  });

  it('--persons fits the twin to a person sample of the log and says so', async () => {
    const { report, twinFile, text } = await calibrateJob({ input: join(dir, 'whole.csv'), out: join(dir, 'half', 'twin.yaml'), persons: 500, rounds: 1 });
    expect(report.scaled).toMatchObject({ to: 500, share: 500 / report.scaled!.from });
    const persons = report.statistics.find((r) => r.name === 'persons')!;
    // The sample holds about half the persons (a hash decides), and the twin is fitted to it.
    expect(persons.log).toBeGreaterThan(400);
    expect(persons.log).toBeLessThan(600);
    const yaml = readFileSync(twinFile, 'utf8');
    expect(yaml).toContain(calibrateMsg.notePersonsScaled(report.scaled!.from, 500, persons.log, persons.twin));
    // Fewer than a thousand persons: the table says that noise, not the fit, sets its errors.
    expect(text).toContain(calibrateMsg.smallLog(persons.log));
  });
});

describe('calibrate: bad input, one line each', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-calibrate-bad-'));
    writeFileSync(join(dir, 'noitems.csv'), 'time,person,item,event\n1700000000000,a,,purchase\n1700000001000,b,,purchase\n');
    writeFileSync(join(dir, 'one.csv'), 'time,person,item,event\n1700000000000,a,x,purchase\n1700000001000,b,y,purchase\n1700000002000,b,x,purchase\n');
    writeFileSync(join(dir, 'odd.csv'), 'time,person,item,event\n1700000000000,a,x,click\n1700000001000,b,y,fav\n');
  });

  it.each([
    [
      'a log whose rows have no item',
      { input: 'noitems.csv', out: 't.yaml' },
      (d: string) => ingestMsg.nothingLoaded(join(d, 'noitems.csv'), 2, dropReason.missingItem, 2, 2),
    ],
    ['an unknown format', { input: 'one.csv', out: 't.yaml', format: 'xyz' }, () => calibrateMsg.unknownFormat('xyz', DATA_FORMATS)],
    ['--persons 0', { input: 'one.csv', out: 't.yaml', persons: 0 }, () => calibrateMsg.badPersons('0')],
    ['--persons above the log', { input: 'one.csv', out: 't.yaml', persons: 3 }, () => calibrateMsg.personsAboveLog(3, 2)],
    ['an --out that is not YAML', { input: 'one.csv', out: 't.json' }, (d: string) => calibrateMsg.outNotYaml(join(d, 't.json'))],
    ['a missing file', { input: 'nope.csv', out: 't.yaml' }, (d: string) => jobMsg.logNotFound(join(d, 'nope.csv'))],
    ['event types the twin cannot play', { input: 'odd.csv', out: 't.yaml' }, (d: string) => calibrateMsg.noTwinTypes(join(d, 'odd.csv'), ['click', 'fav'])],
  ])('%s', async (_label, o, message) => {
    const run = calibrateJob({ ...o, input: join(dir, o.input), out: join(dir, o.out) });
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(message(dir));
    expect(existsSync(join(dir, o.out))).toBe(false);
  });

  it('a log with no events is named, not fitted', async () => {
    const empty = { ...logFromRows([{ t: 0, key: 'k', item: 'x', type: 'purchase' }]), length: 0 };
    await expect(calibrate({ input: 'empty.csv', log: empty, categories: null, fragment: null, seed: 7 })).rejects.toThrow(calibrateMsg.noItems('empty.csv'));
  });

  it('--persons takes a positive integer', () => {
    expect(parsePersonsArg('5000')).toBe(5000);
    for (const bad of ['0', '-3', '2.5', 'many', '']) expect(() => parsePersonsArg(bad)).toThrow(calibrateMsg.badPersons(bad));
  });

  it('through the CLI: exit 2 and one line', async () => {
    const r = await inProcess(['calibrate', 'one.csv', '--out', 't.yaml', '--persons', '0'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`recgap: ${calibrateMsg.badPersons('0')}\n`);
    const f = await inProcess(['calibrate', 'one.csv', '--out', 't.yaml', '--format', 'xyz'], dir);
    expect(f.status).toBe(2);
    expect(f.stderr).toBe(`recgap: ${calibrateMsg.unknownFormat('xyz', DATA_FORMATS)}\n`);
  });
});
