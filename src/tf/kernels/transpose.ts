// Transpose in typed-array loops for wasm: its own runs at ~14 ns a value (0.9 ms for 1,024 x 64), and
// every reduction over a leading axis and every gradient of a matMul goes through it.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { numeric, size, type Typed } from './shared.ts';

/**
 * out = x permuted by `perm` (out dimension d is x dimension perm[d]); row-major both.
 *
 * @example
 * transposeInto(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0], out); // out = [1, 4, 2, 5, 3, 6]
 */
export function transposeInto(x: Typed, shape: readonly number[], perm: readonly number[], out: Typed): void {
  const rank = shape.length;
  // tf.gather's gradient transposes by the identity: a copy.
  if (perm.every((p, d) => p === d)) {
    out.set(x.subarray(0, out.length));
    return;
  }
  if (rank === 2) {
    transpose2d(x, shape[0], shape[1], out, 0);
    return;
  }
  if (rank === 3 && perm[0] === 0 && perm[1] === 2) {
    const [b, r, c] = shape;
    for (let i = 0; i < b; i++) transpose2d(x.subarray(i * r * c, (i + 1) * r * c), r, c, out, i * r * c);
    return;
  }
  const inStrides = new Array<number>(rank);
  inStrides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) inStrides[d] = inStrides[d + 1] * shape[d + 1];
  const outShape = perm.map((p) => shape[p]);
  const step = perm.map((p) => inStrides[p]);
  const idx = new Array<number>(rank).fill(0);
  const n = size(shape);
  let src = 0;
  for (let o = 0; o < n; o++) {
    out[o] = x[src];
    // Odometer over the output's dimensions, moving the input offset along.
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) {
        src += step[d];
        break;
      }
      src -= step[d] * (outShape[d] - 1);
      idx[d] = 0;
    }
  }
}

/** r x c -> c x r into out at `offset`: sequential writes, strided reads (measured 5x faster than tiling here). */
function transpose2d(x: Typed, r: number, c: number, out: Typed, offset: number): void {
  for (let j = 0; j < c; j++) {
    const o = offset + j * r;
    for (let i = 0; i < r; i++) out[o + i] = x[i * c + j];
  }
}

/**
 * Transpose for wasm over `fallback` (strings, rank < 2) with transposeInto.
 *
 * @example
 * tf.registerKernel({ kernelName: 'Transpose', backendName: 'wasm', kernelFunc: makeWasmTranspose(original) });
 */
export function makeWasmTranspose(fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const x = (call.inputs as unknown as { x: tf.TensorInfo }).x;
    const { perm } = call.attrs as unknown as { perm: number[] };
    if (!numeric(x) || x.shape.length < 2) return fallback(call);
    const b = call.backend as BackendWasm;
    const out = b.makeOutput(
      perm.map((p) => x.shape[p]),
      x.dtype,
    );
    if (size(x.shape) > 0) transposeInto(b.typedArrayFromHeap(x) as Typed, x.shape, perm, b.typedArrayFromHeap(out) as Typed);
    return out;
  };
}
