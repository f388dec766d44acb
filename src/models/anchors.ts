// Training positions for the learned models: each is one person's event that the model should predict
// from that person's earlier events, the same task the evaluation poses at a request.
import type { FitContext } from './model.ts';
import { permutation, type Rng } from '../util/rng.ts';

export interface Anchors {
  /** Number of anchors. */
  length: number;
  /** Position of the target event in ctx.trainByPerson.events. */
  at: Int32Array;
  /** Start of the same person's events in ctx.trainByPerson.events: history = events[start, at). */
  start: Int32Array;
}

/**
 * Every training event that has an earlier event of the same person and is not a repeat of the item
 * just before it (repeats teach nothing about what comes next). Only events with index < trainBound.
 *
 * @example
 * const a = trainingAnchors(ctx);
 * const history = ctx.trainByPerson.events.subarray(a.start[0], a.at[0]);
 */
export function trainingAnchors(ctx: FitContext): Anchors {
  const { log, trainBound, trainByPerson: g } = ctx;
  let count = 0;
  const at = new Int32Array(g.events.length);
  const start = new Int32Array(g.events.length);
  for (let p = 0; p < g.groups; p++) {
    const lo = g.offsets[p];
    for (let o = lo + 1; o < g.offsets[p + 1]; o++) {
      const e = g.events[o];
      if (e >= trainBound) break;
      if (log.item[e] === log.item[g.events[o - 1]]) continue;
      at[count] = o;
      start[count] = lo;
      count++;
    }
  }
  return { length: count, at: at.slice(0, count), start: start.slice(0, count) };
}

/**
 * Fill `out` with values drawn from N(0, scale^2), seeded.
 *
 * @example
 * const q = normalInit(items * k, 0.1, rng.fork('init'));
 */
export function normalInit(n: number, scale: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
  return out;
}

/**
 * The epoch loop of the TensorFlow.js trainers: each epoch draws a fresh seeded order of the n anchors,
 * runs `step` on consecutive batches of it until `perEpoch` anchors are used, and reports one progress
 * line with the mean step loss. `step(perm, b0, rows)` trains on perm[b0 .. b0 + rows) and returns its loss.
 *
 * @example
 * trainEpochs({ epochs: 5, n: anchors.length, perEpoch: anchors.length, batch: 1024 }, rng.fork('order'), ctx.onProgress, (perm, b0, rows) => step(...));
 */
export function trainEpochs(
  plan: { epochs: number; n: number; perEpoch: number; batch: number },
  order: Rng,
  onProgress: ((line: string) => void) | undefined,
  step: (perm: Int32Array, b0: number, rows: number) => number,
): void {
  const { epochs, n, perEpoch, batch } = plan;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const t0 = performance.now();
    const perm = permutation(n, order);
    let lossSum = 0;
    let steps = 0;
    for (let b0 = 0; b0 < perEpoch; b0 += batch) {
      lossSum += step(perm, b0, Math.min(batch, perEpoch - b0));
      steps++;
    }
    onProgress?.(`epoch ${epoch + 1}/${epochs} loss ${(lossSum / steps).toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
}
