// Helpers shared by the replacement kernels.
import type * as tf from '@tensorflow/tfjs';

export type Typed = Float32Array | Int32Array;

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Dtypes stored as plain typed arrays on the wasm heap (strings are not). */
export const numeric = (x: tf.TensorInfo): boolean => x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool';
