// What the bridge thread needs from a way of reaching a model: a process over stdin/stdout
// (commandTransport.ts) or a server over HTTP (httpTransport.ts).
import type { Framing } from './protocol.ts';

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
   * Send requests firstId, firstId + 1, ... (one JSON object each) and write each answer's scores into its row
   * of `rows` (row-major, lines.length x items). Rejects with a ModelFailure.
   */
  score(firstId: number, lines: readonly string[], rows: Float32Array): Promise<void>;
  /** Let the model end (end of input), kill it after a grace period; resolves when it is gone. */
  close(): Promise<void>;
  /** Kill the model now; resolves when it is gone. Safe to call at any time, and twice. */
  kill(): Promise<void>;
}
