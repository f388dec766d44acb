// The log's time range and its stray events: a small group at either end far from the rest is reported (with
// the data.timeRange that leaves it out), and data.timeRange clips the log, the clipped rows counted as drops.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRequests } from '../../src/eval/requests.ts';
import { runAudit } from '../../src/jobs/audit.ts';
import { loadLog } from '../../src/run/loadLog.ts';
import { runScenario } from '../../src/run/run.ts';
import { resultsSchema } from '../../src/results/schema.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { ingestMsg } from '../../src/ingest/messages.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import { ingestWarnings } from '../../src/ingest/summary.ts';
import { timeReport } from '../../src/ingest/timeReport.ts';
import type { EventLog } from '../../src/log/eventLog.ts';
import { dataSpec, MIN } from './helpers.ts';

const DAY = 1440 * MIN;
const T0 = Date.UTC(2024, 2, 1);
const iso = (ms: number) => new Date(ms).toISOString();

function tmpFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'recgap-times-')), name);
  writeFileSync(file, text);
  return file;
}

describe('timeReport', () => {
  /** Events a minute apart from T0, with extra times added. */
  const times = (count: number, extra: number[] = []) =>
    Float64Array.from([...Array.from({ length: count }, (_, i) => T0 + i * MIN), ...extra].sort((a, b) => a - b));

  it('flags one event at either end far from the rest: the gap is over a day and 100 times the typical spacing', () => {
    const r = timeReport(times(3000, [T0 - 90 * DAY, T0 + 200 * DAY]));
    expect(r.timeRange).toEqual({ from: iso(T0 - 90 * DAY), to: iso(T0 + 200 * DAY) });
    // Spacing 1 minute: 100 minutes is less than a day.
    expect(r.isolated.thresholdMs).toBe(DAY);
    expect(r.isolated.start).toEqual({ events: 1, from: iso(T0 - 90 * DAY), to: iso(T0 - 90 * DAY), gapMs: 90 * DAY });
    expect(r.isolated.end).toEqual({ events: 1, from: iso(T0 + 200 * DAY), to: iso(T0 + 200 * DAY), gapMs: 200 * DAY - 2999 * MIN });
  });

  it('takes the gap nearest the rest, so the group holds every stray at that end', () => {
    // 5,000 events: an edge holds up to 5; two strays 30 days apart, the second 10 days before the rest.
    const r = timeReport(times(5000, [T0 - 40 * DAY, T0 - 10 * DAY]));
    expect(r.isolated.start).toEqual({ events: 2, from: iso(T0 - 40 * DAY), to: iso(T0 - 10 * DAY), gapMs: 10 * DAY });
    expect(r.isolated.end).toBeNull();
  });

  it('flags nothing for a gap under a day, or under 100 times the typical spacing, or a group larger than 0.1% of the log', () => {
    expect(timeReport(times(3000, [T0 - 20 * 60 * MIN])).isolated.start).toBeNull();
    // Events an hour apart: the threshold is 100 hours.
    const hourly = Float64Array.from([T0 - 4 * DAY, ...Array.from({ length: 3000 }, (_, i) => T0 + i * 60 * MIN)]);
    expect(timeReport(hourly).isolated).toEqual({ thresholdMs: 100 * 60 * MIN, start: null, end: null });
    // 3,000 events: an edge holds up to 3, and 4 stray events are a part of the log.
    expect(
      timeReport(
        times(
          3000,
          [1, 2, 3, 4].map((d) => T0 - 100 * DAY + d),
        ),
      ).isolated.start,
    ).toBeNull();
  });

  it('measures spacing between distinct times: ties do not make every gap look large', () => {
    // 2,000 events in pairs at the same time, an hour apart: the typical spacing is an hour, not 0.
    const pairs = Array.from({ length: 2000 }, (_, i) => T0 + Math.floor(i / 2) * 60 * MIN);
    expect(timeReport(Float64Array.from([T0 - 3 * DAY, ...pairs])).isolated).toEqual({ thresholdMs: 100 * 60 * MIN, start: null, end: null });
  });

  it('cannot tell for a log of two or three events', () => {
    expect(timeReport(Float64Array.from([T0, T0 + 300 * DAY])).isolated).toEqual({ thresholdMs: null, start: null, end: null });
    expect(timeReport(Float64Array.from([T0])).timeRange).toEqual({ from: iso(T0), to: iso(T0) });
  });
});

