// Turns TensorFlow.js and wasm-glue failures into one-line errors. The wasm glue aborts with a
// RuntimeError or rethrows through a multi-kilobyte minified line; users should see what failed instead.
import { RunError } from '../errors.ts';
import { tfMsg } from './messages.ts';

/** A failure inside TensorFlow.js (exit code 1, one line), with the original error as `cause`. */
export class TfError extends RunError {}

const MAX_DETAIL = 200;

/**
 * First line of an error message, capped: minified glue stacks can be one enormous line.
 *
 * @example
 * shortDetail(new RangeError('bad\nstack')); // 'RangeError: bad'
 */
export function shortDetail(e: unknown): string {
  const text = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? 'unknown error';
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 3)}...` : line;
}

/**
 * Run `fn` and rethrow anything it throws as a TfError naming `what` and the backend. Errors that are
 * already ours (RunError, InputError) pass through unchanged.
 *
 * @example
 * const model = tfGuard('training mf', 'wasm', () => trainMf(...));
 */
export function tfGuard<T>(what: string, backend: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw wrap(e, what, backend);
  }
}

/**
 * The async form of tfGuard.
 *
 * @example
 * const net = await tfGuardAsync('loading m/model.json', 'wasm', () => tf.loadLayersModel(handler));
 */
export async function tfGuardAsync<T>(what: string, backend: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw wrap(e, what, backend);
  }
}

function wrap(e: unknown, what: string, backend: string): Error {
  if (e instanceof RunError || (e instanceof Error && e.name === 'InputError')) return e;
  return new TfError(tfMsg.failed(what, backend, shortDetail(e)), { cause: e });
}
