// Reading a real interaction log into the columnar EventLog. The pipeline, each stage in its own module:
//   1. plan     format or adapter -> ReadPlan: SQL per canonical field, the time unit decided from a sample
//               (planFor)
//   2. stream   one DuckDB pass in file order: fields, the reason a row is unusable, hashes of the ids;
//               good rows go into typed columns, ids interned as they arrive (streamRows)
//   3. drops    counts per reason with their first lines; strict mode fails on the first bad row (dropReport)
//   4. order    defaults, canonical type and channel order, rows sorted by time in place (assembleLog)
//   5. sessions cut by inactivity when the log has no session column (assembleLog)
import { statSync } from 'node:fs';
import type { DataFormat, DataSpec } from '../scenario/types.ts';
import { InputError } from '../errors.ts';
import { NONE, type EventLog } from '../log/eventLog.ts';
import { assembleLog } from './assembleLog.ts';
import { dropReport, failOnFirstBad, type DropReason } from './dropReport.ts';
import { duckDetail, openDuck } from './duck.ts';
import { estimateRows } from './estimateRows.ts';
import { ingestMsg } from './messages.ts';
import type { TimeUnit } from './plan.ts';
import { planFor } from './planFor.ts';
import { streamRows } from './streamRows.ts';

export type { DropReason } from './dropReport.ts';

export interface IngestReport {
  file: string;
  format: DataFormat;
  /** Records read, bad ones included (for OTTO: events). */
  rows: number;
  loaded: number;
  /** Bad rows by reason, most frequent first. */
  dropped: DropReason[];
  /** Whether loaded events carry a person; 'none' also when the log has no person column. */
  personsKnown: 'all' | 'some' | 'none';
  /** Loaded events whose person is unknown. */
  anonymousEvents: number;
  timeUnit: TimeUnit;
  seconds: number;
}

export interface ReadOptions {
  /** Called as each stage ends with its name and the seconds since the read began (benchmarks, progress). */
  onStage?: (stage: 'plan' | 'stream' | 'drops' | 'log', seconds: number) => void;
}

/** Lets DuckDB's parser run ahead of the JS consumer (the default buffer of about 1 MB stalls it). */
const STREAM_BUFFER = '64MB';

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
  const stage = (name: Parameters<NonNullable<ReadOptions['onStage']>>[0]) => options.onStage?.(name, (performance.now() - t0) / 1000);
  const file = spec.path;
  checkFile(file);
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
    // 3.
    if (spec.strict) await failOnFirstBad(duck, plan, file, streamed.firstBad);
    const { dropped, rejected } = await dropReport(duck, plan, file, streamed.reasons);
    stage('drops');
    duck.close();

    const rows = streamed.rows + rejected;
    const n = streamed.loaded;
    if (rows === 0) throw new InputError(ingestMsg.noDataRows(file));
    if (n === 0) throw new InputError(ingestMsg.nothingLoaded(file, rows, dropped[0].reason, dropped[0].count, dropped[0].firstLines[0]));
    // 4-5.
    const log = assembleLog(streamed, spec.sessionGapMs);
    stage('log');

    let anonymous = 0;
    for (let i = 0; i < n; i++) if (log.person[i] === NONE) anonymous++;
    const report: IngestReport = {
      file,
      format: spec.format,
      rows,
      loaded: n,
      dropped,
      personsKnown: anonymous === n ? 'none' : anonymous === 0 ? 'all' : 'some',
      anonymousEvents: anonymous,
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
    const text = e instanceof Error ? e.message : String(e);
    if (/^(IO|Invalid Input|Conversion|Invalid) Error/.test(text)) throw new InputError(ingestMsg.unreadable(file, format, duckDetail(e)));
    throw e;
  }
}
