// A `command` model: a process recgap starts (through watchdog.mjs, which ends it whenever recgap goes away)
// and talks to over its stdin and stdout, one JSON request a line, answers in order. A batch's requests are
// encoded and written a piece at a time and the answers are read as they come, so the model, the encoding and
// the checking of answers overlap.
// The model's stderr is passed through line by line, prefixed with its name, as it arrives.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StopSignal } from '../../errors.ts';
import type { Socket } from 'node:net';
import type { CommandModelSpec } from '../../scenario/types.ts';
import { modelMsg } from '../messages.ts';
import { ByteQueue } from './byteQueue.ts';
import { ModelFailure, type Failure, type RequestSpan } from './failure.ts';
import { checkF32Row, f32Header, fillFromJson, parseAnswer, readyFraming, type Framing } from './protocol.ts';
import type { Transport, TransportHooks } from './transport.ts';
import { linesOf, type RequestBatch } from './transport.ts';

const WATCHDOG = fileURLToPath(new URL('./watchdog.mjs', import.meta.url));
/** How long a model may take to exit after the end of its input before it is killed. */
const CLOSE_GRACE_MS = 2000;
/** How long to wait for the watchdog to report the model gone after a kill, before killing both directly. */
const KILL_WAIT_MS = 5000;

/** What the transport waits for: the answer to the handshake, or the answers of a batch. */
type Waiter =
  | { kind: 'ready'; resolve: (f: Framing) => void; reject: (e: ModelFailure) => void; timer: NodeJS.Timeout }
  | {
      kind: 'batch';
      firstId: number;
      n: number;
      got: number;
      /** Bytes of the current f32 answer once its header is read; -1 before. */
      frameBytes: number;
      rows: Float32Array;
      resolve: () => void;
      reject: (e: ModelFailure) => void;
      timer: NodeJS.Timeout;
    };

export class CommandTransport implements Transport {
  private child: ChildProcess | null = null;
  private readonly out = new ByteQueue();
  private framing: Framing = 'json';
  private waiter: Waiter | null = null;
  /** The model's end as the watchdog reported it, or its start failure. */
  private ended: { code: number | null; signal: string | null } | null = null;
  /** The signal (Ctrl-C's SIGINT, SIGTERM, SIGHUP) the watchdog received: recgap's process group was signalled. */
  private interrupted: StopSignal | null = null;
  private startError: { code: string } | null = null;
  private modelPid = 0;
  /** Resolves once the watchdog (and so the model) has exited and every pipe is closed. */
  private gone: Promise<void> = Promise.resolve();
  private isGone = false;
  private stderrTail = '';

  constructor(
    private readonly spec: CommandModelSpec,
    private readonly nItems: number,
    private readonly hooks: TransportHooks,
    /** The training file's folder: the watchdog removes it should recgap die without cleaning up. */
    private readonly trainDir: string,
  ) {}

