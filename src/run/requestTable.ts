// The per-request table (requests.csv): one row per evaluated request with every model's metrics under
// the frozen view and each pipeline's served view, plus the person's inactivity (the frozen view's age) and
// each pipeline's served signal age and lag. Paired by construction.
import { metricKeys } from '../eval/metrics.ts';
import type { RunOutput } from './run.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { Requests } from '../eval/requests.ts';
import type { SourceResult } from '../eval/replay.ts';
import type { PipelinePlan } from './assemble.ts';
import { pipelineLag } from '../eval/lag.ts';
import { spreadsheetField } from '../log/csv.ts';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { CsvBytes } from './csvBytes.ts';

/** The request columns of the table, with external person and key ids. */
export interface RequestRows {
  length: number;
  tsMs: Float64Array;
  /** Person index (the bootstrap's cluster); personIds[r] is its external id. */
  person: Int32Array;
  session: Int32Array;
  /** Number of labels per request. */
  labels: Int32Array;
  personIds: string[];
  keyIds: string[];
}

/**
 * The request columns of a run, with external ids.
 *
 * @example
 * const rows = requestRows(run.log, run.requests);
 */
export function requestRows(log: EventLog, req: Requests): RequestRows {
  const labels = new Int32Array(req.length);
  for (let r = 0; r < req.length; r++) labels[r] = req.labelOffsets[r + 1] - req.labelOffsets[r];
  return {
    length: req.length,
    tsMs: req.tsMs,
    person: req.person,
    session: req.session,
    labels,
    personIds: Array.from(req.person, (p) => log.dict.person[p]),
    keyIds: Array.from(req.key, (k) => log.dict.key[k]),
  };
}

/**
 * Render a run's per-request table as CSV, as one string: for small runs (the sweep's what-if detail, tests).
 * Runs write the file with writeRequestsCsv / requestsCsvChunks instead, which never hold the whole text.
 *
 * @example
 * const csv = requestTableCsv(run); // 'request,time,person,...\n0,1706...\n'
 */
export function requestTableCsv(run: RunOutput): string {
  return requestsCsv(requestRows(run.log, run.requests), run.results.config.ks, run.models, run.sources, run.plans);
}

/**
 * The per-request table as one CSV string from its parts (a run's, or merged shards').
 *
 * @example
 * requestsCsv(rows, [10, 20], [{ name: 'knn' }], sources, plans);
 */
export function requestsCsv(
  rows: RequestRows,
  ks: readonly number[],
  models: ReadonlyArray<{ name: string }>,
  sources: readonly SourceResult[],
  plans: readonly PipelinePlan[],
): string {
  return Buffer.concat([...requestsCsvChunks(rows, ks, models, sources, plans)]).toString('utf8');
}

/**
 * Write the per-request table to a CSV file chunk by chunk (the same bytes as requestsCsv).
 *
 * @example
 * writeRequestsCsv('/tmp/requests.csv', rows, [10, 20], run.models, run.sources, run.plans);
 */
