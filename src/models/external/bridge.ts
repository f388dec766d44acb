// A synchronous bridge to an external model. The replay and the Model interface are synchronous, and stay so
// (built-in models keep their speed and their results byte for byte); the model's process or server is
// asynchronous. So a worker thread (bridgeThread.ts) owns the process or the HTTP client, and the calling thread
// posts it a batch of requests and blocks on Atomics.wait until the thread has written every answer's scores
// into shared memory; the reply itself is read synchronously with receiveMessageOnPort.
//   caller: post {op, ...} -> encode the requests into shared memory, publishing each few (Atomics.notify)
//           -> Atomics.wait(state) -> receiveMessageOnPort -> copy scores
//   bridge thread: write each published piece to the model -> read and check answers as they come -> scores into
//           shared memory -> post reply -> notify
// So encoding (the caller), writing and checking (the bridge) and scoring (the model) overlap within a batch.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ExternalModelSpec } from '../../scenario/types.ts';
import type { Failure } from './failure.ts';
import type { Framing } from './protocol.ts';

/** Slots of the shared control array. */
export const CTRL = { state: 0, progress: 1, modelPid: 2, watchdogPid: 3, encoded: 4 } as const;
export const IDLE = 0;
export const BUSY = 1;

/** Caller -> bridge thread. */
export type BridgeRequest =
  /**
   * Start a model (a bridge thread serves one model at a time, and the next after close). `trainDir`: the
   * training file's folder, which the watchdog of a command model removes should recgap die.
   */
  | { op: 'start'; spec: ExternalModelSpec; nItems: number; scores: Float32Array; handshake: string; trainDir: string }
  /**
   * Requests firstId .. firstId + n - 1: their lines in `bytes` (shared memory), request j's ending at ends[j],
   * encoded while the bridge thread already writes them: requests [0, ctrl[encoded]) are ready.
   */
  | { op: 'score'; firstId: number; n: number; bytes: Uint8Array; ends: Int32Array }
  /** Stop the model (end of input, then a kill after a grace period) and answer when it is gone. */
  | { op: 'close' };

/** Bridge thread -> caller. */
export type BridgeReply = { ok: true; framing?: Framing } | { ok: false; failure: Failure };

/** What the bridge thread starts with (workerData). */
export interface BridgeData {
  port: MessagePort;
  ctrl: Int32Array;
}

/** How often a blocked caller wakes to check that the bridge thread still makes progress. */
const SLICE_MS = 1000;
/** Beyond the model's own timeouts: how long a bridge thread may show no progress before the caller gives up on it. */
const STUCK_MS = 30_000;

/**
 * A bridge thread and its channel. Starting one costs about a third of a second (it loads its TypeScript), so
 * a thread whose model closed cleanly waits, unreferenced, for the next model of this thread (a retrained model
 * on the next cut, the next test).
 */
