// Identity by reference on wasm, as the cpu backend does it: the engine clones every tensor it saves for
// the backward pass, and wasm's Identity copies the data, the largest single cost of a GRU training step.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { numeric } from './shared.ts';

/** Identity by reference: tensors are immutable (a variable's assign rebinds its data, never writes). */
export function makeWasmIdentity(fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const x = (call.inputs as unknown as { x: tf.TensorInfo }).x;
    if (!numeric(x)) return fallback(call);
    (call.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
