// Relevance-loss fits (ageCurve.ts fitRelevanceLosses) on a worker thread while the calling thread goes on
// with other work (the bootstrap's series and kernel): the fits are the larger part of the assemble stage
// and depend on nothing else. Jobs (one lag series with its losses each) are claimed with Atomics on shared
// memory: the worker takes them from the first, the caller, when it needs the results, takes any left from
// the last and waits for the others. A job is computed by the same code wherever it runs, so the fits do
// not depend on the thread count or on which thread took which job; a worker that fails or never starts
// leaves its jobs to the caller. The series are copied into shared memory at the start: the caller's own
// arrays need not be kept.
//   status (Int32 per job): 0 open, 1 taken by the worker, 2 done by the worker, 3 taken by the caller,
//   4 failed in the worker (the caller redoes it)
import { Worker } from 'node:worker_threads';
import { fitRelevanceLosses, type RelevanceLossFit } from './ageCurve.ts';

/** One lag series and the losses fitted against it (fitRelevanceLosses' arguments). */
export interface FitJob {
  lagMs: Float64Array;
  losses: readonly Float64Array[];
}

/** What the worker receives: the jobs' series in shared memory, the status words and the result slots. */
export interface FitWorkerData {
  jobs: Array<{ lagMs: Float64Array; losses: Float64Array[]; at: number }>;
  status: Int32Array;
  results: Float64Array;
}

const OPEN = 0;
const WORKER = 1;
const DONE = 2;
const CALLER = 3;
const FAILED = 4;
/** Doubles per fit in the result slots: lInf, tauMs, rmse, n, nEmpty, tauAtBound (0 or 1). */
const FIELDS = 6;

/**
 * Start the fits of every job; join() returns them (per job, per loss) once all are done. With `threads` 1
 * (or no job) nothing starts and join() fits in the calling thread.
 *
 * @example
 * const fits = startFits([{ lagMs, losses: [popGap, knnGap] }], 2);
 * // ... other work ...
 * const [[pop, knn]] = fits.join();
 */
export function startFits(jobs: readonly FitJob[], threads: number): { join(): RelevanceLossFit[][] } {
  if (threads <= 1 || jobs.length === 0) return { join: () => jobs.map((j) => fitRelevanceLosses(j.lagMs, j.losses)) };
  const share = (x: Float64Array) => {
    const out = new Float64Array(new SharedArrayBuffer(x.byteLength));
    out.set(x);
    return out;
  };
  let at = 0;
  const data: FitWorkerData = {
    jobs: jobs.map((j) => {
      const job = { lagMs: share(j.lagMs), losses: j.losses.map(share), at };
      at += j.losses.length * FIELDS;
      return job;
    }),
    status: new Int32Array(new SharedArrayBuffer(4 * jobs.length)),
    results: new Float64Array(new SharedArrayBuffer(8 * Math.max(1, at))),
  };
  let worker: Worker | null = null;
  try {
    worker = startWorker(data);
    worker.unref();
    worker.on('error', () => {});
  } catch {
    worker = null; // The caller fits every job.
  }
  return {
    join: () => {
      const out: RelevanceLossFit[][] = new Array(jobs.length);
      // Jobs left open, from the last: the worker works from the first.
      for (let i = jobs.length - 1; i >= 0; i--) {
        if (Atomics.compareExchange(data.status, i, OPEN, CALLER) === OPEN) out[i] = fitRelevanceLosses(data.jobs[i].lagMs, data.jobs[i].losses);
      }
      for (let i = 0; i < jobs.length; i++) {
        if (out[i]) continue;
        for (;;) {
          const s = Atomics.load(data.status, i);
          if (s === DONE) {
            out[i] = readFits(data.results, data.jobs[i].at, data.jobs[i].losses.length);
            break;
          }
          if (s === FAILED) {
            out[i] = fitRelevanceLosses(data.jobs[i].lagMs, data.jobs[i].losses);
            break;
          }
          Atomics.wait(data.status, i, s, 1000);
        }
      }
      void worker?.terminate();
      return out;
    },
  };
}

/**
 * The worker's loop (fitWorker.ts): claim open jobs in order, fit them, write the results, mark them done.
 *
 * @example
 * runFitJobs(workerData as FitWorkerData);
 */
export function runFitJobs(data: FitWorkerData): void {
  for (let i = 0; i < data.jobs.length; i++) {
    if (Atomics.compareExchange(data.status, i, OPEN, WORKER) !== OPEN) continue;
    try {
      const job = data.jobs[i];
      writeFits(data.results, job.at, fitRelevanceLosses(job.lagMs, job.losses));
      Atomics.store(data.status, i, DONE);
    } catch {
      Atomics.store(data.status, i, FAILED);
    }
    Atomics.notify(data.status, i);
  }
}

function writeFits(results: Float64Array, at: number, fits: readonly RelevanceLossFit[]): void {
  fits.forEach((f, k) => results.set([f.lInf, f.tauMs, f.rmse, f.n, f.nEmpty, f.tauAtBound ? 1 : 0], at + k * FIELDS));
}

function readFits(results: Float64Array, at: number, count: number): RelevanceLossFit[] {
  return Array.from({ length: count }, (_, k) => {
    const o = at + k * FIELDS;
    return { lInf: results[o], tauMs: results[o + 1], rmse: results[o + 2], n: results[o + 3], nEmpty: results[o + 4], tauAtBound: results[o + 5] === 1 };
  });
}

function startWorker(workerData: FitWorkerData): Worker {
  if (import.meta.url.endsWith('.js')) return new Worker(new URL('./fitWorker.js', import.meta.url), { workerData });
  return new Worker(new URL('../util/workerBoot.mjs', import.meta.url), {
    workerData: { ...workerData, entry: new URL('./fitWorker.ts', import.meta.url).href },
  });
}
