// requests.csv written in chunks from the typed tables (issue 16): the same bytes as the one-string writer it
// replaced (kept below as the reference, verbatim), on random tables with every kind of cell: NaN, 0, -0, 1,
// Infinity lags, values at rounding edges, ids a spreadsheet would run as formulas, quotes and commas.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricKeys } from '../../src/eval/metrics.ts';
import { pipelineLag } from '../../src/eval/lag.ts';
import { spreadsheetField } from '../../src/log/csv.ts';
import type { SourceResult } from '../../src/eval/replay.ts';
import type { PipelinePlan } from '../../src/run/assemble.ts';
import { formatMetric, metricBytes, metricColumns, requestsCsv, requestsCsvChunks, writeRequestsCsv, type RequestRows } from '../../src/run/requestTable.ts';
import { Rng } from '../../src/util/rng.ts';
import { CsvBytes } from '../../src/run/csvBytes.ts';

/** The writer before issue 16 (one string of the whole table), as it was. */
function referenceCsv(
  rows: RequestRows,
  ks: readonly number[],
  models: ReadonlyArray<{ name: string }>,
  sources: readonly SourceResult[],
  plans: readonly PipelinePlan[],
): string {
  const keys = metricKeys(ks);
  const cols = keys.length;
  const views = [{ label: 'frozen', source: 0 }, ...plans.map((p) => ({ label: p.name, source: p.source }))];
  const header = ['request', 'time', 'person', 'key', 'session', 'labels', 'inactivity_ms'];
  for (const v of views.slice(1)) header.push(`age_ms.${v.label}`);
  for (const v of views.slice(1)) header.push(`lag_ms.${v.label}`);
  const lags = views.slice(1).map((v) => pipelineLag(sources[0].ageMs, sources[v.source].ageMs));
  for (const m of models) for (const v of views) for (const k of keys) header.push(`${m.name}.${v.label}.${k}`);
  const lines = [header.map(spreadsheetField).join(',')];
  const fmt = (x: number): string | number => (Number.isNaN(x) ? '' : x === 0 || x === 1 ? x : Number(x.toPrecision(6)));
  for (let r = 0; r < rows.length; r++) {
    const inactivity = sources[0].ageMs[r];
    const row: (string | number)[] = [
      r,
      rows.tsMs[r],
      rows.personIds[r],
      rows.keyIds[r],
      rows.session[r],
      rows.labels[r],
      Number.isNaN(inactivity) ? '' : inactivity,
    ];
    for (const v of views.slice(1)) {
      const a = sources[v.source].ageMs[r];
      row.push(Number.isNaN(a) ? '' : a);
    }
    for (const lag of lags) row.push(Number.isNaN(lag[r]) ? '' : lag[r]);
    for (let m = 0; m < models.length; m++) {
      for (const v of views) {
        const t = sources[v.source].metrics[m];
        for (let c = 0; c < cols; c++) row.push(fmt(t[r * cols + c]));
      }
    }
    lines.push(row.map((x) => (typeof x === 'string' ? spreadsheetField(x) : String(x))).join(','));
  }
  return lines.join('\n') + '\n';
}

const IDS = ['p1', '=HYPERLINK("x")', '-12.5', 'a,b', 'say "hi"', '+1', '@me', 'ünï', 'line\nbreak', ''];
const EDGES = [0, -0, 1, NaN, 0.5, 1 / 3, 2 / 3, 0.1234565, 0.99999951, 1e-7, 1.23456789e-5, 0.6309297535714574, 0.43067655807339306, 1e20, -0.25];

/** Random tables: n requests, 2 models, ks [5, 10], the frozen view and two pipelines (the second shares source 1). */
function randomTables(n: number, seed: number) {
  const rng = Rng.fromSeed(seed);
  const rand = () => rng.float();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const ks = [5, 10];
  const cols = metricKeys(ks).length;
  const models = [{ name: 'pop' }, { name: 'knn' }];
  const plans = [
    { name: 'weekly', source: 1 },
    { name: 'daily', source: 2 },
    { name: 'again', source: 1 },
  ] as unknown as PipelinePlan[];
  const age = () => (rand() < 0.1 ? NaN : rand() < 0.5 ? Math.floor(rand() * 1e9) : rand() * 1e6);
  const sources: SourceResult[] = [0, 1, 2].map(() => ({
    ageMs: Float64Array.from({ length: n }, age),
    viewSize: new Int32Array(n),
    unknownKey: new Uint8Array(n),
    metrics: models.map(() => Float32Array.from({ length: n * cols }, () => (rand() < 0.4 ? pick(EDGES) : rand() < 0.5 ? rand() : Math.floor(rand() * 7) / 7))),
  }));
  const rows: RequestRows = {
    length: n,
    tsMs: Float64Array.from({ length: n }, () => 1.7e12 + Math.floor(rand() * 1e10) + (rand() < 0.05 ? 0.5 : 0)),
    person: Int32Array.from({ length: n }, () => Math.floor(rand() * 50)),
    session: Int32Array.from({ length: n }, () => Math.floor(rand() * 1000)),
    labels: Int32Array.from({ length: n }, () => 1 + Math.floor(rand() * 4)),
    personIds: Array.from({ length: n }, () => pick(IDS)),
    keyIds: Array.from({ length: n }, () => pick(IDS) + 'k'),
  };
  return { rows, ks, models, sources, plans, cols };
}

