// GRU4Rec (Hidasi et al., ICLR 2016), small: a GRU reads the profile's last N items and scores the next
// item. Unlike mf it sees order, so it reacts to what the person did last, and to a stale view accordingly.
import * as tf from '@tensorflow/tfjs';
import type { FitContext, Model, Profile } from './model.ts';
import type { SavedModel } from './artifacts.ts';
import { f32 } from './artifacts.ts';
import { identityMap, toLogScores, type ItemMap } from './itemMap.ts';
import { profileReader } from './profileItems.ts';
import { gruFinalState } from './gruCell.ts';
import { trainGru } from './gruTrain.ts';
import { readInto } from '../tf/readInto.ts';
import type { EventLog } from '../log/eventLog.ts';

export interface GruOptions {
  /** Embedding and hidden size d. */
  factors: number;
  epochs: number;
  learningRate: number;
  /** Last N items (consecutive repeats collapsed) the GRU reads. */
  sequenceLength: number;
  /** Uniform negatives shared per batch; the full catalogue when it has at most negatives + 1 items. */
  negatives: number;
  batchSize: number;
  /** Training anchors drawn per epoch (a fresh seeded permutation each epoch). */
  samplesPerEpoch: number;
}

export const GRU_DEFAULTS: GruOptions = {
  factors: 32,
  epochs: 3,
  learningRate: 0.01,
  sequenceLength: 10,
  negatives: 1024,
  batchSize: 512,
  samplesPerEpoch: 200_000,
};

export interface GruConfig {
  factors: number;
  sequenceLength: number;
}

export interface GruWeights {
  embed: Float32Array;
  w: Float32Array;
  u: Float32Array;
  b: Float32Array;
  out: Float32Array;
  outBias: Float32Array;
}

/**
 * Fit GRU4Rec on next-item prediction: every training event with an earlier event of the same person is
 * a target, its input the person's last `sequenceLength` items before it (left-padded). Softmax
 * cross-entropy over the target and `negatives` shared uniform items (full softmax on small catalogues),
 * Adam. Scores: logits = h_N . O_i + c_i for the final GRU state h_N of the profile's last N items.
 *
 * Cost per epoch: samplesPerEpoch x (N GRU steps of d x 3d, forward and backward) + the output layer.
 * Deterministic for a seed (initial weights, anchor order and negatives from ctx.rng).
 *
 * @example
 * const gru = fitGru4Rec('gru', ctx, { ...GRU_DEFAULTS, epochs: 3 });
 */
export function fitGru4Rec(name: string, ctx: FitContext, opts: GruOptions): Model {
  const weights = trainGru(name, ctx, opts);
  const config: GruConfig = { factors: opts.factors, sequenceLength: opts.sequenceLength };
  return gruModel(name, ctx.log, identityMap(ctx.log.dict.item.length), [...ctx.log.dict.item], weights, config);
}

/**
 * Rebuild a saved gru4rec model for `log` (items mapped by id).
 *
 * @example
 * const gru = gruFromSaved(readSaved(dir) as SavedModel<GruConfig>, log, map);
 */
export function gruFromSaved(saved: SavedModel<GruConfig>, log: EventLog, map: ItemMap): Model {
  const n = saved.items.length;
  const d = saved.config.factors;
  const w: GruWeights = {
    embed: f32(saved, 'embed', [n + 1, d]),
    w: f32(saved, 'W', [d, 3 * d]),
    u: f32(saved, 'U', [d, 3 * d]),
    b: f32(saved, 'b', [3 * d]),
    out: f32(saved, 'O', [n, d]),
    outBias: f32(saved, 'c', [n]),
  };
  return gruModel(saved.name, log, map, saved.items, w, saved.config);
}

function gruModel(name: string, log: EventLog, map: ItemMap, itemIds: readonly string[], w: GruWeights, config: GruConfig): Model {
  const n = map.nModel;
  const d = config.factors;
  const L = config.sequenceLength;
  const read = profileReader(log, map, 0);
  // Output layer transposed with the bias as an extra row (one plain matMul against [h, 1]).
  const ot = new Float32Array((d + 1) * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) ot[c * n + i] = w.out[i * d + c];
    ot[d * n + i] = w.outBias[i];
  }
  let ids = new Int32Array(0);
  let buf = new Float32Array(0);
  const scoreBatch = (profiles: readonly Profile[], out: Float32Array): void => {
    const rows = profiles.length;
    if (ids.length < rows * L) ids = new Int32Array(rows * L);
    ids.fill(n, 0, rows * L);
    for (let r = 0; r < rows; r++) {
      const seq = read.recent(profiles[r].events, L);
      ids.set(seq, r * L + L - seq.length);
    }
    const dst = map.identity ? out : buf.length >= rows * n ? buf : (buf = new Float32Array(rows * n));
    // Weights are uploaded per batch (small next to the output product), so nothing outlives the tidy.
    tf.tidy(() => {
      const t = { embed: tf.tensor2d(w.embed, [n + 1, d]), w: tf.tensor2d(w.w, [d, 3 * d]), u: tf.tensor2d(w.u, [d, 3 * d]), b: tf.tensor1d(w.b) };
      const h = gruFinalState(t, ids, rows, L);
      readInto(tf.matMul(tf.concat([h, tf.ones([rows, 1])], 1), tf.tensor2d(ot, [d + 1, n])), dst);
    });
    if (!map.identity) toLogScores(map, dst, rows, out);
  };
  return {
    name,
    type: 'gru4rec',
    nItems: map.nLog,
    dependsOn: 'events',
    score: (profile, out) => scoreBatch([profile], out),
    scoreBatch,
    toSaved: () => ({
      type: 'gru4rec',
      name,
      items: [...itemIds],
      config,
      weights: [
        { name: 'embed', shape: [n + 1, d], data: w.embed },
        { name: 'W', shape: [d, 3 * d], data: w.w },
        { name: 'U', shape: [d, 3 * d], data: w.u },
        { name: 'b', shape: [3 * d], data: w.b },
        { name: 'O', shape: [n, d], data: w.out },
        { name: 'c', shape: [n], data: w.outBias },
      ],
    }),
  };
}
