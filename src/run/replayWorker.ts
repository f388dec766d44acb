// The worker side of replayInWorkers (workers.ts): one message in (a WorkerJob), progress and the
// per-request tables out. Tables are transferred, not copied.
import { parentPort } from 'node:worker_threads';
import { InterruptedError } from '../errors.ts';
import type { WorkerJob, WorkerMessage } from './workers.ts';
import { bindSaved } from '../models/persist.ts';
import { fitModel } from '../models/fit.ts';
import { disposeModels, type Model } from '../models/model.ts';
import { Rng } from '../util/rng.ts';
import { replay, type SourceResult } from '../eval/replay.ts';
import { frozenSource, viewIndexesOf } from '../eval/viewSource.ts';
import { ViewMemo } from '../eval/viewMemo.ts';
import { replayServed } from '../eval/replayServed.ts';
import { positiveMask } from '../eval/requests.ts';

const port = parentPort!;
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.once('message', (job: WorkerJob) => {
  work(job).then(
    (sources) => {
      const buffers = sources.flatMap((s) => [s.ageMs.buffer, s.viewSize.buffer, s.unknownKey.buffer, ...s.metrics.map((t) => t.buffer)]) as ArrayBuffer[];
      post({ kind: 'done', sources }, buffers);
    },
    (e: unknown) =>
      post({
        kind: 'error',
        message: e instanceof Error ? e.message.split('\n')[0] : String(e),
        ...(e instanceof InterruptedError ? { signal: e.signal } : {}),
      }),
  );
});

async function work(job: WorkerJob): Promise<SourceResult[]> {
  const { log, scenario, requests } = job;
  const byPerson = job.byPerson;
  // TensorFlow.js loads only for models that score with it (fitModel loads it for external tfjs models).
  if (job.models.some((m) => m?.type === 'mf' || m?.type === 'gru4rec')) await (await import('../tf/backend.ts')).initTf();
  // Models from their saved state; the rest fitted exactly as the main thread did (same named stream).
  const positives = positiveMask(log, scenario.eval.positives);
  const models: Model[] = [];
  const ks = scenario.eval.ks;
  // External models hold a process or connection each: they end with the worker's job, whether it succeeds or not.
  try {
    for (let m = 0; m < job.models.length; m++) {
      const saved = job.models[m];
      models.push(
        saved
          ? await bindSaved(saved, log)
          : await fitModel(scenario.models[m], {
              log,
              trainBound: job.trainBound,
              untilMs: job.untilMs,
              isPositive: positives,
              trainByPerson: byPerson,
              rng: Rng.fromSeed(scenario.seed).fork('models'),
              kMax: ks[ks.length - 1],
              trainFile: job.trainFiles[m] ?? undefined,
            }),
      );
    }
    const indexOf = viewIndexesOf(log, byPerson, job.byKey ?? undefined);
    const viewSeen = scenario.eval.excludeSeen === 'view' ? positives : undefined;
    const out: SourceResult[] = [];
    const memo = new ViewMemo(requests.length, models);
    let before = 0;
    let lastPost = 0;
    for (const cfg of job.sources) {
      const onProgress = (d: number) => {
        const now = performance.now();
        if (now - lastPost > 200) {
          lastPost = now;
          post({ kind: 'progress', done: before + d });
        }
      };
      memo.begin();
      out.push(
        cfg === null
          ? replay(log, requests, frozenSource(log, byPerson), models, { ks, viewSeen, memo, onProgress })
          : replayServed(log, requests, cfg, models, indexOf(cfg), { ks, viewSeen, memo, onProgress }),
      );
      memo.commit(out[out.length - 1]);
      before += requests.length;
    }
    return out;
  } finally {
    disposeModels(models);
  }
}
