// Replay in worker threads. The requests are split by a hash of the person into one part per worker;
// each worker rebuilds the models from their saved state (no refitting, except the stateless `random`
// and external `tfjs` models, which load as in the main thread, and `command` and `http` models, which start
// their own process or connection in each worker over the main thread's training file), replays its part through the frozen view
// and every plain serving configuration, and hands back its tables, which are copied to their global
// rows. A request's row does not depend on which other requests share its part, so the tables, and
// everything computed from them, are identical for any number of workers.
//   main: share the log (SharedArrayBuffer columns, no copy per worker) -> start workers -> gather
//   worker (replayWorker.ts): bind the log -> models -> replay each source -> post the tables back
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { EventLog } from '../log/eventLog.ts';
import { groupEvents, type GroupIndex } from '../log/groupIndex.ts';
import { COLUMN_NAMES } from '../log/eventLog.ts';
import type { SourceResult } from '../eval/replay.ts';
import { emptySource, requestShards, scatterSource, takeRequests, type RequestPart } from '../eval/partition.ts';
import { METRIC_COUNT } from '../eval/metrics.ts';
import type { SavedModel } from '../models/artifacts.ts';
import type { Scenario } from '../scenario/types.ts';
import type { ServingConfig } from '../pipeline/serving.ts';
import { InterruptedError, RunError, msg } from '../errors.ts';
import type { PreparedRun } from './prepare.ts';

/** What a worker receives (structured clone; log columns are shared, not copied). */
export interface WorkerJob {
  /** The log with its columns in SharedArrayBuffers (shareLog). */
  log: EventLog;
  scenario: Scenario;
  trainBound: number;
  untilMs: number;
  /** Per model: its saved state, or null to fit it in the worker (random, tfjs, command, http). */
  models: Array<SavedModel | null>;
  /** Per model: the training file an external model of the main thread wrote (the worker's reuses it), else null. */
  trainFiles: Array<string | null>;
  /** The log's events by person and, when a source serves every channel, by key (shared memory, built once by the main thread). */
  byPerson: GroupIndex;
  byKey: GroupIndex | null;
  /** Configuration per source to replay; null = the frozen view. */
  sources: Array<ServingConfig | null>;
  requests: RequestPart;
}

/** Worker -> main messages. */
export type WorkerMessage =
  | { kind: 'progress'; done: number }
  | { kind: 'done'; sources: SourceResult[] }
  /** signal: the run was interrupted (InterruptedError), which the main thread raises again. */
  | { kind: 'error'; message: string; signal?: InterruptedError['signal'] };

/**
 * The worker count for `--workers auto`: the machine's cores.
 *
 * @example
 * resolveWorkers('auto'); // 2 on a 2-core machine
 */
export function resolveWorkers(value: number | 'auto'): number {
  return value === 'auto' ? Math.max(1, availableParallelism()) : Math.max(1, Math.floor(value));
}

/**
 * Move the log's columns into SharedArrayBuffers, so workers read them without a copy each. The log
 * object itself takes the shared columns (same values), one column at a time, so the unshared ones can
 * be collected: the log is never held twice (at 100M events the copy alone was 4-5 GB). Columns already
 * shared (an earlier replay of the same log) are kept.
 *
 * @example
 * const shared = shareLog(log); // same object, same values, shareable columns
 */
function shareLog(log: EventLog): EventLog {
  const share = <T extends Float64Array | Float32Array | Int32Array | Uint8Array>(a: T): T => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  const writable = log as { -readonly [K in keyof EventLog]: EventLog[K] };
  for (const name of COLUMN_NAMES) (writable as unknown as Record<string, unknown>)[name] = share(log[name]);
  if (log.signals) {
    const s = log.signals;
    writable.signals = { ip: share(s.ip), userAgent: share(s.userAgent), geo: share(s.geo), dict: s.dict };
  }
  return log;
}

/**
 * Replay `part` through sources `sourceIdx` (0 = frozen, i = configs[i - 1]) in `workers` threads.
 * Returns one table set per source, indexed like `part`.
 *
 * @example
 * const [frozen, weekly] = await replayInWorkers(prep, wholePart(prep.requests), [0, 1], 2);
 */