class BridgeThread {
  readonly ctrl = new Int32Array(new SharedArrayBuffer(4 * 5));
  readonly port: MessagePort;
  private readonly worker: Worker;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: BridgeData = { port: port2, ctrl: this.ctrl };
    // Compiled (an installed package): the thread's own JavaScript; sources boot through tsx's loader.
    this.worker = import.meta.url.endsWith('.js')
      ? new Worker(new URL('./bridgeThread.js', import.meta.url), { workerData: data, transferList: [port2] })
      : new Worker(new URL('../../util/workerBoot.mjs', import.meta.url), {
          workerData: { entry: new URL('./bridgeThread.ts', import.meta.url).href, ...data },
          transferList: [port2],
        });
    // Never keep the process alive for a bridge: the watchdog ends a model whose recgap is gone.
    this.worker.unref();
  }

  end(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

const idle: BridgeThread[] = [];

export class SyncBridge {
  /** Scores of the last batch: rows x nItems, row-major. */
  readonly scores: Float32Array;
  private thread: BridgeThread | null;

  /**
   * A bridge for `spec` with room for `rows` answers per batch; start() starts the model.
   *
   * @example
   * const bridge = new SyncBridge(spec, 3000, 256);
   * bridge.start(handshake, trainDir);
   */
  constructor(
    private readonly spec: ExternalModelSpec,
    private readonly nItems: number,
    readonly rows: number,
  ) {
    this.scores = new Float32Array(new SharedArrayBuffer(4 * rows * nItems));
    this.thread = idle.pop() ?? new BridgeThread();
  }

  /**
   * Start the model and send it the handshake; blocks until it is ready or failed.
   *
   * @example
   * const reply = bridge.start(handshakeJson(fields), dirname(trainFile));
   */
  start(handshake: string, trainDir: string): BridgeReply {
    return this.call({ op: 'start', spec: this.spec, nItems: this.nItems, scores: this.scores, handshake, trainDir });
  }

  /** Process ids of the model and of its watchdog (0 before the model started, or for HTTP). */
  pids(): { model: number; watchdog: number } {
    const ctrl = this.thread?.ctrl;
    return ctrl ? { model: Atomics.load(ctrl, CTRL.modelPid), watchdog: Atomics.load(ctrl, CTRL.watchdogPid) } : { model: 0, watchdog: 0 };
  }

  /**
   * Post `req` to the bridge thread and block until it replies. A bridge thread that shows no progress for
   * longer than the model's own timeouts allow (it failed in a way it could not report) is given up on: the
   * model's processes are killed and the reply is a `bridge` failure.
   *
   * @example
   * const reply = bridge.call({ op: 'close' });
   */
  call(req: BridgeRequest): BridgeReply {
    this.begin(req);
    return this.finish(req);
  }

  /**
   * Post `req` without waiting: a `score` request's lines are encoded after this, each few published with
   * `encoded`, while the bridge thread writes them; then `finish` waits for the reply.
   *
   * @example
   * bridge.begin(req); for (...) { ...; bridge.encoded(j + 1); } const reply = bridge.finish(req);
   */
  begin(req: BridgeRequest): void {
    const thread = this.thread;
    if (!thread) return;
    Atomics.store(thread.ctrl, CTRL.encoded, 0);
    Atomics.store(thread.ctrl, CTRL.state, BUSY);
    thread.port.postMessage(req);
  }

  /** Requests [0, k) of the current batch are encoded. */
  encoded(k: number): void {
    const ctrl = this.thread?.ctrl;
    if (!ctrl) return;
    Atomics.store(ctrl, CTRL.encoded, k);
    Atomics.notify(ctrl, CTRL.encoded);
  }

  /** Block until the bridge thread replies to `req` (posted by begin). */
  finish(req: BridgeRequest): BridgeReply {
    const thread = this.thread;
    if (!thread) return { ok: false, failure: { reason: 'bridge', span: null, detail: 'the bridge is closed' } };
    const ctrl = thread.ctrl;
    const quietMs = this.quietLimitMs(req);
    let progress = Atomics.load(ctrl, CTRL.progress);
    let since = performance.now();
    while (Atomics.load(ctrl, CTRL.state) === BUSY) {
      Atomics.wait(ctrl, CTRL.state, BUSY, SLICE_MS);
      const p = Atomics.load(ctrl, CTRL.progress);
      const now = performance.now();
      if (p !== progress) {
        progress = p;
        since = now;
      } else if (Atomics.load(ctrl, CTRL.state) === BUSY && now - since > quietMs) {
        this.abandon();
        const span: [number, number] | null = req.op === 'score' ? [req.firstId, req.firstId + req.n - 1] : null;
        return { ok: false, failure: { reason: 'bridge', span, detail: `no progress for ${Math.round((now - since) / 1000)} s` } };
      }
    }
    const got = receiveMessageOnPort(thread.port);
    if (!got) {
      this.abandon();
      return { ok: false, failure: { reason: 'bridge', span: null, detail: 'the bridge thread ended without a reply' } };
    }
    return got.message as BridgeReply;
  }

  /**
   * Stop the model; blocks until its processes are gone. The thread then waits for the next model. Safe to call twice.
   *
   * @example
   * bridge.close();
   */
  close(): void {
    const thread = this.thread;
    if (!thread) return;
    const r = this.call({ op: 'close' });
    this.thread = null;
    if (r.ok) idle.push(thread);
    else thread.end();
  }

  /** The bridge thread is stuck: kill what it started and end it. */
  private abandon(): void {
    const { model, watchdog } = this.pids();
    for (const [pid, group] of [
      [model, true],
      [watchdog, false],
    ] as const) {
      if (pid <= 0) continue;
      try {
        process.kill(group && process.platform !== 'win32' ? -pid : pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.thread?.end();
    this.thread = null;
  }

  /** How long the bridge thread may show no progress on `req`: the longest the model itself may take, and then some. */
  private quietLimitMs(req: BridgeRequest): number {
    const s = this.spec;
    const attempts = s.type === 'http' ? s.retries + 1 : 1;
    const wait = req.op === 'start' ? s.startTimeoutMs : s.timeoutMs;
    return attempts * (wait + 10_000) + STUCK_MS;
  }
}
