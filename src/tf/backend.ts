// Chooses the TensorFlow.js backend once per process: tfjs-node when it is installed (native, multithreaded),
// else wasm (one thread under Node), else the pure-JS cpu backend; and makes each one usable for training.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerFastKernels } from './kernels.ts';
import { shortDetail } from './errors.ts';
import { tfMsg } from './messages.ts';
import { InputError, RunError } from '../errors.ts';
import { setRuntimeProbe, type TfRuntime } from './runtime.ts';

export const TF_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type TfBackendName = (typeof TF_BACKENDS)[number];
export const isTfBackend = (x: unknown): x is TfBackendName => TF_BACKENDS.includes(x as TfBackendName);

export { tfRuntime, type TfRuntime } from './runtime.ts';

export interface InitTfOptions {
  /** Use exactly this backend (error if unavailable); default: the fastest that loads. */
  backend?: TfBackendName;
}

// TensorFlow.js keeps one engine per process, so the chosen backend is process state whatever we do;
// caching the answer here only avoids re-running the probes.
let current: TfRuntime | null = null;

/**
 * Select and initialize the backend: tfjs-node if the optional package loads, else wasm, else cpu.
 * Idempotent: later calls return the active runtime, or switch when an explicit `backend` differs.
 * Also silences the cpu backend's banner, registers the scatter-add UnsortedSegmentSum kernel (the
 * gradient of tf.gather) for wasm and cpu, and removes the process-wide error listeners the wasm glue
 * installs (they turn every later uncaught error into a minified wall of text and exit code 7).
 *
 * @example
 * const { backend, threads } = await initTf(); // { backend: 'wasm', threads: 1 } on this machine
 */
export async function initTf(opts: InitTfOptions = {}): Promise<TfRuntime> {
  const want = opts.backend;
  if (want !== undefined && !isTfBackend(want)) throw new InputError(tfMsg.unknownBackend(String(want)));
  if (current && (want === undefined || want === current.backend) && tf.getBackend() === current.backend) return current;
  tf.env().set('PROD', true);
  const order: TfBackendName[] = want ? [want] : ['tensorflow', 'wasm', 'cpu'];
  let lastError = '';
  for (const name of order) {
    const detail = await trySelect(name);
    if (detail === null) {
      current = { backend: name, threads: threadsOf(name) };
      return current;
    }
    lastError = detail;
  }
  throw new RunError(tfMsg.backendUnavailable(order.join(' or '), lastError));
}

setRuntimeProbe(() => (current && tf.getBackend() === current.backend ? current : null));

/** Try one backend; null on success, else why it failed. */
async function trySelect(name: TfBackendName): Promise<string | null> {
  try {
    if (name === 'tensorflow') {
      // A variable specifier: the package is optional and absent from the type graph.
      const pkg = '@tensorflow/tfjs-node';
      await import(pkg);
      if (!tf.findBackend('tensorflow')) return 'tfjs-node loaded but registered no backend';
    }
    if (name === 'wasm') {
      registerFastKernels('wasm');
      if (!tf.findBackendFactory('wasm')) return 'the wasm backend is not registered';
      const before = glueListeners();
      // setBackend resolves to false (and stays on the old backend) when initialization fails.
      const ok = await tf.setBackend('wasm');
      removeNewListeners(before);
      if (!ok) return 'tf.setBackend("wasm") returned false';
    } else {
      if (name === 'cpu') registerFastKernels('cpu');
      if (!(await tf.setBackend(name))) return `tf.setBackend("${name}") returned false`;
    }
    await tf.ready();
    return tf.getBackend() === name ? null : `still on ${tf.getBackend()}`;
  } catch (e) {
    return shortDetail(e);
  }
}

function threadsOf(name: TfBackendName): number {
  if (name === 'wasm') return getThreadsCount();
  if (name === 'tensorflow') return os.availableParallelism();
  return 1;
}

type Listener = (...args: unknown[]) => void;
const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
// Typed loosely on purpose: Node's overloads do not accept a union of event names.
const proc = process as unknown as { listeners(e: string): Listener[]; removeListener(e: string, l: Listener): void };

function glueListeners(): Map<string, Listener[]> {
  return new Map(EVENTS.map((e) => [e, proc.listeners(e)]));
}

function removeNewListeners(before: Map<string, Listener[]>): void {
  for (const e of EVENTS) {
    const old = before.get(e)!;
    for (const l of proc.listeners(e)) if (!old.includes(l)) proc.removeListener(e, l);
  }
}
