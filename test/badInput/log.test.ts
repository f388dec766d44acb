// Issue #8's bad-input list, log side: rows that test/ingest/errors.test.ts does not already cover (non-UTF-8
// bytes, more timestamp spellings, JSONL files, wrong delimiters other than ';', unknown event types in strict
// mode), and the run-level inputs that only show once a log is read (a train split that leaves no test
// requests or no training events, positives or channels the log does not have). Each with its exact one-line
// message; bad rows are counted by reason with their physical lines. Known defects: knownDefects.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { ingestMsg } from '../../src/ingest/messages.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import { runScenario } from '../../src/run/run.ts';
import { loadLog } from '../../src/run/loadLog.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import type { DataFormat, DataSpec } from '../../src/scenario/types.ts';
import { silentReporter } from '../../src/util/progress.ts';

const dir = mkdtempSync(join(tmpdir(), 'recgap-badinput-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write `content` (text; `\x80` stands for a lone 0x80 byte, which is never valid UTF-8) as `name`. */
function writeLog(name: string, content: string): string {
  const file = join(dir, name);
  const parts = content.split('\x80');
  writeFileSync(file, Buffer.concat(parts.flatMap((p, i) => (i ? [Buffer.from([0x80]), Buffer.from(p)] : [Buffer.from(p)]))));
  return file;
}

const spec = (path: string, format: DataFormat, extra: Partial<DataSpec> = {}): DataSpec => ({
  path, format, columns: null, timeUnit: 'auto', eventMap: null, delimiter: null, sessionGapMs: 30 * 60_000, strict: false, ...extra,
});

const H = 'time,person,item,event\n';

describe('log files that cannot be read: one InputError line naming the file', () => {
  const rows: Array<[string, string, string, DataFormat, Partial<DataSpec>, (file: string) => string]> = [
    ['missing JSONL file', 'missing.jsonl', '', 'jsonl', {}, (f) => ingestMsg.fileNotFound(f)],
    ['empty JSONL file', 'empty.jsonl', '', 'jsonl', {}, (f) => ingestMsg.emptyFile(f)],
    ['header followed by blank lines', 'blank-rows.csv', H + '\n\n', 'csv', {}, (f) => ingestMsg.noDataRows(f)],
    ['tab-separated file read with ","', 'tabs.csv', 'time\tperson\titem\tevent\n1700000000000\tp1\ti1\tview\n', 'csv', { delimiter: ',' }, (f) => ingestMsg.singleColumn(f, 'time\tperson\titem\tevent', ',', '\t')],
    ['pipe-separated file read with ";"', 'pipes.csv', 'time|person|item|event\n1700000000000|p1|i1|view\n', 'csv', { delimiter: ';' }, (f) => ingestMsg.singleColumn(f, 'time|person|item|event', ';', '|')],
    ['mapped JSONL column missing', 'mapped.jsonl', '{"ts":1700000000000,"user":"p1","sku":"i1"}\n', 'jsonl', { columns: { time: 'ts', person: 'user', item: 'product' } }, (f) => ingestMsg.mappedColumnMissing(f, 'item', 'product', ['ts', 'user', 'sku'])],
    ['JSONL without a time field', 'no-time.jsonl', '{"person":"p1","item":"i1"}\n', 'jsonl', {}, (f) => ingestMsg.fieldMissing(f, 'time', ['person', 'item'])],
    ['JSONL of arrays', 'arrays.jsonl', '[1,2]\n', 'jsonl', {}, (f) => ingestMsg.fieldMissing(f, 'time', ['json'])],
    ['Latin-1 text (every row invalid UTF-8)', 'latin1.csv', H + '1700000000000,p1,caf\x80,view\n', 'csv', {}, (f) => ingestMsg.nothingLoaded(f, 1, 'malformed row (invalid encoding)', 1, 2)],
    ['every time unparseable', 'times.csv', H + 'yesterday,p1,i1,view\n2024-13-45,p1,i1,view\n', 'csv', {}, (f) => ingestMsg.nothingLoaded(f, 2, 'unparseable time', 2, 2)],
    ['strict: non-UTF-8 bytes', 'bytes-strict.csv', H + '1700000000000,p1,i1,view\n1700000060000,p1,i\x80,view\n', 'csv', { strict: true }, (f) => ingestMsg.badRow(f, 3, 'malformed row (invalid encoding)', null, null)],
    ['strict: invalid ISO month', 'iso-strict.csv', H + '2024-01-01T00:00:00Z,p1,i1,view\n2024-13-01T00:00:00Z,p1,i1,view\n', 'csv', { strict: true }, (f) => ingestMsg.badRow(f, 3, 'unparseable time', 'time', '2024-13-01T00:00:00Z')],
    ['strict: ISO text read as milliseconds', 'iso-ms.csv', H + '2024-01-01T00:00:00Z,p1,i1,view\n', 'csv', { strict: true, timeUnit: 'ms' }, (f) => ingestMsg.badRow(f, 2, 'unparseable time', 'time', '2024-01-01T00:00:00Z')],
    ['strict: unknown event type', 'events-strict.csv', H + '1700000000000,p1,i1,view\n1700000000000,p1,i1,teleport\n', 'csv', { strict: true, eventMap: { view: 'view' } }, (f) => ingestMsg.badRow(f, 3, 'unknown event type "teleport"', 'event', 'teleport')],
    ['strict: too many fields', 'fields-strict.csv', H + '1700000000000,p1,i1,view\n1700000000000,p1,i1,view,extra\n', 'csv', { strict: true }, (f) => ingestMsg.badRow(f, 3, 'too many fields', null, null)],
    ['strict: missing item in JSONL', 'item-strict.jsonl', '{"time":1700000000000,"person":"p1","item":"i1"}\n{"time":1700000000000,"person":"p1"}\n', 'jsonl', { strict: true }, (f) => ingestMsg.badRow(f, 2, 'missing item', null, null)],
  ];

  it.each(rows)('%s', async (_label, name, content, format, extra, message) => {
    const file = content === '' && name.startsWith('missing') ? join(dir, name) : writeLog(name, content);
    const error = await readLog(spec(file, format, extra)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(message(file));
  });
});

describe('bad rows are counted by reason with their lines, never dropped silently', () => {
  it('non-UTF-8 bytes in a row', async () => {
    const file = writeLog('bytes.csv', H + '1700000000000,p1,i1,view\n1700000060000,p1,i\x80,view\n1700000120000,p2,i2,purchase\n');
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(log.length).toBe(2);
    expect(report).toMatchObject({ rows: 3, loaded: 2, dropped: [{ reason: 'malformed row (invalid encoding)', count: 1, firstLines: [3] }] });
  });

  it('unparseable timestamps in several spellings (ISO, with offset, no T, invalid month, day-first)', async () => {
    const file = writeLog('iso.csv', H + '2024-01-01T00:00:00Z,p1,i1,view\n2024-01-01 00:00:01,p1,i1,view\n2024-01-01T00:00:02+02:00,p1,i1,view\n2024-13-01T00:00:00Z,p1,i1,view\n24/01/2024,p1,i1,view\n');
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report).toMatchObject({ timeUnit: 'iso', rows: 5, loaded: 3, dropped: [{ reason: 'unparseable time', count: 2, firstLines: [5, 6] }] });
    expect(Array.from(log.tsMs)).toEqual([Date.UTC(2023, 11, 31, 22, 0, 2), Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 0, 1)]);
  });

  it('unknown event types with an event map', async () => {
    const file = writeLog('events.csv', H + '1700000000000,p1,i1,view\n1700000000000,p1,i1,teleport\n1700000000000,p1,i1,teleport\n');
    const { report } = await readLog(spec(file, 'csv', { eventMap: { view: 'view' } }));
    expect(report).toMatchObject({ rows: 3, loaded: 1, dropped: [{ reason: 'unknown event type "teleport"', count: 2, firstLines: [3, 4] }] });
  });

  it('without an event map every event value is its own type (unknown positives are caught when the run starts)', async () => {
    const file = writeLog('open-types.csv', H + '1700000000000,p1,i1,view\n1700000000000,p1,i1,teleport\n');
    const { log, report } = await readLog(spec(file, 'csv'));
    expect(report.dropped).toEqual([]);
    expect(log.dict.type).toEqual(['view', 'teleport']);
  });
});

describe('run-level inputs that show once the log is read', () => {
  const T0 = Date.UTC(2024, 0, 1);
  const D = 86_400_000;
  /** 20 persons, one view and one purchase a day for 14 days. */
  const csv = (() => {
    const lines = ['time,person,item,event'];
    for (let d = 0; d < 14; d++)
      for (let p = 0; p < 20; p++) {
        const t = T0 + d * D + p * 60_000;
        lines.push(`${t},p${p},i${(p + d) % 10},view`, `${t + 1000},p${p},i${(p + d) % 10},purchase`);
      }
    return lines.join('\n') + '\n';
  })();
  const file = writeLog('run.csv', csv);
  const scenario = (edit: (yaml: string) => string = (y) => y) =>
    parseScenario(
      edit(
        [
          'name: bad',
          `data: { path: ${file} }`,
          'train: { until: "50%" }',
          'eval: { k: [5], window: 2d, positives: [purchase], bootstrap: 0 }',
          'models: [ { name: pop, type: popularity } ]',
          'pipelines: [ { name: batch, refresh: 1d, latency: 0, identity: key }, { name: live, refresh: stream, latency: 0, identity: oracle } ]',
        ].join('\n'),
      ),
      'bad.yaml',
    );
  async function runMessage(edit: (yaml: string) => string): Promise<string> {
    const s = scenario(edit);
    const { log } = await loadLog(s, silentReporter());
    const error = await runScenario(s, { log, reporter: silentReporter() }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }

  it('the log runs as given (the rows below each change one thing)', async () => {
    const s = scenario();
    const { log } = await loadLog(s, silentReporter());
    const { results } = await runScenario(s, { log, reporter: silentReporter() });
    expect(results.counts.requests).toBe(100);
  });

  it.each([
    [
      'a train split after the log leaves no test requests',
      (y: string) => y.replace('until: "50%"', 'until: 2030-01-01'),
      'no requests to evaluate: no session starts between the train split (2030-01-01T00:00:00.000Z) and the end of the log minus the label window (2d); move train.until earlier or shorten eval.window',
    ],
    [
      'a label window longer than the test period leaves no test requests',
      (y: string) => y.replace('window: 2d', 'window: 30d'),
      'no requests to evaluate: no session starts between the train split (2024-01-08T00:00:00.000Z) and the end of the log minus the label window (30d); move train.until earlier or shorten eval.window',
    ],
    [
      'a train split before the log leaves nothing to fit',
      (y: string) => y.replace('until: "50%"', 'until: 2000-01-01'),
      'no events before the train split 2000-01-01T00:00:00.000Z: nothing to fit the models on; move train.until later',
    ],
    ['positives the log does not have', (y: string) => y.replace('positives: [purchase]', 'positives: [refund]'), 'eval.positives: unknown event type "refund"; the log has view, purchase'],
    ['channels the log does not have', (y: string) => y.replace('identity: key }', 'identity: key, channels: [web] }'), 'pipelines.batch.channels: unknown channel "web"; the log has unknown'],
  ])('%s', async (_label, edit, message) => {
    const got = await runMessage(edit);
    expect(got).toBe(message);
    expect(got).not.toMatch(/[\n\r]/);
  });
});
