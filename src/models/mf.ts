// Implicit matrix factorization with the user side folded in from the profile: the user vector is a
// recency-weighted mean of the profile items' context embeddings, in training and at serving alike.
// A pipeline's profile refresh cadence is then literally the user-embedding refresh cadence.
import * as tf from '@tensorflow/tfjs';
import type { FitContext, Model, Profile } from './model.ts';
import type { SavedModel } from './artifacts.ts';
import { f32 } from './artifacts.ts';
import { identityMap, toLogScores, type ItemMap } from './itemMap.ts';
import { profileReader, type ProfileReader } from './profileItems.ts';
import { trainMf } from './mfTrain.ts';
import { readInto } from '../tf/readInto.ts';
import { axpy } from '../tf/axpy.ts';
import type { EventLog } from '../log/eventLog.ts';

export interface MfOptions {
  /** Embedding size k. */
  factors: number;
  /** Passes over the training anchors. */
  epochs: number;
  /** Adam step size. */
  learningRate: number;
  /** L2 penalty on the user vector and the gathered item vectors and biases, per example. */
  regularization: number;
  /** Profile items lose half their weight every halfLifeMs before the newest; 0 = plain mean. */
  halfLifeMs: number;
  /** Most recent distinct profile items in the user vector. */
  history: number;
  /** Uniformly sampled negatives per batch, shared by its anchors. */
  negatives: number;
  batchSize: number;
}

export const MF_DEFAULTS: MfOptions = {
  factors: 32,
  epochs: 5,
  learningRate: 0.01,
  regularization: 1e-4,
  halfLifeMs: 7 * 86_400_000,
  history: 20,
  negatives: 64,
  batchSize: 1024,
};

export interface MfConfig {
  factors: number;
  halfLifeMs: number;
  history: number;
}

/** The fitted state: context embeddings Q (items x k), target embeddings P (items x k), item bias. */
export interface MfWeights {
  q: Float32Array;
  p: Float32Array;
  bias: Float32Array;
}

/**
 * Fit implicit MF by BPR (Rendle et al., UAI 2009) with sampled negatives, where the user vector is
 * folded in from history as in FISM (Kabbur et al., KDD 2013) and asymmetric SVD (Koren, KDD 2008):
 *
 *   u = sum_j w_j Q_j / sum_j w_j   over the last `history` distinct items j, w_j = 2^(-age_j / halfLife),
 *   score_i = u . P_i + b_i,
 *   loss = mean over (anchor, negative) of softplus(score_neg - score_pos) + regularization x squared norms,
 *
 * with `negatives` uniform items per batch shared by all its anchors (one matMul scores them all).
 *
 * Each anchor is a training event predicted from the same person's earlier events (anchors.ts), so the
 * training task is the evaluation's task. BPR rather than weighted ALS: the fold-in is then exactly the
 * function used in training (no per-request least-squares solve, no stored user factors), and it trains
 * with minibatch Adam in TensorFlow.js. Deterministic for a seed: initial weights, shuffling and negatives
 * all come from ctx.rng.
 *
 * @example
 * const mf = fitMf('mf', ctx, { ...MF_DEFAULTS, epochs: 5 });
 */
export function fitMf(name: string, ctx: FitContext, opts: MfOptions): Model {
  const weights = trainMf(ctx, opts);
  const config: MfConfig = { factors: opts.factors, halfLifeMs: opts.halfLifeMs, history: opts.history };
  return mfModel(name, ctx.log, identityMap(ctx.log.dict.item.length), [...ctx.log.dict.item], weights, config);
}

/**
 * Rebuild a saved mf model for `log` (items mapped by id).
 *
 * @example
 * const mf = mfFromSaved(readSaved(dir) as SavedModel<MfConfig>, log, map);
 */
export function mfFromSaved(saved: SavedModel<MfConfig>, log: EventLog, map: ItemMap): Model {
  const n = saved.items.length;
  const k = saved.config.factors;
  const w = { q: f32(saved, 'Q', [n, k]), p: f32(saved, 'P', [n, k]), bias: f32(saved, 'bias', [n]) };
  return mfModel(saved.name, log, map, saved.items, w, saved.config);
}

/**
 * Folded-in user vectors of `profiles` into u (rows x k).
 *
 * @example
 * foldIn(read, weights.q, k, 20, profiles, users); // users: profiles.length x k
 */
export function foldIn(read: ProfileReader, q: Float32Array, k: number, history: number, profiles: readonly Profile[], u: Float32Array): void {
  u.fill(0, 0, profiles.length * k);
  for (let r = 0; r < profiles.length; r++) {
    const { n, items, weights } = read.distinct(profiles[r].events, history);
    let total = 0;
    for (let x = 0; x < n; x++) total += weights[x];
    if (total === 0) continue;
    for (let x = 0; x < n; x++) axpy(weights[x] / total, q, items[x] * k, u, r * k, k);
  }
}

function mfModel(name: string, log: EventLog, map: ItemMap, itemIds: readonly string[], w: MfWeights, config: MfConfig): Model {
  const n = map.nModel;
  const k = config.factors;
  const read = profileReader(log, map, config.halfLifeMs);
  // Scoring reads P transposed with the bias as an extra row, against users with a constant 1 appended:
  // one plain matMul (wasm's transposed matMul and broadcast add are each slower than the product).
  const pt = new Float32Array((k + 1) * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) pt[c * n + i] = w.p[i * k + c];
    pt[k * n + i] = w.bias[i];
  }
  let u = new Float32Array(0);
  let u1 = new Float32Array(0);
  let buf = new Float32Array(0);
  const scoreBatch = (profiles: readonly Profile[], out: Float32Array): void => {
    const rows = profiles.length;
    if (u.length < rows * k) {
      u = new Float32Array(rows * k);
      u1 = new Float32Array(rows * (k + 1));
    }
    foldIn(read, w.q, k, config.history, profiles, u);
    for (let r = 0; r < rows; r++) {
      u1.set(u.subarray(r * k, (r + 1) * k), r * (k + 1));
      u1[r * (k + 1) + k] = 1;
    }
    // The item table is uploaded per batch (about 1 ms for 10k x 32), so a fitted model holds no
    // tensors between calls and needs no dispose.
    const dst = map.identity ? out : buf.length >= rows * n ? buf : (buf = new Float32Array(rows * n));
    tf.tidy(() => readInto(tf.matMul(tf.tensor2d(u1.subarray(0, rows * (k + 1)), [rows, k + 1]), tf.tensor2d(pt, [k + 1, n])), dst));
    if (!map.identity) toLogScores(map, dst, rows, out);
  };
  return {
    name,
    type: 'mf',
    nItems: map.nLog,
    dependsOn: 'events',
    score: (profile, out) => scoreBatch([profile], out),
    scoreBatch,
    toSaved: () => ({
      type: 'mf',
      name,
      items: [...itemIds],
      config,
      weights: [
        { name: 'Q', shape: [n, k], data: w.q },
        { name: 'P', shape: [n, k], data: w.p },
        { name: 'bias', shape: [n], data: w.bias },
      ],
    }),
  };
}
