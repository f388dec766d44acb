// Training positions for the learned models: each is one person's event that the model should predict
// from that person's earlier events, the same task the evaluation poses at a request.
import type { FitContext } from './model.ts';
import type { Rng } from '../util/rng.ts';

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
