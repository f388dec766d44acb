// requests.parquet: the per-request table in long form for notebooks (pandas, polars, DuckDB), one row per
// request x model x view x metric with the metric at full precision (requests.csv rounds to 6 significant
// digits), the view's pipeline lag and the person's inactivity. Written with DuckDB: the request columns and
// every model x view x metric column go in once per request through the appender (a wide table, no SQL per
// row; each column filled straight from its typed array), and DuckDB unnests them into the long form while
// writing the Parquet file, in the wide table's order (no sort). Rows are ordered by request, then model, view
// and metric as in requests.csv's columns: a request's fields repeat in runs that compress to
// almost nothing (about 1 MB for the quickstart's 1.2M rows; ordered by model first it was 11 MB).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOUBLE, FLOAT, INTEGER, VARCHAR, DuckDBDataChunk, type DuckDBType, type DuckDBVector } from '@duckdb/node-api';
import { openDuck, type Duck } from '../ingest/duck.ts';
import { lit } from '../ingest/sql.ts';
import { metricKeys } from '../eval/metrics.ts';
import { pipelineLag } from '../eval/lag.ts';
import type { SourceResult } from '../eval/replay.ts';
import type { PipelinePlan } from './assemble.ts';
import type { RequestRows } from './requestTable.ts';

/** The columns of requests.parquet, in file order. */
export const REQUESTS_PARQUET_COLUMNS = ['request', 'person', 'key', 'time', 'model', 'view', 'metric', 'value', 'lag_ms', 'inactivity_ms'] as const;

const CHUNK = 2048;

/** DuckDB's memory while writing requests.parquet (the wide table: about 350 MB at 1M requests); beyond it, it spills to disk. */
const PARQUET_MEMORY = '1GB';

/**
 * The bytes of requests.parquet for a run's (or merged shards') per-request tables. The file is produced in a
 * private temporary folder and removed; only the bytes are returned, for the run's atomic output.
 *
 * @example
 * const bytes = await requestsParquet(rows, [10, 20], run.models, run.sources, run.plans);
 * // rows: requests x models x (1 + pipelines) x metrics
 */
