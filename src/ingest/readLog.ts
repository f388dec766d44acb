// Reading a real interaction log into the columnar EventLog. The pipeline, each stage in its own module:
//   1. plan      format or adapter -> ReadPlan (SQL per canonical field; time unit decided from a sample)
//   2. stage     one DuckDB pass over the file: every field plus the first reason a row is unusable
//   3. drops     counts per reason with their first line numbers (strict: throw on the first bad row)
//   4. encode    dictionaries with dense ids, built in DuckDB
//   5. fetch     good rows sorted by time, numbers only, chunk by chunk into typed arrays
//   6. sessions  cut by inactivity when the log has no session column
import { statSync } from 'node:fs';
import type { DataFormat, DataSpec } from '../scenario/types.ts';
import { InputError } from '../errors.ts';
import { CHANNELS, EVENT_TYPES, finishLog, NONE, type EventLog, type LogDictionaries } from '../log/eventLog.ts';
import { sessionize } from '../log/sessionize.ts';
import { ADAPTERS, isAdapterFormat } from './adapters/index.ts';
import { buildDictionary } from './dictionaries.ts';
import { summarizeDrops, type DropReason } from './dropReport.ts';
import { duckDetail, openDuck, type Duck } from './duck.ts';
import { fetchColumns } from './fetchColumns.ts';
import { arrowRelation } from './formats/arrow.ts';
import { csvRelation } from './formats/csv.ts';
import { jsonlRelation } from './formats/jsonl.ts';
import { parquetRelation } from './formats/parquet.ts';
import { genericPlan } from './genericPlan.ts';
import { ingestMsg } from './messages.ts';
import type { ReadPlan, TimeUnit } from './plan.ts';
import { stageRows, UNKNOWN_CHANNEL } from './stage.ts';

export type { DropReason } from './dropReport.ts';

export interface IngestReport {
  file: string;
  format: DataFormat;
  /** Records read (events, for formats with several per record), bad ones included. */
  rows: number;
  loaded: number;
  /** Bad rows by reason, most frequent first. */
  dropped: DropReason[];
  /** Whether loaded events carry a person: 'none' when the log has no person column. */
  personsKnown: 'all' | 'some' | 'none';
  /** Loaded events whose person is unknown. */
  anonymousEvents: number;
  timeUnit: TimeUnit;
  seconds: number;
}

/** Most distinct values of the Uint8 columns (channel, event type). */
const MAX_UINT8_VALUES = 256;

/**
 * Read the log `spec` describes into an EventLog sorted by time, with a report of what was dropped and why.
 *
 * @example
 * const { log, report } = await readLog({ path: '/data/events.csv', format: 'csv', columns: null, timeUnit: 'auto',
 *   eventMap: null, delimiter: null, sessionGapMs: 30 * 60_000, strict: false });
 * report.loaded === log.length; // true
 * report.dropped; // [{ reason: 'unparseable time', count: 3, firstLines: [17, 250, 9001] }]
 */
export async function readLog(spec: DataSpec): Promise<{ log: EventLog; report: IngestReport }> {
  const t0 = performance.now();
  checkFile(spec.path);
  const duck = await openDuck();
  let read: Awaited<ReturnType<typeof readWith>>;
  try {
    read = await readWith(duck, spec);
  } finally {
    duck.close();
  }
  const { columns, dict, plan, summary } = read;
  const n = summary.loaded;
  const session = columns.session ?? sessionize({ length: n, tsMs: columns.tsMs, key: columns.key, dict } as EventLog, spec.sessionGapMs);
  const log = finishLog({ ...columns, session }, n, dict);

  let anonymous = 0;
  for (let i = 0; i < n; i++) if (log.person[i] === NONE) anonymous++;
  const report: IngestReport = {
    file: spec.path,
    format: spec.format,
    rows: summary.rows,
    loaded: n,
    dropped: summary.dropped,
    personsKnown: anonymous === n ? 'none' : anonymous === 0 ? 'all' : 'some',
    anonymousEvents: anonymous,
    timeUnit: plan.time.unit,
    seconds: (performance.now() - t0) / 1000,
  };
  return { log, report };
}

async function readWith(duck: Duck, spec: DataSpec) {
  const T0 = performance.now(); const lap = (l: string) => console.error(l, ((performance.now() - T0) / 1000).toFixed(2));
  const file = spec.path;
  // 1-2. Reading problems (malformed JSON, not a Parquet file, ...) surface here as DuckDB errors.
  const { plan, shape } = await asInputError(file, spec.format, async () => {
    const plan = await planFor(duck, spec);
    // Rejects logged while sampling the file would be counted twice.
    if (plan.relation.rejects) await duck.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans');
    return { plan, shape: await stageRows(duck, plan) };
  });

  lap('staged');
  // 3.
  const summary = await summarizeDrops(duck, plan, file, spec.strict);
  if (summary.rows === 0) throw new InputError(ingestMsg.noDataRows(file));
  if (summary.loaded === 0) {
    const top = summary.dropped[0];
    throw new InputError(ingestMsg.nothingLoaded(file, summary.rows, top.reason, top.count, top.firstLines[0]));
  }

  lap('drops');
  // 4.
  const build = (column: string, field: string, extra: { canonical?: readonly string[]; max?: number; fetch?: boolean } = {}) =>
    buildDictionary(duck, column, file, { field, fetch: true, ...extra });
  const person = shape.person ? await build('p', 'person') : [];
  const dict: LogDictionaries = {
    person,
    key: shape.key ? await build('k', 'key') : person,
    login: shape.login ? await build('l', 'login') : [],
    item: await build('i', 'item'),
    channel: shape.channel ? await build('c', 'channel', { canonical: CHANNELS, max: MAX_UINT8_VALUES }) : [UNKNOWN_CHANNEL],
    type: await build('e', 'event type', { canonical: EVENT_TYPES, max: MAX_UINT8_VALUES }),
  };
  if (shape.session) await build('s', 'session', { fetch: false });

  lap('dicts');
  // 5.
  const columns = await fetchColumns(duck, shape, summary.loaded);
  lap('fetched');
  return { columns, dict, plan, summary };
}

/** The plan for a built-in adapter or a generic format. */
async function planFor(duck: Duck, spec: DataSpec): Promise<ReadPlan> {
  if (isAdapterFormat(spec.format)) return ADAPTERS[spec.format].plan(duck, spec);
  const file = spec.path;
  switch (spec.format) {
    case 'csv':
      return genericPlan(duck, spec, await csvRelation(duck, file, { delimiter: spec.delimiter }));
    case 'jsonl':
      return genericPlan(duck, spec, await jsonlRelation(duck, file));
    case 'parquet':
      return genericPlan(duck, spec, await parquetRelation(duck, file));
    case 'arrow':
      return genericPlan(duck, spec, await arrowRelation(duck, file));
  }
}

function checkFile(file: string): void {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new InputError(ingestMsg.notAFile(file));
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(ingestMsg.fileNotFound(file));
  }
  if (size === 0) throw new InputError(ingestMsg.emptyFile(file));
}

/** DuckDB's errors about the file's content become input errors naming the file; our own errors pass through. */
async function asInputError<T>(file: string, format: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof InputError) throw e;
    const text = e instanceof Error ? e.message : String(e);
    if (/^(IO|Invalid Input|Conversion|Invalid) Error/.test(text)) throw new InputError(ingestMsg.unreadable(file, format, duckDetail(e)));
    throw e;
  }
}
