// The BPR training loop of mf in TensorFlow.js: batches are assembled in typed arrays (histories, positives,
// seeded negatives), the loss and its gradient run on the active backend, Adam updates the tables.
import * as tf from '@tensorflow/tfjs';
import type { FitContext } from './model.ts';
import type { MfOptions, MfWeights } from './mf.ts';
import { trainingAnchors, permutation, normalInit } from './anchors.ts';
import { identityMap } from './itemMap.ts';
import { profileReader } from './profileItems.ts';

/**
 * Train Q, P and the item bias (see fitMf for the objective). Every tensor created here is disposed
 * before returning; the result is plain typed arrays.
 */
export function trainMf(name: string, ctx: FitContext, opts: MfOptions): MfWeights {
  const { log, trainByPerson: g } = ctx;
  const n = log.dict.item.length;
  const { factors: k, history: H, negatives: S } = opts;
  const rng = ctx.rng;
  const anchors = trainingAnchors(ctx);
  const read = profileReader(log, identityMap(n), opts.halfLifeMs);
  const B = Math.max(1, Math.min(opts.batchSize, anchors.length));

  // 1. Seeded initial weights (small, so early user vectors do not saturate the sigmoid).
  const init = rng.fork('init');
  const q = tf.variable(tf.tensor2d(normalInit(n * k, 0.1, init), [n, k]), true, `${name}/Q`);
  const p = tf.variable(tf.tensor2d(normalInit(n * k, 0.1, init), [n, k]), true, `${name}/P`);
  const bias = tf.variable(tf.zeros([n]), true, `${name}/bias`);
  const optimizer = tf.train.adam(opts.learningRate);

  // 2. Batch buffers: history (padded with weight 0), positives, negatives.
  const hIdx = new Int32Array(B * H);
  const hW = new Float32Array(B * H);
  const pos = new Int32Array(B);
  const neg = new Int32Array(B * S);
  const order = rng.fork('order');
  const negRng = rng.fork('negatives');

  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const t0 = performance.now();
      const perm = permutation(anchors.length, order);
      let lossSum = 0;
      let batches = 0;
      for (let b0 = 0; b0 + B <= anchors.length || (b0 < anchors.length && batches === 0); b0 += B) {
        const rows = Math.min(B, anchors.length - b0);
        hIdx.fill(0);
        hW.fill(0);
        for (let r = 0; r < rows; r++) {
          const a = perm[b0 + r];
          const target = log.item[g.events[anchors.at[a]]];
          pos[r] = target;
          const h = read.distinct(g.events.subarray(anchors.start[a], anchors.at[a]), H);
          let total = 0;
          for (let x = 0; x < h.n; x++) total += h.weights[x];
          for (let x = 0; x < h.n; x++) {
            hIdx[r * H + x] = h.items[x];
            hW[r * H + x] = h.weights[x] / total;
          }
          for (let s = 0; s < S; s++) {
            let j = negRng.int(n);
            if (j === target) j = (j + 1) % n;
            neg[r * S + s] = j;
          }
        }
        const loss = optimizer.minimize(() => bprLoss(q, p, bias, hIdx, hW, pos, neg, rows, H, S, k, opts.regularization), true);
        lossSum += loss!.dataSync()[0];
        loss!.dispose();
        batches++;
      }
      ctx.onProgress?.(`${name}: epoch ${epoch + 1}/${opts.epochs} loss ${(lossSum / batches).toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    return { q: q.dataSync() as Float32Array, p: p.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array };
  } finally {
    optimizer.dispose();
    q.dispose();
    p.dispose();
    bias.dispose();
  }
}

/** Mean BPR loss softplus(s_neg - s_pos) plus L2 on the user vectors, gathered item rows and biases. */
function bprLoss(
  q: tf.Variable, p: tf.Variable, bias: tf.Variable,
  hIdx: Int32Array, hW: Float32Array, pos: Int32Array, neg: Int32Array,
  rows: number, H: number, S: number, k: number, reg: number,
): tf.Scalar {
  const hi = tf.tensor1d(hIdx.subarray(0, rows * H), 'int32');
  const hw = tf.tensor3d(hW.subarray(0, rows * H), [rows, H, 1]);
  const users = tf.gather(q, hi).reshape([rows, H, k]).mul(hw).sum(1); // rows x k
  const pi = tf.tensor1d(pos.subarray(0, rows), 'int32');
  const ni = tf.tensor1d(neg.subarray(0, rows * S), 'int32');
  const pe = tf.gather(p, pi); // rows x k
  const ne = tf.gather(p, ni).reshape([rows, S, k]);
  const sPos = users.mul(pe).sum(1).add(tf.gather(bias, pi)); // rows
  const sNeg = users.reshape([rows, 1, k]).mul(ne).sum(2).add(tf.gather(bias, ni).reshape([rows, S])); // rows x S
  const bpr = tf.softplus(sNeg.sub(sPos.reshape([rows, 1]))).mean();
  const l2 = users.square().sum().add(pe.square().sum()).add(ne.square().sum().div(S)).div(rows);
  return bpr.add(l2.mul(reg)) as tf.Scalar;
}
