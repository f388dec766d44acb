// Embedding-lookup kernels. A scatter-add `UnsortedSegmentSum` (the gradient of tf.gather): the wasm
// backend has none (training throws "Kernel 'UnsortedSegmentSum' not registered") and the cpu backend's
// loops once per segment (O(segments x rows)), unusable for a 20k-row table. And a row-copy GatherV2 for
// wasm: its own kernel walks every element through generic strides, about 25 ns a value (measured: 100 ms
// to gather 61k rows of 64), 10x slower than copying rows.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Typed = Float32Array | Int32Array;

/**
 * out[ids[r], c] += x[r, c] for every row r whose id is in [0, numSegments); other ids are dropped
 * (TensorFlow's semantics). `x` is rows x inner, `out` numSegments x inner and must start at zero.
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

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function args(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): SegmentArgs & { outShape: number[]; inner: number } {
  const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
  // segmentIds covers the leading dimensions of x; what is left is one row of `inner` values.
  const lead = segmentIds.shape.length;
  const outShape = [numSegments, ...x.shape.slice(lead)];
  return { x, segmentIds, numSegments, outShape, inner: size(x.shape.slice(lead)) };
}

const wasmKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
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

const cpuKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as CpuLike;
  const a = args(inputs, attrs);
  const o = a.x.dtype === 'int32' ? new Int32Array(size(a.outShape)) : new Float32Array(size(a.outShape));
  scatterAdd(b.readSync(a.x.dataId) as Typed, b.readSync(a.segmentIds.dataId) as Int32Array, a.inner, a.numSegments, o);
  return b.makeTensorInfo(a.outShape, a.x.dtype, o);
};

/** out[r, :] = x[ids[r], :]; throws a RangeError for an id outside [0, rows of x). */
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

function makeWasmGather(fallback: tf.KernelFunc): tf.KernelFunc {
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

const ours = new WeakSet<tf.KernelFunc>();

/**
 * Register the scatter-add kernel for `backend` ('wasm' or 'cpu'), replacing a slower one, and on
 * wasm the row-copy gather (other gathers, e.g. along axis 1, still use the original). Idempotent.
 *
 * @example
 * registerSegmentSum('wasm');
 * tf.grad((t) => tf.gather(t, [0, 0]).sum())(table); // now trains on wasm
 */
export function registerSegmentSum(backend: 'wasm' | 'cpu'): void {
  replaceKernel('UnsortedSegmentSum', backend, () => (backend === 'wasm' ? wasmKernel : cpuKernel));
  if (backend === 'wasm') replaceKernel('GatherV2', backend, (old) => (old ? makeWasmGather(old) : null));
}

function replaceKernel(name: string, backend: string, make: (old: tf.KernelFunc | null) => tf.KernelFunc | null): void {
  const current = tf.getKernel(name, backend);
  if (current && ours.has(current.kernelFunc)) return;
  const kernelFunc = make(current?.kernelFunc ?? null);
  if (!kernelFunc) return;
  ours.add(kernelFunc);
  // Keep the original's setup (wasm kernels bind their C functions there) for the fallback path.
  const setupFunc = current?.setupFunc;
  if (current) tf.unregisterKernel(name, backend);
  tf.registerKernel({ kernelName: name, backendName: backend, kernelFunc, setupFunc, disposeFunc: current?.disposeFunc });
}