/** 50 persons x 30 days: one session a day (view, cart, purchase a minute apart), person p at day d + 10p minutes. */
function bulkRows(): string[] {
  const rows: string[] = [];
  for (let d = 0; d < 30; d++) {
    for (let p = 0; p < 50; p++) {
      const t = T0 + d * DAY + p * 10 * MIN;
      ['view', 'cart', 'purchase'].forEach((e, j) => rows.push(`${iso(t + j * MIN)},p${p},i${(d + p) % 13},${e}`));
    }
  }
  return rows;
}

const EARLY = Date.UTC(2023, 10, 1);
const LATE = Date.UTC(2024, 6, 15);
const HEADER = 'time,person,item,event';
const bulk = bulkRows();
// The strays at lines 6 (the header is line 1) and 1,003.
const withStrays = [HEADER, ...bulk.slice(0, 4), `${iso(EARLY)},p0,i1,purchase`, ...bulk.slice(4, 1000), `${iso(LATE)},p1,i2,view`, ...bulk.slice(1000)];
const strayFile = tmpFile('strays.csv', withStrays.join('\n') + '\n');
const bulkFile = tmpFile('bulk.csv', [HEADER, ...bulk].join('\n') + '\n');

function requestsOf(log: EventLog) {
  const isPositive = new Uint8Array(256);
  isPositive[log.dict.type.indexOf('purchase')] = 1;
  const r = buildRequests(log, { untilMs: T0 + 20 * DAY, windowMs: 2 * DAY, isPositive, excludeSeen: 'none' });
  return { counts: r.counts, tsMs: Array.from(r.tsMs), keys: Array.from(r.key, (k) => log.dict.key[k]) };
}

describe('stray events in a log', () => {
  it('reports the time range and the strays, with the data.timeRange that leaves them out', async () => {
    const { report } = await readLog(dataSpec(strayFile, 'csv'));
    expect(report.loaded).toBe(4502);
    expect(report.timeRange).toEqual({ from: iso(EARLY), to: iso(LATE) });
    // The last event of the rest: day 29, person 49's purchase at 8:12.
    const last = T0 + 29 * DAY + 492 * MIN;
    expect(report.isolated).toEqual({
      thresholdMs: DAY,
      start: { events: 1, from: iso(EARLY), to: iso(EARLY), gapMs: T0 - EARLY },
      end: { events: 1, from: iso(LATE), to: iso(LATE), gapMs: LATE - last },
    });
    expect(ingestWarnings(report)).toEqual([ingestMsg.isolatedEvents(strayFile, report.isolated.start, report.isolated.end, '2024-03-01', '2024-03-31')]);
    expect(ingestWarnings(report)[0]).toBe(
      `${strayFile}: 1 event on 2023-11-01T00:00:00Z comes 121 days before the rest of the log; 1 event on 2024-07-15T00:00:00Z comes 107 days after the rest of the log; ` +
        'set data.timeRange: [2024-03-01, 2024-03-31] in the scenario to leave them out',
    );
  });

  it('with data.timeRange: the strays are dropped by line, and requests and censoring are those of the log without them', async () => {
    const timeRange = { fromMs: Date.UTC(2024, 2, 1), toMs: Date.UTC(2024, 2, 31) };
    const clipped = await readLog(dataSpec(strayFile, 'csv', { timeRange }));
    const plain = await readLog(dataSpec(bulkFile, 'csv'));
    expect(clipped.report.dropped).toEqual([{ reason: 'outside data.timeRange', count: 2, firstLines: [6, 1003] }]);
    expect(clipped.report.loaded).toBe(4500);
    expect(clipped.report.timeRange).toEqual(plain.report.timeRange);
    expect(clipped.report.isolated).toEqual({ thresholdMs: DAY, start: null, end: null });
    expect(ingestWarnings(clipped.report)).toEqual([]);
    const req = requestsOf(clipped.log);
    // 10 days x 50 sessions after the split; those of days 28 and 29 end past the log's end (2 days later).
    expect(req.counts).toEqual({ candidates: 500, censored: 100, noLabels: 0, requests: 400, persons: 50 });
    expect(req).toEqual(requestsOf(plain.log));
    // Kept, the late stray moves the end: nothing of March is censored any more.
    expect(requestsOf((await readLog(dataSpec(strayFile, 'csv'))).log).counts).toEqual({
      candidates: 501,
      censored: 1,
      noLabels: 0,
      requests: 500,
      persons: 50,
    });
  });

  it('an open end keeps everything on that side', async () => {
    const { report } = await readLog(dataSpec(strayFile, 'csv', { timeRange: { fromMs: Date.UTC(2024, 0, 1), toMs: null } }));
    expect(report.dropped).toEqual([{ reason: 'outside data.timeRange', count: 1, firstLines: [6] }]);
    expect(report.isolated.start).toBeNull();
    expect(report.isolated.end).not.toBeNull();
  });

  it('strict mode counts rows outside data.timeRange (left out on purpose) and fails only on bad rows', async () => {
    const spec = dataSpec(strayFile, 'csv', { timeRange: { fromMs: Date.UTC(2024, 2, 1), toMs: null }, strict: true });
    const { report } = await readLog(spec);
    expect(report.dropped).toEqual([{ reason: 'outside data.timeRange', count: 1, firstLines: [6] }]);
  });
});

