// Which TensorFlow.js backend a run used, readable without loading TensorFlow.js: backend.ts registers
// its probe here when it loads, so a run that fitted no TensorFlow.js model never imports the library.
import type { TfBackendName } from './backend.ts';

/** Which backend runs TensorFlow.js math, and on how many threads (record it with every result). */
export interface TfRuntime {
  backend: TfBackendName;
  threads: number;
}

let probe: (() => TfRuntime | null) | null = null;

/** Called by backend.ts: how to read the active runtime. */
export function setRuntimeProbe(fn: () => TfRuntime | null): void {
  probe = fn;
}

/**
 * The runtime chosen by initTf, or null when TensorFlow.js was not used (or not loaded at all).
 *
 * @example
 * tfRuntime()?.backend; // 'wasm' after initTf() on this machine
 */
export function tfRuntime(): TfRuntime | null {
  return probe ? probe() : null;
}
