// Sums written as matrix products. Inside a gradient, tf.sum's backward pass builds a tensor of ones
// of the input's full size in JavaScript (tf.ones -> makeOnesTypedArray) and uploads it: on wasm that
// costs more than the rest of a small training step. A product with a ones vector has a matMul backward.
import * as tf from '@tensorflow/tfjs';

/**
 * Row sums of a rows x cols matrix, as rows x 1.
 *
 * @example
 * rowSum(tf.tensor2d([[1, 2], [3, 4]])); // [[3], [7]]
 */
export function rowSum(x: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(x, tf.ones([x.shape[1], 1]));
}

/**
 * The sum of all entries of a matrix, as a scalar.
 *
 * @example
 * total(tf.tensor2d([[1, 2], [3, 4]])); // 10
 */
export function total(x: tf.Tensor2D): tf.Scalar {
  return tf.matMul(tf.ones([1, x.shape[0]]), rowSum(x)).reshape([]);
}

/**
 * The sum of squares of all entries of a matrix, as a scalar (an L2 penalty).
 *
 * @example
 * sumSquares(tf.tensor2d([[1, 2], [3, 4]])); // 30
 */
export function sumSquares(x: tf.Tensor2D): tf.Scalar {
  return total(x.square());
}

/**
 * -log(sigmoid(x)) = softplus(-x), the logistic loss. wasm's Softplus is scalar exp + log1p, measured
 * about 5x slower than its Sigmoid followed by Log; the floor keeps log finite when sigmoid underflows.
 *
 * @example
 * logisticLoss(tf.tensor1d([0])); // [log 2]
 */
export function logisticLoss(x: tf.Tensor): tf.Tensor {
  return tf.log(tf.sigmoid(x).add(1e-30)).neg();
}