describe('requests.csv in chunks', () => {
  it.each([
    [0, 1],
    [1, 2],
    [2047, 3],
    [2048, 4],
    [5000, 5],
    [12000, 6],
  ])('equals the one-string writer byte for byte (%i requests)', (n, seed) => {
    const t = randomTables(n, seed);
    const expected = referenceCsv(t.rows, t.ks, t.models, t.sources, t.plans);
    const chunks = [...requestsCsvChunks(t.rows, t.ks, t.models, t.sources, t.plans)];
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
    // Whole lines per chunk of about 1 MB, none empty.
    for (const c of chunks) expect(c.length > 1 && c[c.length - 1] === 10).toBe(true);
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(2 ** 20);
    expect(requestsCsv(t.rows, t.ks, t.models, t.sources, t.plans)).toBe(expected);
    const dir = mkdtempSync(join(tmpdir(), 'recgap-csv-'));
    try {
      writeRequestsCsv(join(dir, 'requests.csv'), t.rows, t.ks, t.models, t.sources, t.plans);
      expect(readFileSync(join(dir, 'requests.csv'), 'utf8')).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('formats a metric as the shortest text of its 6-significant-digit rounding, 0 and 1 exactly, NaN empty', () => {
    const remembered = metricBytes();
    const f = (x: number) => {
      const text = Buffer.from(remembered(x)).toString('utf8');
      expect(text).toBe(formatMetric(x));
      return text;
    };
    expect([0, -0, 1, NaN, 0.1234565, 1 / 3, 1e-7, 1.23456789e-5, 123456789].map(f)).toEqual([
      '0',
      '0',
      '1',
      '',
      String(Number((0.1234565).toPrecision(6))),
      '0.333333',
      '1e-7',
      '0.0000123457',
      '123457000',
    ]);
    // Remembered values give the same text the second time, also past the cache's size.
    const rng = Rng.fromSeed(9);
    const xs = Array.from({ length: 70_000 }, () => Math.fround(rng.float()));
    const first = xs.map(f);
    expect(xs.map(f)).toEqual(first);
    expect(first).toEqual(xs.map((x) => String(Number(x.toPrecision(6)))));
  });

  it('gives the named metric columns at full precision, leaving out names that do not exist', () => {
    const t = randomTables(300, 7);
    const got = metricColumns(t.ks, t.models, t.sources, t.plans, ['knn.daily.hit@10', 'pop.frozen.ndcg@5', 'knn.again.mrr@5', 'nope.frozen.hit@5']);
    expect([...got.keys()]).toEqual(['pop.frozen.ndcg@5', 'knn.daily.hit@10', 'knn.again.mrr@5']);
    const keys = metricKeys(t.ks);
    const at = (source: number, m: number, key: string) =>
      Float64Array.from({ length: 300 }, (_, r) => t.sources[source].metrics[m][r * t.cols + keys.indexOf(key)]);
    expect(got.get('knn.daily.hit@10')).toEqual(at(2, 1, 'hit@10'));
    expect(got.get('pop.frozen.ndcg@5')).toEqual(at(0, 0, 'ndcg@5'));
    expect(got.get('knn.again.mrr@5')).toEqual(at(1, 1, 'mrr@5'));
  });
});

describe('CSV bytes', () => {
  it('writes every number as String does, text as UTF-8, and keeps what it wrote when it grows', () => {
    const rng = Rng.fromSeed(3);
    const xs = [0, -0, 1, -1, 9, 10, 99, 100, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e21, 1.5, -0.25, 1e-7, Infinity, -Infinity];
    for (let i = 0; i < 2000; i++) xs.push(Math.floor(rng.float() * 10 ** rng.int(16)) * (rng.float() < 0.3 ? -1 : 1), rng.float() * 1e6);
    const out = new CsvBytes();
    const expected: string[] = [];
    for (const x of xs) {
      out.number(x);
      out.comma();
      expected.push(String(x));
    }
    out.optional(NaN);
    out.text('é,"ü"');
    out.newline();
    const long = 'x'.repeat(3 * 2 ** 20);
    out.text(long);
    out.bytes(Buffer.from('ok'));
    expect(Buffer.from(out.take()).toString('utf8')).toBe(`${expected.join(',')},é,"ü"\n${long}ok`);
    expect(out.length).toBe(0);
  });
});
