// Reading a real interaction log into the columnar EventLog. The pipeline, each stage in its own module:
//   0. check    the file exists, is not blank; a .gz is inflated to its end alongside the read (gzipCheck)
//   1. plan     format or adapter -> ReadPlan: SQL per canonical field, the time unit decided from a sample
//               (planFor)
//   2. stream   one DuckDB pass in file order: fields, the reason a row is unusable, hashes of the ids;
//               good rows go into typed columns, ids interned as they arrive (streamRows)
//   3. log      defaults, canonical type and channel order, rows sorted by time in place, duplicate events
//               dropped, sessions numbered per key, sessions cut by inactivity where the log has none (assembleLog)
//   4. drops    counts per reason with their first lines; strict mode fails on the first bad row (dropReport)
//   5. times    the log's time range and stray events at either end (timeReport)
import { statSync } from 'node:fs';
import type { DataFormat, DataSpec } from '../scenario/types.ts';
import { InputError } from '../errors.ts';
import type { EventLog } from '../log/eventLog.ts';
import { NONE } from '../log/eventLog.ts';
import { assembleLog } from './assembleLog.ts';
import type { Duplicates } from './dropDuplicates.ts';
import { dropReport, failOnFirstBad } from './dropReport.ts';
import { openDuck } from './duck.ts';
import { duckErrorMessage } from './duckError.ts';
import { estimateRows } from './estimateRows.ts';
import { checkGzip, isZlibError, type GzipVerdict } from './gzipCheck.ts';
import { ingestMsg } from './messages.ts';
import { isBlank } from './peek.ts';
import type { TimeUnit } from './plan.ts';
import { planFor } from './planFor.ts';
import { streamRows } from './streamRows.ts';
import { timeReport, type TimeReport } from './timeReport.ts';

export type { DropReason } from './dropReport.ts';
import type { DropReason } from './dropReport.ts';

export interface IngestReport {
  file: string;
  format: DataFormat;
  /** Records read, bad ones included (for OTTO: events). */
  rows: number;
  /** Events in the log: rows minus every dropped row. */
  loaded: number;
  /** Bad rows by reason (duplicate events among them), most frequent first. */
  dropped: DropReason[];
  /** Loaded rows whose time is earlier than the row before them in the file; the log is sorted by time regardless. */
  outOfOrder: number;
  /** Loaded events whose session field was empty (a log with a session column): their sessions are cut by inactivity. */
  emptySessionEvents: number;
  /** Whether loaded events carry a person; 'none' also when the log has no person column. */
  personsKnown: 'all' | 'some' | 'none';
  /** Loaded events whose person is unknown. */
  anonymousEvents: number;
  /** ISO times of the first and last loaded events. */
  timeRange: TimeReport['timeRange'];
  /** Small groups of events at either end far from the rest (timeReport.ts): candidates for data.timeRange. */
  isolated: TimeReport['isolated'];
  timeUnit: TimeUnit;
  seconds: number;
}

export interface ReadOptions {
  /** Called as each stage ends with its name and the seconds since the read began (benchmarks, progress). */
  onStage?: (stage: 'plan' | 'stream' | 'log' | 'drops', seconds: number) => void;
}

/** Lets DuckDB's parser run ahead of the JS consumer (the default buffer of about 1 MB stalls it). */
const STREAM_BUFFER = '64MB';
const NO_DUPLICATES: Duplicates = { count: 0, first: [] };

/**
 * Read the log `spec` describes into an EventLog sorted by time (ties in file order), with a report of what
 * was dropped and why. Dictionary ids are dense, in order of first appearance in the file.
 *
 * @example
 * const { log, report } = await readLog({ path: '/data/events.csv', format: 'csv', columns: null, timeUnit: 'auto',
 *   eventMap: null, delimiter: null, sessionGapMs: 30 * 60_000, strict: false });
 * report.loaded === log.length; // true
 * report.dropped; // [{ reason: 'unparseable time', count: 3, firstLines: [17, 250, 9001] }]
 */
