// Kernels that make training work, and work at speed, on the wasm and cpu backends. A scatter-add
// `UnsortedSegmentSum` (the gradient of tf.gather): wasm has none (training throws "Kernel
// 'UnsortedSegmentSum' not registered") and cpu's loops once per segment (O(segments x rows)), unusable
// for a 20k-row table. On wasm also a row-copy GatherV2 (its own walks every element through generic
// strides: 100 ms to gather 61k rows of 64), a BatchMatMul that transposes explicitly (see below), and
// Slice / SplitV that read the input in place: wasm's copy the whole input out of the heap on every call
// (62 ms to take 1,024 rows of a 10,240 x 192 tensor), which makes a GRU's per-step slices dominate. And
// a Transpose in typed-array loops: wasm's runs at ~14 ns a value (0.9 ms for 1,024 x 64), and every
// reduction over a leading axis and every gradient of a matMul goes through it.
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

/**
 * wasm's BatchMatMul uses XNNPACK only for an untransposed single matrix product; with transposeA or
 * transposeB (every matMul gradient) it falls back to a naive loop, measured 10-30x slower. Transpose
 * explicitly and take the fast path.
 */
function makeWasmMatMul(fallback: tf.KernelFunc): tf.KernelFunc {
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

/** Copy the box [begin, begin + size) of a row-major array of `shape` into out (row-major). */
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

const numeric = (x: tf.TensorInfo): boolean => x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool';

function makeWasmSlice(fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const x = (call.inputs as unknown as { x: tf.TensorInfo }).x;
    if (!numeric(x)) return fallback(call);
    const { begin, size: sz } = call.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, sz);
    return wasmSliceOf(call.backend as BackendWasm, x, b, s);
  };
}

function makeWasmSplitV(fallback: tf.KernelFunc): tf.KernelFunc {
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

/** out = x permuted by `perm` (out dimension d is x dimension perm[d]); row-major both. */
export function transposeInto(x: Typed, shape: readonly number[], perm: readonly number[], out: Typed): void {
  const rank = shape.length;
  if (rank === 2 && perm[0] === 1) return transpose2d(x, shape[0], shape[1], out, 0);
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

function makeWasmTranspose(fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const x = (call.inputs as unknown as { x: tf.TensorInfo }).x;
    const { perm } = call.attrs as unknown as { perm: number[] };
    if (!numeric(x) || x.shape.length < 2) return fallback(call);
    const b = call.backend as BackendWasm;
    const out = b.makeOutput(perm.map((p) => x.shape[p]), x.dtype);
    if (size(x.shape) > 0) transposeInto(b.typedArrayFromHeap(x) as Typed, x.shape, perm, b.typedArrayFromHeap(out) as Typed);
    return out;
  };
}

const ours = new WeakSet<tf.KernelFunc>();

/**
 * Register the scatter-add kernel for `backend` ('wasm' or 'cpu'), replacing a slower one, and on wasm
 * the row-copy gather and the transposing matMul (other cases fall through to the originals). Idempotent.
 *
 * @example
 * registerFastKernels('wasm');
 * tf.grad((t) => tf.gather(t, [0, 0]).sum())(table); // now trains on wasm
 */
export function registerFastKernels(backend: 'wasm' | 'cpu'): void {
  replaceKernel('UnsortedSegmentSum', backend, () => (backend === 'wasm' ? wasmKernel : cpuKernel));
  if (backend === 'wasm') {
    replaceKernel('GatherV2', backend, (old) => (old ? makeWasmGather(old) : null));
    replaceKernel('BatchMatMul', backend, (old) => (old ? makeWasmMatMul(old) : null));
    replaceKernel('Slice', backend, (old) => (old ? makeWasmSlice(old) : null));
    replaceKernel('SplitV', backend, (old) => (old ? makeWasmSplitV(old) : null));
    replaceKernel('Transpose', backend, (old) => (old ? makeWasmTranspose(old) : null));
  }
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