export function writeRequestsCsv(
  file: string,
  rows: RequestRows,
  ks: readonly number[],
  models: ReadonlyArray<{ name: string }>,
  sources: readonly SourceResult[],
  plans: readonly PipelinePlan[],
): void {
  const fd = openSync(file, 'w');
  try {
    for (const chunk of requestsCsvChunks(rows, ks, models, sources, plans)) writeFileSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/**
 * The per-request table as CSV in chunks of UTF-8 bytes (whole lines, about 2 MB each; the header first), so
 * that a file of any size is written without one string of it: at 1M requests the text is about 350 MB, near
 * V8's longest string, and bytes written straight into buffers cost a fraction of building strings.
 * Numbers are written as String(x) writes them; metrics are rounded to 6 significant digits (0 and 1 exactly),
 * empty when NaN (no value); lags are empty without history and Infinity when the served view is empty.
 *
 * @example
 * for (const chunk of requestsCsvChunks(rows, [10, 20], run.models, run.sources, run.plans)) writeSync(fd, chunk);
 */
export function* requestsCsvChunks(
  rows: RequestRows,
  ks: readonly number[],
  models: ReadonlyArray<{ name: string }>,
  sources: readonly SourceResult[],
  plans: readonly PipelinePlan[],
): Generator<Uint8Array> {
  const keys = metricKeys(ks);
  const cols = keys.length;
  const views = [{ label: 'frozen', source: 0 }, ...plans.map((p) => ({ label: p.name, source: p.source }))];
  const served = views.slice(1);
  const header = ['request', 'time', 'person', 'key', 'session', 'labels', 'inactivity_ms'];
  for (const v of served) header.push(`age_ms.${v.label}`);
  for (const v of served) header.push(`lag_ms.${v.label}`);
  for (const m of models) for (const v of views) for (const k of keys) header.push(`${m.name}.${v.label}.${k}`);
  // Lag: empty when the person has no history, Infinity when the served view is empty.
  const lags = served.map((v) => pipelineLag(sources[0].ageMs, sources[v.source].ageMs));
  const ages = served.map((v) => sources[v.source].ageMs);
  const inactivity = sources[0].ageMs;
  // The metric tables in column order (model, then view).
  const tables: Float32Array[] = [];
  for (let m = 0; m < models.length; m++) for (const v of views) tables.push(sources[v.source].metrics[m]);
  const metric = metricBytes();
  const out = new CsvBytes();
  out.text(header.map(spreadsheetField).join(','));
  out.newline();
  for (let r = 0; r < rows.length; r++) {
    out.number(r);
    out.comma();
    out.number(rows.tsMs[r]);
    out.comma();
    out.text(spreadsheetField(rows.personIds[r]));
    out.comma();
    out.text(spreadsheetField(rows.keyIds[r]));
    out.comma();
    out.number(rows.session[r]);
    out.comma();
    out.number(rows.labels[r]);
    out.comma();
    out.optional(inactivity[r]);
    for (const a of ages) {
      out.comma();
      out.optional(a[r]);
    }
    for (const lag of lags) {
      out.comma();
      out.optional(lag[r]);
    }
    const at = r * cols;
    for (const t of tables) {
      for (let c = 0; c < cols; c++) {
        out.comma();
        out.bytes(metric(t[at + c]));
      }
    }
    out.newline();
    if (out.length >= CHUNK_BYTES) yield out.take();
  }
  if (out.length) yield out.take();
}

/** Bytes after which requestsCsvChunks hands a chunk out (at a line's end). */
const CHUNK_BYTES = 1 << 20;

/** Distinct metric values remembered per formatter: few (float32 ratios and discounts), but bounded all the same. */
const FORMAT_CACHE = 1 << 16;

/**
 * A metric as CSV text: empty for NaN, 0 and 1 exactly, otherwise rounded to 6 significant digits and written
 * as the shortest text of that number.
 *
 * @example
 * formatMetric(1 / 3) // '0.333333'
 */
export function formatMetric(x: number): string {
  if (x !== x) return '';
  return x === 0 || x === 1 ? String(x) : String(Number(x.toPrecision(6)));
}

/**
 * formatMetric as UTF-8 bytes, remembered per value: a metric table holds few distinct values (hits, ratios of
 * small counts, sums of rank discounts), so each one is rounded and encoded once.
 *
 * @example
 * const metric = metricBytes();
 * metric(0.5) // Uint8Array of '0.5'
 */
export function metricBytes(): (x: number) => Uint8Array {
  const cache = new Map<number, Uint8Array>();
  const zero = Buffer.from('0');
  const one = Buffer.from('1');
  const none = new Uint8Array(0);
  return (x) => {
    if (x === 0) return zero;
    if (x === 1) return one;
    if (x !== x) return none;
    let b = cache.get(x);
    if (b === undefined) {
      b = Buffer.from(formatMetric(x));
      if (cache.size >= FORMAT_CACHE) cache.clear();
      cache.set(x, b);
    }
    return b;
  };
}

/**
 * Named `model.view.metric` columns (as requests.csv's header names them) straight from the per-request tables,
 * at full precision (the values requests.parquet holds; NaN where it has NULL). Names that do not exist are left
 * out of the map.
 *
 * @example
 * metricColumns([10, 20], run.models, run.sources, run.plans, ['knn.weekly-batch.hit@10']).get('knn.weekly-batch.hit@10')
 */
export function metricColumns(
  ks: readonly number[],
  models: ReadonlyArray<{ name: string }>,
  sources: readonly SourceResult[],
  plans: readonly PipelinePlan[],
  wanted: readonly string[],
): Map<string, Float64Array> {
  const keys = metricKeys(ks);
  const cols = keys.length;
  const views = [{ label: 'frozen', source: 0 }, ...plans.map((p) => ({ label: p.name, source: p.source }))];
  const out = new Map<string, Float64Array>();
  const want = new Set(wanted);
  models.forEach((model, m) =>
    views.forEach((v) =>
      keys.forEach((key, k) => {
        const name = `${model.name}.${v.label}.${key}`;
        if (!want.has(name) || out.has(name)) return;
        const t = sources[v.source].metrics[m];
        const n = t.length / cols;
        const col = new Float64Array(n);
        for (let r = 0; r < n; r++) col[r] = t[r * cols + k];
        out.set(name, col);
      }),
    ),
  );
  return out;
}