export async function replayInWorkers(
  prep: PreparedRun,
  part: RequestPart,
  sourceIdx: readonly number[],
  workers: number,
  onProgress?: (done: number, total: number) => void,
): Promise<SourceResult[]> {
  const n = Math.min(workers, Math.max(1, part.length));
  // Worker parts by a hash of the person with their own seed, independent of the shard hash.
  const which = requestShards(part, prep.log.dict.person, n, WORKER_SEED);
  // Each worker's rows as indices into `part`; its requests carry the global ids (per-request randomness).
  const locals = Array.from({ length: n }, (_, w) => rowsOf(which, w));
  const parts = locals.map((local) => takeRequests(part, local));
  const log = shareLog(prep.log);
  // The event indexes every worker needs, built once here and shared rather than rebuilt per thread.
  const byPerson = shareGroups(prep.byPerson);
  const allChannels = sourceIdx.some((s) => s !== 0 && prep.configs[s - 1].channels === null);
  const byKey = allChannels ? shareGroups(groupEvents(log.key, log.dict.key.length)) : null;
  const models = prep.models.map((m) => (m.toSaved ? m.toSaved() : null));
  const trainFiles = prep.models.map((m) => m.trainFile ?? null);
  const sources = sourceIdx.map((s) => (s === 0 ? null : prep.configs[s - 1]));
  const done = new Array<number>(n).fill(0);
  const total = part.length * sourceIdx.length;
  const results = await Promise.all(
    parts.map((requests, w) =>
      runWorker(
        { log, scenario: prep.scenario, trainBound: prep.fit.trainBound, untilMs: prep.fit.untilMs, models, trainFiles, byPerson, byKey, sources, requests },
        (d) => {
          done[w] = d;
          onProgress?.(
            done.reduce((a, b) => a + b, 0),
            total,
          );
        },
      ),
    ),
  );
  const cols = prep.scenario.eval.ks.length * METRIC_COUNT;
  return sourceIdx.map((_, j) => {
    const full = emptySource(part.length, prep.models.length, cols);
    locals.forEach((local, w) => scatterSource(results[w][j], local, full, cols));
    return full;
  });
}

const WORKER_SEED = 0x3a7f19c5;

/** A group index whose arrays live in shared memory (the same values). */
function shareGroups(g: GroupIndex): GroupIndex {
  const share = (a: Int32Array): Int32Array => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const out = new Int32Array(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  return { groups: g.groups, offsets: share(g.offsets), events: share(g.events) };
}

function rowsOf(which: Uint16Array, w: number): Int32Array {
  let count = 0;
  for (let r = 0; r < which.length; r++) if (which[r] === w) count++;
  const out = new Int32Array(count);
  for (let r = 0, j = 0; r < which.length; r++) if (which[r] === w) out[j++] = r;
  return out;
}

/**
 * A replay worker thread. Compiled JavaScript (the installed package, dist/) starts replayWorker.js
 * directly; TypeScript sources (a git checkout, the tests) boot through workerBoot.mjs, which registers
 * tsx, because a worker thread does not inherit the main thread's loader. tsx is then a development
 * dependency only.
 *
 * @example
 * const worker = startWorker(); // then worker.postMessage(job)
 */
function startWorker(): Worker {
  if (import.meta.url.endsWith('.js')) return new Worker(new URL('./replayWorker.js', import.meta.url));
  return new Worker(new URL('../util/workerBoot.mjs', import.meta.url), { workerData: { entry: new URL('./replayWorker.ts', import.meta.url).href } });
}

function runWorker(job: WorkerJob, onProgress: (done: number) => void): Promise<SourceResult[]> {
  return new Promise((resolve, reject) => {
    const worker = startWorker();
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') onProgress(m.done);
      else if (m.kind === 'done') finish(() => resolve(m.sources));
      else finish(() => reject(m.signal ? new InterruptedError(msg.workerFailed(m.message), m.signal) : new RunError(msg.workerFailed(m.message))));
    });
    worker.on('error', (e) => finish(() => reject(new RunError(msg.workerFailed(e.message.split('\n')[0])))));
    worker.on('exit', (code) => finish(() => reject(new RunError(msg.workerExited(code)))));
    worker.postMessage(job);
  });
}