  start(handshake: string): Promise<Framing> {
    const child = spawn(process.execPath, [WATCHDOG, JSON.stringify({ argv: this.spec.command, cwd: this.spec.cwd, cleanup: this.trainDir })], {
      cwd: this.spec.cwd,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.gone = new Promise((resolve) =>
      child.on('close', (code, signal) => {
        this.isGone = true;
        this.flushStderr();
        this.ended ??= { code, signal };
        resolve();
        this.onGone();
      }),
    );
    child.on('error', (e) => this.fail({ reason: 'bridge', span: this.span(), detail: `cannot run the watchdog: ${e.message}` }));
    // Writing to a model that died fails with EPIPE; its exit is what gets reported.
    child.stdin!.on('error', () => undefined);
    child.stdout!.on('data', (chunk: Buffer) => {
      this.out.push(chunk);
      this.pump();
    });
    child.stderr!.on('data', (chunk: Buffer) => this.passStderr(chunk));
    this.readLifeline(child.stdio[3] as Socket, child.pid ?? 0);
    return new Promise<Framing>((resolve, reject) => {
      const timer = setTimeout(() => this.fail({ reason: 'timeout', span: null, ms: this.spec.startTimeoutMs }), this.spec.startTimeoutMs);
      this.waiter = { kind: 'ready', resolve, reject, timer };
      child.stdin!.write(`${handshake}\n`);
    });
  }

  score(batch: RequestBatch, rows: Float32Array): Promise<void> {
    const { firstId, n } = batch;
    if (this.isGone || !this.child) return Promise.reject(new ModelFailure(this.endFailure([firstId, firstId + n - 1])));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.fail({ reason: 'timeout', span: this.span(), ms: this.spec.timeoutMs }), this.spec.timeoutMs);
      const w: Waiter = { kind: 'batch', firstId, n, got: 0, frameBytes: -1, rows, resolve, reject, timer };
      this.waiter = w;
      void this.feed(w, batch);
    });
  }

  /**
   * Write the batch's requests to the model as the caller encodes them, a piece at a time, reading answers in
   * between: the model starts on the first requests while the others are still being encoded.
   */
  private async feed(w: Waiter, batch: RequestBatch): Promise<void> {
    const stdin = this.child!.stdin!;
    for (let sent = 0; sent < batch.n && this.waiter === w; ) {
      const upTo = Math.min(batch.n, await batch.ready(sent + 1));
      // The caller's shared memory as it is: unchanged until every answer of the batch is in, and the model has
      // read every request by then.
      stdin.write(linesOf(batch, sent, upTo));
      sent = upTo;
    }
  }

  async close(): Promise<void> {
    if (!this.child || this.isGone) return;
    this.child.stdin!.end();
    const exited = await Promise.race([this.gone.then(() => true), delay(CLOSE_GRACE_MS).then(() => false)]);
    if (!exited) await this.kill();
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || this.isGone) return;
    const life = child.stdio[3] as Socket;
    if (!life.destroyed) life.write('kill\n');
    const done = await Promise.race([this.gone.then(() => true), delay(KILL_WAIT_MS).then(() => false)]);
    if (done) return;
    // The watchdog did not answer: kill the model's group and the watchdog directly.
    const pid = this.modelPid;
    try {
      if (pid > 0) process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    child.kill('SIGKILL');
    await Promise.race([this.gone, delay(KILL_WAIT_MS)]);
  }

  /** Reports of the watchdog on fd 3: the model's pid, a start failure, a signal it received, the model's exit. */
  private readLifeline(life: Socket, watchdogPid: number): void {
    const lines = new ByteQueue();
    life.on('error', () => undefined);
    life.on('data', (chunk: Buffer) => {
      lines.push(chunk);
      for (let line = lines.takeLine(); line !== null; line = lines.takeLine()) {
        const r = JSON.parse(line.toString('utf8')) as {
          pid?: number;
          error?: string;
          interrupted?: StopSignal;
          exit?: number | null;
          signal?: string | null;
        };
        if (r.interrupted !== undefined) this.interrupted ??= r.interrupted;
        else if (r.pid !== undefined) {
          this.modelPid = r.pid;
          this.hooks.pids(r.pid, watchdogPid);
        } else if (r.error !== undefined) this.startError = { code: r.error };
        else if (r.exit !== undefined) this.ended = { code: r.exit, signal: r.signal ?? null };
      }
    });
  }

  /** Check every complete answer waiting, in order, against what the waiter expects. */
  private pump(): void {
    try {
      for (;;) {
        const w = this.waiter;
        if (!w) return;
        if (w.kind === 'ready') {
          const line = this.out.takeLine();
          if (line === null) return;
          this.framing = readyFraming(line.toString('utf8'));
          this.settle(() => w.resolve(this.framing));
          continue;
        }
        const id = w.firstId + w.got;
        const span: RequestSpan = [id, id];
        const row = w.rows.subarray(w.got * this.nItems, (w.got + 1) * this.nItems);
        if (this.framing === 'json') {
          const line = this.out.takeLine();
          if (line === null) return;
          const text = line.toString('utf8');
          fillFromJson(parseAnswer(text, span), id, row, span, () => text);
        } else {
          if (w.frameBytes < 0) {
            const header = this.out.takeLine();
            if (header === null) return;
            w.frameBytes = f32Header(header.toString('utf8'), id, this.nItems, span);
          }
          if (!this.out.takeInto(new Uint8Array(row.buffer, row.byteOffset, w.frameBytes))) return;
          checkF32Row(row, span);
          w.frameBytes = -1;
        }
        w.got++;
        this.hooks.progress();
        w.timer.refresh();
        if (w.got === w.n) this.settle(() => w.resolve());
      }
    } catch (e) {
      if (e instanceof ModelFailure) this.fail(e.failure);
      else throw e;
    }
  }

  /** The model's process is gone: a pending wait ends with why. */
  private onGone(): void {
    if (this.waiter) this.fail(this.endFailure(this.span()));
  }

  private endFailure(span: RequestSpan): Failure {
    if (this.startError) return { reason: 'cannotStart', program: this.spec.command[0], code: this.startError.code };
    // The watchdog stays in recgap's process group: a signal it got (Ctrl-C) reached recgap too, which may not
    // have dispatched it yet (its main thread was blocked waiting for this answer), so the run ends by it.
    if (this.interrupted) return { reason: 'interrupted', span, signal: this.interrupted };
    return { reason: 'exited', span, code: this.ended?.code ?? null, signal: this.ended?.signal ?? null };
  }

  /** The request awaited now, for messages. */
  private span(): RequestSpan {
    const w = this.waiter;
    if (!w || w.kind === 'ready') return null;
    const id = w.firstId + w.got;
    return [id, id];
  }

  private fail(f: Failure): void {
    const w = this.waiter;
    if (!w) return;
    this.settle(() => w.reject(new ModelFailure(f)));
  }

  private settle(done: () => void): void {
    const w = this.waiter!;
    clearTimeout(w.timer);
    this.waiter = null;
    done();
  }

  /** The model's stderr, line by line with its name in front, straight to fd 2 (not through the caller's blocked thread). */
  private passStderr(chunk: Buffer): void {
    const text = this.stderrTail + chunk.toString('utf8');
    const cut = text.lastIndexOf('\n');
    this.stderrTail = text.slice(cut + 1);
    if (cut < 0) return;
    const lines = text.slice(0, cut).split('\n');
    writeSync(2, lines.map((l) => modelMsg.externalStderr(this.spec.name, l.replace(/\r$/, ''))).join('\n') + '\n');
  }

  private flushStderr(): void {
    if (this.stderrTail) writeSync(2, modelMsg.externalStderr(this.spec.name, this.stderrTail) + '\n');
    this.stderrTail = '';
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
