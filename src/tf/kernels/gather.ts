// A row-copy GatherV2 for wasm: its own walks every element through generic strides (100 ms to gather
// 61k rows of 64). Gathers along another axis, or with batch dimensions, go to the original.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { size, type Typed } from './shared.ts';

/**
 * out[r, :] = x[ids[r], :]; throws a RangeError for an id outside [0, rows of x).
 *
 * @example
 * gatherRows(Float32Array.of(1, 2, 3, 4, 5, 6), 3, Int32Array.of(2, 0), 2, out); // out = [5, 6, 1, 2]
 */
export function gatherRows(x: Typed, rowsOfX: number, ids: ArrayLike<number>, inner: number, out: Typed): void {
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r];
    if (!(s >= 0 && s < rowsOfX)) throw new RangeError(`GatherV2: the index value ${s} is not in [0, ${rowsOfX - 1}]`);
    const src = s * inner;
    const dst = r * inner;
    if (inner < 16) for (let c = 0; c < inner; c++) out[dst + c] = x[src + c];
    else out.set(x.subarray(src, src + inner), dst);
  }
}

/**
 * GatherV2 for wasm over `fallback`: rows of axis 0 copied with typed-array sets.
 *
 * @example
 * tf.registerKernel({ kernelName: 'GatherV2', backendName: 'wasm', kernelFunc: makeWasmGather(original) });
 */
export function makeWasmGather(fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { inputs, attrs, backend } = call;
    const { x, indices } = inputs as unknown as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
    const rank = x.shape.length;
    const ax = axis < 0 ? axis + rank : axis;
    if (ax !== 0 || batchDims !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32') || rank === 0) return fallback(call);
    const b = backend as BackendWasm;
    const inner = size(x.shape.slice(1));
    const out = b.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    gatherRows(b.typedArrayFromHeap(x) as Typed, x.shape[0], b.typedArrayFromHeap(indices) as Int32Array, inner, b.typedArrayFromHeap(out) as Typed);
    return out;
  };
}