export async function requestsParquet(
  rows: RequestRows,
  ks: readonly number[],
  models: ReadonlyArray<{ name: string }>,
  sources: readonly SourceResult[],
  plans: readonly PipelinePlan[],
): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'recgap-requests-'));
  const duck = await openDuck();
  try {
    // DuckDB would take up to 80% of the machine when it needs memory: capped, it spills to this private folder
    // instead. The file's bytes do not depend on the cap.
    await duck.run(`SET memory_limit = '${PARQUET_MEMORY}'`);
    await duck.run(`SET temp_directory = ${lit(join(dir, 'spill'))}`);
    const file = join(dir, 'requests.parquet');
    await writeParquet(duck, file, rows, ks, models, sources, plans);
    return readFileSync(file);
  } finally {
    duck.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writeParquet(
  duck: Duck,
  file: string,
  rows: RequestRows,
  ks: readonly number[],
  models: ReadonlyArray<{ name: string }>,
  sources: readonly SourceResult[],
  plans: readonly PipelinePlan[],
): Promise<void> {
  const keys = metricKeys(ks);
  const views = [{ label: 'frozen', source: 0 }, ...plans.map((p) => ({ label: p.name, source: p.source }))];
  // The frozen view is the person's own history: its lag is 0 where the person has one (pipelineLag).
  const lags = views.map((v) => pipelineLag(sources[0].ageMs, sources[v.source].ageMs));
  const inactivity = sources[0].ageMs;
  // Wide layout: request, person, key, time_ms, inactivity_ms, lag_<view>..., m_<model,view,metric>...
  const metricCols: Array<{ m: number; v: number; k: number }> = [];
  models.forEach((_, m) => views.forEach((_, v) => keys.forEach((_, k) => metricCols.push({ m, v, k }))));
  const fixed: Array<[string, DuckDBType]> = [
    ['request', INTEGER],
    ['person', VARCHAR],
    ['key', VARCHAR],
    ['time_ms', DOUBLE],
    ['inactivity_ms', DOUBLE],
  ];
  // Metrics are float32 in the tables: FLOAT columns hold them exactly at half the size, and the cast to
  // DOUBLE below is exact too.
  const types = [...fixed.map(([, t]) => t), ...views.map(() => DOUBLE), ...metricCols.map(() => FLOAT)];
  const names = [...fixed.map(([n]) => n), ...views.map((_, v) => `lag_${v}`), ...metricCols.map((_, c) => `m_${c}`)];
  await duck.run(`CREATE TABLE wide (${names.map((n, j) => `${n} ${types[j]}`).join(', ')})`);
  const appender = await duck.conn.createAppender('wide');
  const cols = keys.length;
  // Each column is filled straight from its typed array (stride: a metric table holds `cols` values per request).
  const fill = (vector: DuckDBVector, a: ArrayLike<number>, r0: number, size: number, stride = 1, offset = 0) => {
    for (let i = 0, at = r0 * stride + offset; i < size; i++, at += stride) {
      const x = a[at];
      vector.setItem(i, x !== x ? null : x); // NaN (no value) is NULL in the file
    }
    vector.flush();
  };
  const fillText = (vector: DuckDBVector, a: readonly string[], r0: number, size: number) => {
    for (let i = 0; i < size; i++) vector.setItem(i, a[r0 + i]);
    vector.flush();
  };
  const tables = metricCols.map(({ m, v }) => sources[views[v].source].metrics[m]);
  for (let r0 = 0; r0 < rows.length; r0 += CHUNK) {
    const size = Math.min(CHUNK, rows.length - r0);
    const chunk = DuckDBDataChunk.create(types, size);
    const request = chunk.getColumnVector(0);
    for (let i = 0; i < size; i++) request.setItem(i, r0 + i);
    request.flush();
    fillText(chunk.getColumnVector(1), rows.personIds, r0, size);
    fillText(chunk.getColumnVector(2), rows.keyIds, r0, size);
    fill(chunk.getColumnVector(3), rows.tsMs, r0, size);
    fill(chunk.getColumnVector(4), inactivity, r0, size);
    lags.forEach((lag, v) => fill(chunk.getColumnVector(fixed.length + v), lag, r0, size));
    metricCols.forEach(({ k }, c) => fill(chunk.getColumnVector(fixed.length + views.length + c), tables[c], r0, size, cols, k));
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  // Labels as ENUM types: each row then carries a small integer, not a string, and the Parquet writer takes
  // its dictionary from the type (written as plain UTF8 strings all the same), which cuts their encoding time.
  // Not person and key: every row group would then carry the dictionary of all ids (+20% file size).
  const enumOf = async (type: string, values: string[]) => duck.run(`CREATE TYPE ${type} AS ENUM (${[...new Set(values)].map(lit).join(', ')})`);
  await enumOf(
    'model_t',
    models.map((m) => m.name),
  );
  await enumOf(
    'view_t',
    views.map((v) => v.label),
  );
  await enumOf('metric_t', keys);
  // Each request's row fans out into one row per model x view x metric: unnest zips the constant label lists
  // with the list of that row's metric columns (and each column's view lag), in the order of the lists. No
  // sort: with insertion order preserved (DuckDB's default, on any number of threads) the rows come out in the
  // wide table's order, request by request, which keeps the file the same between runs. zstd level 1: about
  // the size of level 3 in half the time.
  const list = (items: string[]) => `[${items.join(', ')}]`;
  await duck.run('SET preserve_insertion_order = true');
  await duck.run(
    `COPY (SELECT request, person, key, make_timestamp(CAST(round(time_ms * 1000) AS BIGINT))::TIMESTAMPTZ AS time, ` +
      `unnest(${list(metricCols.map(({ m }) => `${lit(models[m].name)}::model_t`))}) AS model, ` +
      `unnest(${list(metricCols.map(({ v }) => `${lit(views[v].label)}::view_t`))}) AS view, ` +
      `unnest(${list(metricCols.map(({ k }) => `${lit(keys[k])}::metric_t`))}) AS metric, ` +
      `unnest(${list(metricCols.map((_, c) => `CAST(m_${c} AS DOUBLE)`))}) AS value, ` +
      `unnest(${list(metricCols.map(({ v }) => `lag_${v}`))}) AS lag_ms, ` +
      `inactivity_ms FROM wide) TO ${lit(file)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)`,
  );
}

/** Per-request columns read back from requests.parquet: each request's person, and values by name. */
export interface ParquetRequestColumns {
  /** External person id of each request, indexed by request. */
  persons: string[];
  /** Each request's time in microseconds since the epoch (the file's timestamps). */
  timesUs: Float64Array;
  /** `model.view.metric` -> one value per request (NaN where the file has NULL); only names that exist. */
  columns: Map<string, Float64Array>;
}

/**
 * Read the persons and the named `model.view.metric` columns (as requests.csv names them) from
 * requests.parquet, given as a file path or as its bytes.
 *
 * @example
 * const { persons, columns } = await readRequestsParquet('reports/quickstart/requests.parquet', ['knn.weekly-batch.hit@10']);
 * columns.get('knn.weekly-batch.hit@10') // Float64Array, one value per request
 */
export async function readRequestsParquet(source: string | Uint8Array, wanted: readonly string[]): Promise<ParquetRequestColumns> {
  if (typeof source !== 'string') {
    const dir = mkdtempSync(join(tmpdir(), 'recgap-requests-'));
    try {
      const file = join(dir, 'requests.parquet');
      writeFileSync(file, source);
      return await readRequestsParquet(file, wanted);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const duck = await openDuck();
  try {
    const from = `read_parquet(${lit(source)})`;
    // One row per request, one column per wanted name (DuckDB pivots; nothing per row crosses into JS but the
    // request's person and values), with a count per name to tell a missing name from an all-NULL column.
    // Metric keys have no dot, so the metric is what follows a name's last one, the view what precedes it.
    const parts = wanted.map((w) => {
      const metric = w.slice(w.lastIndexOf('.') + 1);
      const rest = w.slice(0, w.lastIndexOf('.'));
      return { metric, view: rest.slice(rest.lastIndexOf('.') + 1), model: rest.slice(0, Math.max(0, rest.lastIndexOf('.'))) };
    });
    const pivot = (where: string) =>
      `SELECT request, any_value(person), epoch_us(any_value(time))${parts
        .map(({ model, view, metric }) => {
          const cond = `model = ${lit(model)} AND view = ${lit(view)} AND metric = ${lit(metric)}`;
          return `, any_value(value) FILTER (WHERE ${cond}), count(*) FILTER (WHERE ${cond})`;
        })
        .join('')} FROM ${from}${where} GROUP BY request ORDER BY request`;
    const metrics = [...new Set(parts.map((p) => p.metric))];
    let chunks = parts.length ? await readChunks(duck, pivot(` WHERE metric IN (${metrics.map(lit).join(', ')})`)) : [];
    // No row of a wanted metric (or nothing wanted): every request's person all the same.
    if (chunks.every((c) => c.rowCount === 0)) chunks = await readChunks(duck, pivot(''));
    let n = 0;
    for (const c of chunks) if (c.rowCount) n = Math.max(n, Number(c.getColumnVector(0).getItem(c.rowCount - 1)) + 1);
    const persons = new Array<string>(n).fill('');
    const timesUs = new Float64Array(n).fill(NaN);
    const values = parts.map(() => new Float64Array(n).fill(NaN));
    const found = parts.map(() => false);
    for (const c of chunks) {
      const request = c.getColumnVector(0);
      const person = c.getColumnVector(1);
      const time = c.getColumnVector(2);
      for (let i = 0; i < c.rowCount; i++) {
        const r = Number(request.getItem(i));
        persons[r] = String(person.getItem(i));
        const t = time.getItem(i);
        timesUs[r] = t === null ? NaN : Number(t);
      }
      parts.forEach((_, j) => {
        const value = c.getColumnVector(3 + 2 * j);
        const count = c.getColumnVector(4 + 2 * j);
        const col = values[j];
        for (let i = 0; i < c.rowCount; i++) {
          if (Number(count.getItem(i)) === 0) continue;
          found[j] = true;
          const v = value.getItem(i);
          col[Number(request.getItem(i))] = v === null ? NaN : Number(v);
        }
      });
    }
    const columns = new Map<string, Float64Array>();
    parts.forEach((_, j) => {
      if (found[j] && !columns.has(wanted[j])) columns.set(wanted[j], values[j]);
    });
    return { persons, timesUs, columns };
  } finally {
    duck.close();
  }
}

/** Every chunk of a query's result. */
async function readChunks(duck: Duck, sql: string): Promise<DuckDBDataChunk[]> {
  const result = await duck.conn.run(sql);
  const chunks: DuckDBDataChunk[] = [];
  for (let c = await result.fetchChunk(); c && c.rowCount > 0; c = await result.fetchChunk()) chunks.push(c);
  return chunks;
}
