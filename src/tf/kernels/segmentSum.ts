// UnsortedSegmentSum as a scatter-add, the gradient of tf.gather: wasm has none (training an embedding
// throws "Kernel 'UnsortedSegmentSum' not registered") and cpu's loops once per segment, O(segments x
// rows), unusable for a 20k-row table.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { size, type Typed } from './shared.ts';

/**
 * out[ids[r], c] += x[r, c] for every row r whose id is in [0, numSegments); other ids are dropped
 * (TensorFlow's semantics). `x` is rows x inner, `out` numSegments x inner and must start at zero.
 *
 * @example
 * scatterAdd(Float32Array.of(1, 2, 3, 4), Int32Array.of(1, 1), 2, 2, out); // out = [0, 0, 4, 6]
 */
export function scatterAdd(x: ArrayLike<number>, ids: ArrayLike<number>, inner: number, numSegments: number, out: Typed): void {
  const rows = ids.length;
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    const src = r * inner;
    const dst = s * inner;
    for (let c = 0; c < inner; c++) out[dst + c] += x[src + c];
  }
}

interface SegmentArgs {
  x: tf.TensorInfo;
  segmentIds: tf.TensorInfo;
  numSegments: number;
}

function args(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): SegmentArgs & { outShape: number[]; inner: number } {
  const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
  // segmentIds covers the leading dimensions of x; what is left is one row of `inner` values.
  const lead = segmentIds.shape.length;
  const outShape = [numSegments, ...x.shape.slice(lead)];
  return { x, segmentIds, numSegments, outShape, inner: size(x.shape.slice(lead)) };
}

export const segmentSumWasm: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as BackendWasm;
  const a = args(inputs, attrs);
  // makeOutput may grow the wasm heap and detach earlier views: take views only after it.
  const out = b.makeOutput(a.outShape, a.x.dtype);
  const o = b.typedArrayFromHeap(out) as Typed;
  o.fill(0);
  scatterAdd(b.typedArrayFromHeap(a.x) as Typed, b.typedArrayFromHeap(a.segmentIds) as Int32Array, a.inner, a.numSegments, o);
  return out;
};

interface CpuLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Typed): tf.TensorInfo;
}

export const segmentSumCpu: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as CpuLike;
  const a = args(inputs, attrs);
  const o = a.x.dtype === 'int32' ? new Int32Array(size(a.outShape)) : new Float32Array(size(a.outShape));
  scatterAdd(b.readSync(a.x.dataId) as Typed, b.readSync(a.segmentIds.dataId) as Int32Array, a.inner, a.numSegments, o);
  return b.makeTensorInfo(a.outShape, a.x.dtype, o);
};
