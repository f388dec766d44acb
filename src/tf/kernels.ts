// Kernels that make training work, and work at speed, on the wasm and cpu backends: registered over the
// stock ones, each falling back to the original outside the cases it handles. Why each exists is at the
// top of its file in kernels/ (all measured on this project's models).
import * as tf from '@tensorflow/tfjs';
import { segmentSumCpu, segmentSumWasm } from './kernels/segmentSum.ts';
import { makeWasmGather } from './kernels/gather.ts';
import { makeWasmMatMul } from './kernels/matMul.ts';
import { makeWasmSlice, makeWasmSplitV } from './kernels/slice.ts';
import { makeWasmTranspose } from './kernels/transpose.ts';
import { makeWasmIdentity } from './kernels/identityOp.ts';

const ours = new WeakSet<tf.KernelFunc>();

/**
 * Register the scatter-add UnsortedSegmentSum for `backend` ('wasm' or 'cpu'), replacing a slower one,
 * and on wasm the row-copy GatherV2, the transposing BatchMatMul, in-place Slice / SplitV, the loop
 * Transpose and the by-reference Identity. Call before the backend initializes. Idempotent.
 *
 * @example
 * registerFastKernels('wasm');
 * tf.grad((t) => tf.gather(t, [0, 0]).sum())(table); // now trains on wasm
 */
export function registerFastKernels(backend: 'wasm' | 'cpu'): void {
  replaceKernel('UnsortedSegmentSum', backend, () => (backend === 'wasm' ? segmentSumWasm : segmentSumCpu));
  if (backend === 'wasm') {
    replaceKernel('GatherV2', backend, (old) => (old ? makeWasmGather(old) : null));
    replaceKernel('BatchMatMul', backend, (old) => (old ? makeWasmMatMul(old) : null));
    replaceKernel('Slice', backend, (old) => (old ? makeWasmSlice(old) : null));
    replaceKernel('SplitV', backend, (old) => (old ? makeWasmSplitV(old) : null));
    replaceKernel('Transpose', backend, (old) => (old ? makeWasmTranspose(old) : null));
    replaceKernel('Identity', backend, (old) => (old ? makeWasmIdentity(old) : null));
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
