// Copy a tensor's values into a caller-owned array. dataSync() allocates a fresh array per call (MBs per
// scoring batch, churning the GC); on wasm the values can be copied straight out of the heap.
import * as tf from '@tensorflow/tfjs';

interface HeapBackend {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/**
 * Write `t`'s float32 values into `out` starting at `offset`.
 *
 * @example
 * tf.tidy(() => readInto(tf.matMul(a, b), scores));
 */
export function readInto(t: tf.Tensor, out: Float32Array, offset = 0): void {
  if (t.dtype !== 'float32') throw new TypeError(`readInto expects float32, got ${t.dtype}`);
  const backend = tf.backend() as unknown as Partial<HeapBackend>;
  if (tf.getBackend() === 'wasm' && typeof backend.typedArrayFromHeap === 'function') {
    out.set(backend.typedArrayFromHeap(t), offset);
    return;
  }
  out.set(t.dataSync() as Float32Array, offset);
}