export async function readLog(spec: DataSpec, options: ReadOptions = {}): Promise<{ log: EventLog; report: IngestReport }> {
  const t0 = performance.now();
  const file = spec.path;
  // 0.
  checkFile(file);
  const abort = new AbortController();
  const gz = file.endsWith('.gz') ? checkGzip(file, abort.signal) : null;
  try {
    if (await isBlank(file)) throw new InputError(ingestMsg.noDataRows(file));
    return await readChecked(spec, options, t0, gz);
  } catch (e) {
    // A broken .gz explains whatever else went wrong reading it.
    const verdict = await gz;
    if (verdict?.ok === false) throw new InputError(verdict.message);
    if (isZlibError(e)) throw new InputError(ingestMsg.gzipCorrupt(file, (e as Error).message));
    throw e;
  } finally {
    abort.abort();
  }
}

async function readChecked(
  spec: DataSpec,
  options: ReadOptions,
  t0: number,
  gz: Promise<GzipVerdict> | null,
): Promise<{ log: EventLog; report: IngestReport }> {
  const stage = (name: Parameters<NonNullable<ReadOptions['onStage']>>[0]) => options.onStage?.(name, (performance.now() - t0) / 1000);
  const file = spec.path;
  const duck = await openDuck();
  try {
    await duck.run(`SET streaming_buffer_size = '${STREAM_BUFFER}'`);
    // 1-2. DuckDB's complaints about the content (malformed JSON, not Parquet, ...) name the file.
    const [plan, streamed] = await asInputError(file, spec.format, async () => {
      const plan = await planFor(duck, spec);
      stage('plan');
      const estimate = await estimateRows(duck, file, plan.relation, spec.format === 'otto' ? /"aid"/g : /\n/g);
      // Rejects logged while sampling the file would be counted twice.
      if (plan.relation.rejects) await duck.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans');
      return [plan, await streamRows(duck, plan, estimate, spec.strict, file)] as const;
    });
    stage('stream');
    const verdict = await gz;
    if (verdict?.ok === false) throw new InputError(verdict.message);
    // 3. (In strict mode the rows before the first bad one, for duplicates among them.)
    const assembled = streamed.loaded > 0 ? assembleLog(streamed, spec.sessionGapMs) : null;
    stage('log');
    // 4.
    const duplicates = assembled?.duplicates ?? NO_DUPLICATES;
    if (spec.strict) await failOnFirstBad(duck, plan, file, streamed.firstBad, duplicates);
    const { dropped, rejected } = await dropReport(duck, plan, file, streamed.reasons, duplicates);
    stage('drops');
    duck.close();

    const rows = streamed.rows + rejected;
    if (rows === 0) throw new InputError(ingestMsg.noDataRows(file));
    if (assembled === null) throw new InputError(ingestMsg.nothingLoaded(file, rows, dropped[0].reason, dropped[0].count, dropped[0].firstLines[0]));
    const { log } = assembled;
    const n = log.length;
    let anonymous = 0;
    for (let i = 0; i < n; i++) if (log.person[i] === NONE) anonymous++;
    const { timeRange, isolated } = timeReport(log.tsMs);
    const report: IngestReport = {
      file,
      format: spec.format,
      rows,
      loaded: n,
      dropped,
      outOfOrder: assembled.outOfOrder,
      emptySessionEvents: assembled.emptySessionEvents,
      personsKnown: anonymous === n ? 'none' : anonymous === 0 ? 'all' : 'some',
      anonymousEvents: anonymous,
      timeRange,
      isolated,
      timeUnit: plan.time.unit,
      seconds: (performance.now() - t0) / 1000,
    };
    return { log, report };
  } finally {
    duck.close();
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
    const message = await duckErrorMessage(file, format, e);
    if (message !== null) throw new InputError(message);
    throw e;
  }
}
