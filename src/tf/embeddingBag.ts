// A weighted embedding bag (sum pooling of table rows, as tf.nn.embedding_lookup_sparse or PyTorch's
// EmbeddingBag): out[b] = sum over h of w[b, h] table[ids[b, h]]. Written as typed-array loops with a
// custom gradient, because the same thing from stock ops (gather, broadcast multiply, sum) costs ~10x
// more on wasm: the sum's gradient materializes a tensor of ones in JS and the broadcast is generic.
import * as tf from '@tensorflow/tfjs';
import { axpy } from './axpy.ts';

/**
 * Pool `bags` rows of `table` (n x k): `ids` and `weights` are bags x width (a weight of 0 pads).
 * Differentiable with respect to the table only (dTable = scatter of w[b, h] dOut[b] into row ids[b, h]).
 *
 * @example
 * const users = embeddingBag(itemTable, Int32Array.of(0, 2), Float32Array.of(0.5, 0.5), 1, 2); // 1 x k
 */
export function embeddingBag(table: tf.Tensor2D, ids: Int32Array, weights: Float32Array, bags: number, width: number): tf.Tensor2D {
  const [n, k] = table.shape;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor;
    const out = new Float32Array(bags * k);
    pool(t.dataSync() as Float32Array, ids, weights, bags, width, k, out);
    return {
      value: tf.tensor2d(out, [bags, k]),
      gradFunc: (dy: tf.Tensor) => {
        const g = new Float32Array(n * k);
        unpool(dy.dataSync() as Float32Array, ids, weights, bags, width, k, g);
        return tf.tensor2d(g, [n, k]);
      },
    };
  });
  return op(table) as tf.Tensor2D;
}

/**
 * out[b, :] += w[b, h] table[ids[b, h], :].
 *
 * @example
 * pool(table, Int32Array.of(0, 2), Float32Array.of(0.5, 0.5), 1, 2, k, out); // out = mean of rows 0 and 2
 */
function pool(table: Float32Array, ids: Int32Array, weights: Float32Array, bags: number, width: number, k: number, out: Float32Array): void {
  for (let b = 0; b < bags; b++) {
    const o = b * k;
    for (let h = 0; h < width; h++) {
      const w = weights[b * width + h];
      if (w !== 0) axpy(w, table, ids[b * width + h] * k, out, o, k);
    }
  }
}

/**
 * g[ids[b, h], :] += w[b, h] d[b, :] (the transpose of pool).
 *
 * @example
 * unpool(dOut, ids, weights, bags, width, k, dTable);
 */
function unpool(d: Float32Array, ids: Int32Array, weights: Float32Array, bags: number, width: number, k: number, g: Float32Array): void {
  for (let b = 0; b < bags; b++) {
    const o = b * k;
    for (let h = 0; h < width; h++) {
      const w = weights[b * width + h];
      if (w !== 0) axpy(w, d, o, g, ids[b * width + h] * k, k);
    }
  }
}
