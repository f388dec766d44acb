// Training loop of gru4rec in TensorFlow.js: next-item prediction from the last L items before each
// training anchor, softmax cross-entropy over the positive and shared uniform negatives (the whole
// catalogue when it is small), Adam. Deterministic for a seed; returns plain typed arrays.
import * as tf from '@tensorflow/tfjs';
import type { FitContext } from './model.ts';
import type { GruOptions, GruWeights } from './gru4rec.ts';
import { trainingAnchors, normalInit, trainEpochs } from './anchors.ts';
import { identityMap } from './itemMap.ts';
import { profileReader } from './profileItems.ts';
import { gruFinalState, type GruTensors } from './gruCell.ts';
import { rowSum, total } from '../tf/reduce.ts';
import { Adam } from '../tf/adam.ts';
import { modelMsg } from './messages.ts';
import { InputError } from '../errors.ts';

/**
 * Train the network of fitGru4Rec; every tensor created here is disposed before returning.
 *
 * @example
 * const weights = trainGru('gru', ctx, GRU_DEFAULTS);
 */
export function trainGru(name: string, ctx: FitContext, opts: GruOptions): GruWeights {
  const { log, trainByPerson: g } = ctx;
  const n = log.dict.item.length;
  const { factors: d, sequenceLength: L } = opts;
  const anchors = trainingAnchors(ctx);
  if (anchors.length === 0) throw new InputError(modelMsg.noTrainingSequences(name));
  const read = profileReader(log, identityMap(n), 0);
  const B = Math.max(1, Math.min(opts.batchSize, anchors.length));
  const perEpoch = Math.min(anchors.length, opts.samplesPerEpoch);
  // Uniform negatives shared by the batch (unbiased: the batch's own targets as negatives, GRU4Rec's
  // choice, favour popular items and measured far worse here without a log-popularity correction);
  // the full catalogue when it is no larger.
  const full = n <= opts.negatives + 1;
  const S = full ? 0 : opts.negatives;

  // 1. Seeded initial weights: N(0, 1/fan_in) for the recurrent parts, small embeddings.
  const init = ctx.rng.fork('init');
  const vars = tf.tidy(() => ({
    embed: tf.variable(tf.tensor2d(normalInit((n + 1) * d, 0.1, init), [n + 1, d])),
    w: tf.variable(tf.tensor2d(normalInit(d * 3 * d, 1 / Math.sqrt(d), init), [d, 3 * d])),
    u: tf.variable(tf.tensor2d(normalInit(d * 3 * d, 1 / Math.sqrt(d), init), [d, 3 * d])),
    b: tf.variable(tf.zeros([3 * d])),
    out: tf.variable(tf.tensor2d(normalInit(n * d, 0.1, init), [n, d])),
    outBias: tf.variable(tf.zeros([n])),
  }));
  const list = [vars.embed, vars.w, vars.u, vars.b, vars.out, vars.outBias];
  const adam = new Adam(list, { learningRate: opts.learningRate });
  const order = ctx.rng.fork('order');
  const negRng = ctx.rng.fork('negatives');
  const ids = new Int32Array(B * L);
  const pos = new Int32Array(B);
  const neg = new Int32Array(S);
  const mask = new Float32Array(B * S);

  try {
    trainEpochs({ epochs: opts.epochs, n: anchors.length, perEpoch, batch: B }, order, ctx.onProgress, (perm, b0, rows) => {
      ids.fill(n);
      for (let r = 0; r < rows; r++) {
        const a = perm[b0 + r];
        pos[r] = log.item[g.events[anchors.at[a]]];
        const seq = read.recent(g.events.subarray(anchors.start[a], anchors.at[a]), L);
        ids.set(seq, r * L + L - seq.length);
      }
      if (!full) {
        for (let s = 0; s < S; s++) neg[s] = negRng.int(n);
        // A negative equal to the row's positive would be counted twice: mask it out.
        for (let r = 0; r < rows; r++) for (let s = 0; s < S; s++) mask[r * S + s] = neg[s] === pos[r] ? -1e9 : 0;
      }
      return adam.step(() => {
        const h = gruFinalState(vars as unknown as GruTensors, ids, rows, L);
        const pi = tf.tensor1d(pos.subarray(0, rows), 'int32');
        const sPos = rowSum(h.mul(tf.gather(vars.out, pi))).add(tf.gather(vars.outBias, pi).reshape([rows, 1]));
        // Scores of the candidates, the bias as an outer product (a broadcast's gradient is slow on wasm).
        const k = full ? n : S;
        const ni = full ? null : tf.tensor1d(neg, 'int32');
        const o = ni ? tf.gather(vars.out, ni) : vars.out;
        const ob = ni ? tf.gather(vars.outBias, ni) : vars.outBias;
        let logits = tf.matMul(h, o, false, true).add(tf.matMul(tf.ones([rows, 1]), ob.reshape([1, k])));
        if (!full) logits = logits.add(tf.tensor2d(mask.subarray(0, rows * S), [rows, S]));
        // Cross-entropy = logsumexp - s_pos. The row max m that keeps exp finite enters as a constant
        // read off the values: the result is the same function, and the backward pass skips max's and
        // concat's gradients (measured 4x the cost of the rest of this head on wasm).
        const m = tf.tensor2d(tf.maximum(logits.max(1, true), sPos).dataSync() as Float32Array, [rows, 1]);
        let sumExp = rowSum(tf.exp(logits.sub(m)) as tf.Tensor2D);
        // Sampled softmax: the positive is not among the candidates; add its term.
        if (!full) sumExp = sumExp.add(tf.exp(sPos.sub(m)));
        const lse = tf.log(sumExp).add(m);
        return total(lse.sub(sPos) as tf.Tensor2D).div(rows) as tf.Scalar;
      });
    });
    const f = (v: tf.Variable) => v.dataSync() as Float32Array;
    return { embed: f(vars.embed), w: f(vars.w), u: f(vars.u), b: f(vars.b), out: f(vars.out), outBias: f(vars.outBias) };
  } finally {
    adam.dispose();
    tf.dispose(list);
  }
}
