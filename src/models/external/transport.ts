// What the bridge thread needs from a way of reaching a model: a process over stdin/stdout
// (commandTransport.ts) or a server over HTTP (httpTransport.ts).
import type { Framing } from './protocol.ts';

/** Requests firstId .. firstId + n - 1, encoded by the caller while they are sent. */
export interface RequestBatch {
  firstId: number;
  n: number;
  /** Their lines (shared memory, unchanged until the batch's reply): request j's line ends at ends[j]. */
  bytes: Uint8Array;
  ends: Int32Array;
  /** Resolves once requests [0, k) are encoded, with how many are encoded by then (k or more). */
  ready(k: number): Promise<number>;
}

/**
 * The bytes of requests [a, b) of `batch` (a view, no copy).
 *
 * @example
 * stdin.write(linesOf(batch, 0, 8)); // the first eight request lines
 */
export function linesOf(batch: RequestBatch, a: number, b: number): Buffer {
  const from = a === 0 ? 0 : batch.ends[a - 1];
  return Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset + from, batch.ends[b - 1] - from);
}

export interface TransportHooks {
  /** One more answer arrived and passed its checks (the caller's watchdog of a stuck bridge counts these). */
  progress(): void;
  /** The process ids of a started model and of its watchdog. */
  pids(model: number, watchdog: number): void;
}

export interface Transport {
  /** Start the model and send the handshake; resolves with the answers' framing once the model is ready. */
  start(handshake: string): Promise<Framing>;
  /**
   * Send the batch's requests as they become ready and write each answer's scores into its row of `rows`
   * (row-major, requests x items). Rejects with a ModelFailure.
   */
  score(batch: RequestBatch, rows: Float32Array): Promise<void>;
  /** Let the model end (end of input), kill it after a grace period; resolves when it is gone. */
  close(): Promise<void>;
  /** Kill the model now; resolves when it is gone. Safe to call at any time, and twice. */
  kill(): Promise<void>;
}
