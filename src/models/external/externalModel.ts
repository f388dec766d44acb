// `command` and `http` models behind the Model interface: the team's own model, scored by its own code over
// the protocol of protocol.ts. recgap ranks its scores exactly as a built-in model's (same top-K, same tie
// rule, same exclusions), so a model that returns the built-in popularity counts reproduces its metrics exactly.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExternalModelSpec } from '../../scenario/types.ts';
import type { FitContext, Model, Profile } from '../model.ts';
import { RunError } from '../../errors.ts';
import { modelMsg } from '../messages.ts';
import { SyncBridge } from './bridge.ts';
import { failureError } from './failure.ts';
import { handshakeJson } from './protocol.ts';
import { RequestEncoder } from './requestEncoder.ts';
import { writeTrainCsv } from './trainCsv.ts';

/** An external model; its process ids are there for tests that check a failure leaves no process behind. */
export interface ExternalModel extends Model {
  /** The model's and its watchdog's process ids (the last ones, after the model stopped); 0 for none. */
  processIds(): { model: number; watchdog: number };
}

/**
 * Requests per batch: as many as the replay scores at once (256), fewer for catalogues above 15,625 items so
 * that a batch's scores stay within 16 MB of shared memory.
 *
 * @example
 * externalBatchRows(3000) // 256
 */
export function externalBatchRows(nItems: number): number {
  return Math.max(1, Math.min(256, Math.floor(4_000_000 / Math.max(1, nItems))));
}

/**
 * "Fit" an external model: it writes the training events for the model (unless ctx.trainFile has them already)
 * when first needed, and removes them on dispose(). Its process or connection starts with the first profile it scores, so a run whose replay happens in worker threads starts
 * one per worker and none in the main thread; the handshake, during which the model fits, happens then.
 * Rankings depend only on the view's events (`dependsOn: 'events'`): requests that share a served view are
 * scored once.
 *
 * @example
 * const cand = fitExternal({ name: 'cand', type: 'command', command: ['python3', 'score.py'], cwd: '.', timeoutMs: 60000, startTimeoutMs: 600000 }, ctx);
 * cand.scoreBatch!(profiles, out); // starts python3 score.py, handshake, then scores
 * cand.dispose!();                 // ends the process, removes the training file
 */
export function fitExternal(spec: ExternalModelSpec, ctx: FitContext): ExternalModel {
  const { log } = ctx;
  const nItems = log.dict.item.length;
  // The training file is written when first needed (the model starts, or worker threads are handed it), so
  // that it exists for as short a time as possible before a watchdog can remove it should recgap be killed.
  let written: { dir: string; file: string } | null = null;
  let disposed = false;
  const trainFile = (): string => {
    if (ctx.trainFile) return ctx.trainFile;
    // After dispose() the path stays readable (the file is gone), but nothing is written any more.
    if (!written && disposed) throw new RunError(modelMsg.externalStopped(spec.name));
    written ??= writeTrainCsv(log, ctx.trainBound);
    return written.file;
  };
  const positives = log.dict.type.filter((_, t) => ctx.isPositive[t] === 1);
  const encoder = new RequestEncoder(log);
  const rows = externalBatchRows(nItems);
  // Each line of a process's batch says how many follow it; an HTTP body holds its batch whole.
  const withMore = spec.type === 'command';
  // A batch's request lines and where each ends, in shared memory the bridge thread writes from (grown as needed).
  let bytes = new Uint8Array(new SharedArrayBuffer(1 << 20));
  const ends = new Int32Array(new SharedArrayBuffer(4 * rows));
  let bridge: SyncBridge | null = null;
  let stopped: Error | null = null;
  let nextId = 1;
  let pids = { model: 0, watchdog: 0 };

  const stop = (e: Error): never => {
    stopped = e;
    if (bridge) pids = bridge.pids();
    bridge?.close();
    bridge = null;
    throw e;
  };
  const ready = (): SyncBridge => {
    if (stopped) throw stopped;
    if (bridge) return bridge;
    const b = new SyncBridge(spec, nItems, rows);
    bridge = b;
    const train = trainFile();
    const r = b.start(handshakeJson({ items: log.dict.item, train, k: ctx.kMax ?? nItems, positives }), dirname(train));
    pids = b.pids();
    if (!r.ok) stop(failureError(spec, r.failure, log.dict.item));
    return b;
  };
  const scoreBatch = (profiles: readonly Profile[], out: Float32Array): void => {
    const b = ready();
    for (let p0 = 0; p0 < profiles.length; p0 += rows) {
      const p1 = Math.min(profiles.length, p0 + rows);
      const n = p1 - p0;
      let total = 0;
      for (let p = p0; p < p1; p++) total += profiles[p].events.length;
      const need = encoder.bound(n, total);
      if (bytes.length < need) bytes = new Uint8Array(new SharedArrayBuffer(Math.max(2 * bytes.length, need)));
      const req = { op: 'score', firstId: nextId, n, bytes, ends } as const;
      // The bridge thread starts writing requests to the model while the rest are encoded here.
      b.begin(req);
      encoder.begin(bytes);
      for (let j = 0; j < n; j++) {
        ends[j] = encoder.append(nextId + j, profiles[p0 + j].events, withMore ? n - 1 - j : null);
        if ((j & 7) === 7 || j === n - 1) b.encoded(j + 1);
      }
      const r = b.finish(req);
      nextId += p1 - p0;
      if (!r.ok) stop(failureError(spec, r.failure, log.dict.item));
      out.set(b.scores.subarray(0, (p1 - p0) * nItems), p0 * nItems);
    }
  };

  return {
    name: spec.name,
    type: spec.type,
    nItems,
    dependsOn: 'events',
    get trainFile() {
      return trainFile();
    },
    score: (profile, out) => scoreBatch([profile], out),
    scoreBatch,
    processIds: () => (bridge ? bridge.pids() : pids),
    dispose() {
      stopped ??= new RunError(modelMsg.externalStopped(spec.name));
      disposed = true;
      bridge?.close();
      bridge = null;
      if (written) rmSync(written.dir, { recursive: true, force: true });
    },
  };
}