describe('stray events in a run and an audit', () => {
  const scenario = (file: string, timeRange: string) =>
    parseScenario(
      [
        'name: strays',
        `data: { path: ${file}${timeRange} }`,
        'train: { until: "60%" }',
        'eval: { k: [10], window: 2d, positives: [purchase], bootstrap: 20 }',
        'models: [ { name: pop, type: popularity } ]',
        'pipelines: [ { name: daily, refresh: 1d, latency: 1h, identity: key } ]',
      ].join('\n'),
      'strays.yaml',
    );
  const run = async (file: string, timeRange = '') => {
    const s = scenario(file, timeRange);
    const { log, provenance } = await loadLog(s, silentReporter());
    return runScenario(s, { log, provenance, reporter: silentReporter() });
  };

  it('a scenario with data.timeRange gives the split, requests and censoring of the log without the strays', async () => {
    const clipped = await run(strayFile, ', timeRange: [2024-03-01, 2024-03-31]');
    const plain = await run(bulkFile);
    const json = JSON.parse(JSON.stringify(clipped.results, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
    const parsed = resultsSchema.safeParse(json);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(json.log.ingest.dropped).toEqual([{ reason: 'outside data.timeRange', count: 2, firstLines: [6, 1003] }]);
    expect(json.log.ingest.timeRange).toEqual({ from: iso(T0), to: iso(T0 + 29 * DAY + 492 * MIN) });
    expect(json.log.ingest.isolated).toEqual({ thresholdMs: DAY, start: null, end: null });
    // The read's duration is a timing, not a property of the log: results.json does not carry it, so the same
    // file and scenario give the same results.json (runtime aside).
    expect(json.log.ingest).not.toHaveProperty('seconds');
    const again = await run(strayFile, ', timeRange: [2024-03-01, 2024-03-31]');
    expect({ ...again.results, runtime: null }).toEqual({ ...clipped.results, runtime: null });
    expect(clipped.results.config.until).toBe(plain.results.config.until);
    expect(clipped.results.counts).toEqual(plain.results.counts);
    // Kept, the late stray moves the end of the log: no request of March is censored any more.
    const kept = await run(strayFile);
    expect([plain.results.counts.censored, kept.results.counts.censored]).toEqual([100, 1]);
  });

  it('recgap audit reports the strays as a warning, and nothing for a log without them', async () => {
    const { report } = await readLog(dataSpec(strayFile, 'csv'));
    expect((await runAudit({ input: strayFile })).warnings).toEqual(ingestWarnings(report));
    expect((await runAudit({ input: bulkFile })).warnings).toEqual([]);
  });
});
