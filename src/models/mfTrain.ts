// The BPR training loop of mf in TensorFlow.js: each anchor's history is folded into (item, weight) rows
// once, batches are copied from them with seeded negatives, the loss and its gradient run on the active
// backend, and Adam updates the tables.
import * as tf from '@tensorflow/tfjs';
import type { FitContext } from './model.ts';
import type { MfOptions, MfWeights } from './mf.ts';
import { trainingAnchors, normalInit, trainEpochs, type Anchors } from './anchors.ts';
import { identityMap } from './itemMap.ts';
import { profileReader } from './profileItems.ts';
import { embeddingBag } from '../tf/embeddingBag.ts';
import { rowSum, total, sumSquares, logisticLoss } from '../tf/reduce.ts';
import { Adam } from '../tf/adam.ts';

interface Batch {
  rows: number;
  /** rows x history: item ids and normalized weights of each anchor's history (weight 0 pads). */
  hIdx: Int32Array;
  hW: Float32Array;
  /** rows: the anchor's item. */
  pos: Int32Array;
  /** Negatives shared by the whole batch. */
  neg: Int32Array;
}

/**
 * Train Q, P and the item bias (see fitMf for the objective). Every tensor created here is disposed
 * before returning; the result is plain typed arrays.
 *
 * @example
 * const { q, p, bias } = trainMf(ctx, MF_DEFAULTS);
 */
export function trainMf(ctx: FitContext, opts: MfOptions): MfWeights {
  const { log } = ctx;
  const n = log.dict.item.length;
  const { factors: k, history: H, negatives: S } = opts;
  const anchors = trainingAnchors(ctx);
  // 1. Histories as the serving fold-in sees them, computed once (8 x history bytes per anchor).
  const hist = foldedHistories(ctx, anchors, H, opts.halfLifeMs);
  const B = Math.max(1, Math.min(opts.batchSize, anchors.length));

  // 2. Seeded initial weights, small so early scores sit in the sigmoid's linear range.
  const init = ctx.rng.fork('init');
  const [q, p, bias] = tf.tidy(() => [
    tf.variable(tf.tensor2d(normalInit(n * k, 0.1, init), [n, k])),
    tf.variable(tf.tensor2d(normalInit(n * k, 0.1, init), [n, k])),
    tf.variable(tf.zeros([n])),
  ]);
  const optimizer = new Adam([q, p, bias], { learningRate: opts.learningRate });
  const order = ctx.rng.fork('order');
  const negRng = ctx.rng.fork('negatives');
  const batch: Batch = { rows: 0, hIdx: new Int32Array(B * H), hW: new Float32Array(B * H), pos: new Int32Array(B), neg: new Int32Array(S) };

  try {
    trainEpochs({ epochs: opts.epochs, n: anchors.length, perEpoch: anchors.length, batch: B }, order, ctx.onProgress, (perm, b0, rows) => {
      batch.rows = rows;
      for (let r = 0; r < rows; r++) {
        const a = perm[b0 + r];
        batch.pos[r] = hist.target[a];
        batch.hIdx.set(hist.ids.subarray(a * H, (a + 1) * H), r * H);
        batch.hW.set(hist.weights.subarray(a * H, (a + 1) * H), r * H);
      }
      for (let s = 0; s < S; s++) batch.neg[s] = negRng.int(n);
      // 3. One Adam step on the BPR loss.
      return optimizer.step(() => bprLoss(q, p, bias, batch, H, opts.regularization));
    });
    return { q: q.dataSync() as Float32Array, p: p.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array };
  } finally {
    optimizer.dispose();
    tf.dispose([q, p, bias]);
  }
}

/** Per anchor: its target item and up to H history items with weights summing to 1 (0 pads). */
function foldedHistories(ctx: FitContext, anchors: Anchors, H: number, halfLifeMs: number) {
  const { log, trainByPerson: g } = ctx;
  const read = profileReader(log, identityMap(log.dict.item.length), halfLifeMs);
  const ids = new Int32Array(anchors.length * H);
  const weights = new Float32Array(anchors.length * H);
  const target = new Int32Array(anchors.length);
  for (let a = 0; a < anchors.length; a++) {
    target[a] = log.item[g.events[anchors.at[a]]];
    const h = read.distinct(g.events.subarray(anchors.start[a], anchors.at[a]), H);
    let sum = 0;
    for (let x = 0; x < h.n; x++) sum += h.weights[x];
    for (let x = 0; x < h.n; x++) {
      ids[a * H + x] = h.items[x];
      weights[a * H + x] = h.weights[x] / sum;
    }
  }
  return { ids, weights, target };
}

/**
 * Mean over (anchor, shared negative) of -log sigmoid(s_pos - s_neg), s = u . P_i + b_i, plus
 * regularization x (|u|^2 + |P_pos|^2 per anchor + |P_neg|^2 per negative). Accidental hits (a negative
 * equal to the positive) add a constant log 2 and no gradient. Biases enter through matrix products,
 * not broadcasts: a broadcast's gradient is a reduction over the batch axis, slow on wasm.
 */
function bprLoss(q: tf.Variable, p: tf.Variable, bias: tf.Variable, b: Batch, H: number, reg: number): tf.Scalar {
  const rows = b.rows;
  const S = b.neg.length;
  const users = embeddingBag(q as unknown as tf.Tensor2D, b.hIdx, b.hW, rows, H);
  const pi = tf.tensor1d(b.pos.subarray(0, rows), 'int32');
  const ni = tf.tensor1d(b.neg, 'int32');
  const pe = tf.gather(p, pi) as tf.Tensor2D;
  const ne = tf.gather(p, ni) as tf.Tensor2D;
  const sPos = rowSum(users.mul(pe)).add(tf.gather(bias, pi).reshape([rows, 1]));
  const sNeg = tf.matMul(users, ne, false, true).add(tf.matMul(tf.ones([rows, 1]), tf.gather(bias, ni).reshape([1, S])));
  const bpr = total(logisticLoss(sPos.sub(sNeg)) as tf.Tensor2D).div(rows * S);
  const l2 = sumSquares(users).add(sumSquares(pe)).div(rows).add(sumSquares(ne).div(S));
  return bpr.add(l2.mul(reg)) as tf.Scalar;
}
