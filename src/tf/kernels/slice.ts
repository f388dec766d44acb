// Slice and SplitV for wasm that read the input in place: wasm's copy the whole input out of the heap
// on every call (62 ms to take 1,024 rows of a 10,240 x 192 tensor), so per-step slices dominated a GRU.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { numeric, size, type Typed } from './shared.ts';

/**
 * Copy the box [begin, begin + size) of a row-major array of `shape` into out (row-major).
 *
 * @example
 * sliceInto(x, [2, 3], [0, 1], [2, 2], out); // columns 1..2 of a 2 x 3 matrix
 */
export function sliceInto(x: Typed, shape: readonly number[], begin: readonly number[], sizes: readonly number[], out: Typed): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  const inner = sizes[rank - 1];
  const rows = size(sizes.slice(0, -1));
  const idx = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let src = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) src += (begin[d] + idx[d]) * strides[d];
    out.set(x.subarray(src, src + inner), r * inner);
    // Odometer over the leading dimensions.
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < sizes[d]) break;
      idx[d] = 0;
    }
  }
}

function wasmSliceOf(backend: BackendWasm, x: tf.TensorInfo, begin: number[], sizes: number[]): tf.TensorInfo {
  const out = backend.makeOutput(sizes, x.dtype);
  if (size(sizes) > 0) sliceInto(backend.typedArrayFromHeap(x) as Typed, x.shape, begin, sizes, backend.typedArrayFromHeap(out) as Typed);
  return out;
}

/**
 * Slice for wasm over `fallback` (strings): copies the box out of the heap view.
 *
 * @example
 * tf.registerKernel({ kernelName: 'Slice', backendName: 'wasm', kernelFunc: makeWasmSlice(original) });
 */
export function makeWasmSlice(fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const x = (call.inputs as unknown as { x: tf.TensorInfo }).x;
    if (!numeric(x)) return fallback(call);
    const { begin, size: sz } = call.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, sz);
    return wasmSliceOf(call.backend as BackendWasm, x, b, s);
  };
}

/**
 * SplitV for wasm over `fallback` (strings): one in-place slice per part.
 *
 * @example
 * tf.registerKernel({ kernelName: 'SplitV', backendName: 'wasm', kernelFunc: makeWasmSplitV(original) });
 */
export function makeWasmSplitV(fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const x = (call.inputs as unknown as { x: tf.TensorInfo }).x;
    if (!numeric(x)) return fallback(call);
    const { numOrSizeSplits, axis } = call.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const splits = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    return splits.map((part) => {
      const sizes = [...x.shape];
      sizes[ax] = part;
      const out = wasmSliceOf(call.backend as BackendWasm, x, [...begin], sizes);
      begin[ax] += part;
      return out;
    });
  };
}
