// BatchMatMul on wasm through its fast path only (see makeWasmMatMul).
import * as tf from '@tensorflow/tfjs';
import { size } from './shared.ts';

/**
 * wasm's BatchMatMul uses XNNPACK only for an untransposed single matrix product; with transposeA or
 * transposeB (every matMul gradient) it falls back to a naive loop, measured 10-30x slower. Transpose
 * explicitly and take the fast path.
 */
export function makeWasmMatMul(fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { inputs, attrs, backend } = call;
    const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const batchA = size(a.shape.slice(0, -2));
    const batchB = size(b.shape.slice(0, -2));
    if ((!transposeA && !transposeB) || batchA !== 1 || batchB !== 1) return fallback(call);
    const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc;
    const swap = (x: tf.TensorInfo): tf.TensorInfo => {
      const r = x.shape.length;
      const perm = [...Array(r).keys()];
      [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
      return transpose({ inputs: { x } as unknown as tf.NamedTensorInfoMap, backend, attrs: { perm } }) as tf.TensorInfo;
    };
    const at = transposeA ? swap(a) : a;
    const bt = transposeB ? swap(b) : b;
    try {
      return fallback({ inputs: { a: at, b: bt } as unknown as tf.NamedTensorInfoMap, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      const owner = backend as unknown as { disposeData(id: object): void };
      if (at !== a) owner.disposeData(at.dataId);
      if (bt !== b) owner.disposeData(bt.dataId);
    }
  };
}
