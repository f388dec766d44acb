import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSmall } from '../helpers.ts';
import { openDuck } from '../../src/ingest/duck.ts';
import { requestRows } from '../../src/run/requestTable.ts';
import { REQUESTS_PARQUET_COLUMNS, readRequestsParquet, requestsParquet } from '../../src/run/requestParquet.ts';
import { metricKeys } from '../../src/eval/metrics.ts';
import type { RunOutput } from '../../src/run/run.ts';
import type { RequestRows } from '../../src/run/requestTable.ts';
import type { SourceResult } from '../../src/eval/replay.ts';
import type { PipelinePlan } from '../../src/run/assemble.ts';

describe('requests.parquet', () => {
  let run: RunOutput;
  let bytes: Uint8Array;
  let file: string;
  /** Rows of a query on the file, BIGINT as number. */
  const query = async (sql: string) => {
    const duck = await openDuck();
    try {
      return await duck.rows(sql.replaceAll('FILE', `read_parquet('${file}')`));
    } finally {
      duck.close();
    }
  };

  beforeAll(async () => {
    run = await runSmall({ persons: 600 });
    bytes = await requestsParquet(requestRows(run.log, run.requests), run.results.config.ks, run.models, run.sources, run.plans);
    file = join(mkdtempSync(join(tmpdir(), 'recgap-parquet-')), 'requests.parquet');
    writeFileSync(file, bytes);
  });

  it('has the documented columns and types, one row per request x model x view x metric', async () => {
    const described = await query('DESCRIBE SELECT * FROM FILE');
    expect(described.map((r) => [r[0], r[1]])).toEqual([
      ['request', 'INTEGER'],
      ['person', 'VARCHAR'],
      ['key', 'VARCHAR'],
      ['time', 'TIMESTAMP WITH TIME ZONE'],
      ['model', 'VARCHAR'],
      ['view', 'VARCHAR'],
      ['metric', 'VARCHAR'],
      ['value', 'DOUBLE'],
      ['lag_ms', 'DOUBLE'],
      ['inactivity_ms', 'DOUBLE'],
    ]);
    expect(described.map((r) => r[0])).toEqual([...REQUESTS_PARQUET_COLUMNS]);
    const views = 1 + run.plans.length;
    const metrics = metricKeys(run.results.config.ks).length;
    expect(run.requests.length).toBeGreaterThan(100);
    expect(await query('SELECT count(*) FROM FILE')).toEqual([[run.requests.length * run.models.length * views * metrics]]);
    expect(await query(`SELECT DISTINCT view FROM FILE ORDER BY view`)).toEqual(
      ['daily-stitched', 'frozen', 'streaming-oracle', 'weekly-batch'].map((v) => [v]),
    );
  });

  it("each model x view x metric's mean value is results.json's frozen or served mean", async () => {
    const means = await query('SELECT model, view, metric, avg(value), count(value) FROM FILE GROUP BY ALL');
    expect(means).toHaveLength(run.models.length * (1 + run.plans.length) * run.results.config.metrics.length);
    for (const [model, view, metric, mean, count] of means as Array<[string, string, string, number, number]>) {
      expect(count).toBe(run.requests.length);
      const rows = run.results.results.filter((r) => r.model === model && (view === 'frozen' || r.pipeline === view));
      const m = rows[0].metrics[metric];
      expect(mean).toBeCloseTo(view === 'frozen' ? m.frozen.mean : m.served.mean, 9);
    }
  });

  it('holds the per-request tables at full precision, with times, lags and inactivity per request', async () => {
    const cols = metricKeys(run.results.config.ks).length;
    const rows = (await query(
      "SELECT request, person, key, epoch_ms(time), model, view, metric, value, lag_ms, inactivity_ms FROM FILE WHERE model = 'knn' AND metric = 'ndcg@10'",
    )) as Array<[number, string, string, number, string, string, string, number, number | null, number | null]>;
    const views = ['frozen', ...run.plans.map((p) => p.name)];
    const sourceOf = (view: string) => (view === 'frozen' ? 0 : run.plans.find((p) => p.name === view)!.source);
    const knn = run.models.findIndex((m) => m.name === 'knn');
    expect(rows).toHaveLength(run.requests.length * views.length);
    let infinite = 0;
    for (const [r, person, key, timeMs, , view, , value, lagMs, inactivityMs] of rows) {
      expect(person).toBe(run.log.dict.person[run.requests.person[r]]);
      expect(key).toBe(run.log.dict.key[run.requests.key[r]]);
      expect(timeMs).toBe(run.requests.tsMs[r]);
      // Exactly the stored Float32 value, not requests.csv's 6 significant digits.
      expect(value).toBe(run.sources[sourceOf(view)].metrics[knn][r * cols]);
      const frozenAge = run.sources[0].ageMs[r];
      const servedAge = run.sources[sourceOf(view)].ageMs[r];
      expect(inactivityMs).toBe(Number.isNaN(frozenAge) ? null : frozenAge);
      const lag = Number.isNaN(frozenAge) ? null : Number.isNaN(servedAge) ? Infinity : Math.max(0, servedAge - frozenAge);
      expect(lagMs).toBe(lag);
      if (view === 'frozen') expect(lagMs === null || lagMs === 0).toBe(true);
      if (lagMs === Infinity) infinite++;
    }
    // Some served views are empty for a person with history: their lag is Infinity, not NULL.
    expect(infinite).toBeGreaterThan(0);
  });

  it('is ordered by request, then model, view and metric as requests.csv columns are', async () => {
    const order = (await query('SELECT request, model, view, metric FROM FILE')) as Array<[number, string, string, string]>;
    const views = ['frozen', ...run.plans.map((p) => p.name)];
    const keys = metricKeys(run.results.config.ks);
    const expected = Array.from({ length: run.requests.length }, (_, r) =>
      run.models.flatMap((m) => views.flatMap((v) => keys.map((k) => [r, m.name, v, k]))),
    ).flat();
    expect(order).toEqual(expected);
  });

  it('is byte-identical when written again', async () => {
    const again = await requestsParquet(requestRows(run.log, run.requests), run.results.config.ks, run.models, run.sources, run.plans);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('reads back the named columns and each request person, from the file or its bytes', async () => {
    const wanted = ['knn.weekly-batch.hit@10', 'pop.frozen.recall@20', 'knn.nowhere.hit@10'];
    const a = await readRequestsParquet(file, wanted);
    const b = await readRequestsParquet(bytes, wanted);
    expect(b).toEqual(a);
    expect(a.persons).toEqual(Array.from(run.requests.person, (p) => run.log.dict.person[p]));
    expect([...a.columns.keys()].sort()).toEqual(['knn.weekly-batch.hit@10', 'pop.frozen.recall@20']);
    const cols = metricKeys(run.results.config.ks).length;
    const weekly = run.plans.find((p) => p.name === 'weekly-batch')!.source;
    const knn = run.models.findIndex((m) => m.name === 'knn');
    const pop = run.models.findIndex((m) => m.name === 'pop');
    const recall20 = metricKeys(run.results.config.ks).indexOf('recall@20');
    expect(a.columns.get('knn.weekly-batch.hit@10')).toEqual(Float64Array.from(run.requests.tsMs, (_, r) => run.sources[weekly].metrics[knn][r * cols + 1]));
    expect(a.columns.get('pop.frozen.recall@20')).toEqual(Float64Array.from(run.requests.tsMs, (_, r) => run.sources[0].metrics[pop][r * cols + recall20]));
    // Nothing wanted that exists: the persons still come back.
    expect((await readRequestsParquet(file, ['x.y.z'])).persons).toEqual(a.persons);
  });

  it('keeps request order over many of DuckDB row groups and both threads (no sort: insertion order)', async () => {
    // 300k requests: the wide table spans three of DuckDB's row groups (122,880 rows), scanned in parallel.
    const n = 300_000;
    const ks = [10];
    const cols = metricKeys(ks).length;
    const sources: SourceResult[] = [0, 1].map((s) => ({
      ageMs: Float64Array.from({ length: n }, (_, r) => (r % 7 === 0 ? NaN : r * 10 + s)),
      viewSize: new Int32Array(n),
      unknownKey: new Uint8Array(n),
      metrics: [Float32Array.from({ length: n * cols }, (_, i) => ((i * 2654435761) % 1000) / 1000)],
    }));
    const rows: RequestRows = {
      length: n,
      tsMs: Float64Array.from({ length: n }, (_, r) => 1.7e12 + r),
      person: Int32Array.from({ length: n }, (_, r) => r % 1000),
      session: new Int32Array(n),
      labels: new Int32Array(n).fill(1),
      personIds: Array.from({ length: n }, (_, r) => `p${r % 1000}`),
      keyIds: Array.from({ length: n }, (_, r) => `k${r}`),
    };
    const plans = [{ name: 'daily', source: 1 }] as unknown as PipelinePlan[];
    const big = join(mkdtempSync(join(tmpdir(), 'recgap-parquet-')), 'requests.parquet');
    writeFileSync(big, await requestsParquet(rows, ks, [{ name: 'm' }], sources, plans));
    const duck = await openDuck();
    try {
      // Row i of the file is request i / 8, view (i / 4) % 2, metric i % 4, with that request's value.
      const off = await duck.rows(
        `SELECT count(*), count(*) FILTER (WHERE request <> i // 8 OR view <> ['frozen', 'daily'][(i // 4) % 2 + 1] OR metric <> ${`[${metricKeys(ks)
          .map((k) => `'${k}'`)
          .join(', ')}]`}[i % 4 + 1] OR key <> 'k' || request) FROM (SELECT *, file_row_number AS i FROM read_parquet('${big}', file_row_number = true))`,
      );
      expect(off).toEqual([[n * 2 * cols, 0]]);
      const values = (await duck.rows(`SELECT value FROM read_parquet('${big}') WHERE request = ${n - 1} AND view = 'daily'`)).map((r) => r[0]);
      expect(values).toEqual(Array.from(sources[1].metrics[0].subarray((n - 1) * cols, n * cols)));
    } finally {
      duck.close();
    }
  });
});
