// The bridge thread of an external model (bridge.ts): owns the model's process (commandTransport.ts) or its
// HTTP client (httpTransport.ts), serves the caller's requests one at a time (one model at a time: start,
// score, ..., close; then the next model), and signals each reply through the shared control array. Any
// failure kills the model before it is reported, so a caller that sees the failure never leaves a process behind.
import { workerData } from 'node:worker_threads';
import { CTRL, IDLE, type BridgeData, type BridgeReply, type BridgeRequest } from './bridge.ts';
import { ModelFailure, type Failure } from './failure.ts';
import { CommandTransport } from './commandTransport.ts';
import { HttpTransport } from './httpTransport.ts';
import type { Transport, TransportHooks } from './transport.ts';

const { port, ctrl } = workerData as BridgeData;

const hooks: TransportHooks = {
  progress: () => void Atomics.add(ctrl, CTRL.progress, 1),
  pids: (model, watchdog) => {
    Atomics.store(ctrl, CTRL.modelPid, model);
    Atomics.store(ctrl, CTRL.watchdogPid, watchdog);
  },
};
/** The model served now, with its transport and where its scores go. */
let model: { transport: Transport; nItems: number; scores: Float32Array } | null = null;

/** Atomics.waitAsync (Node 16+; TypeScript's lib for ES2023 does not declare it yet). */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/** Resolves once the caller has encoded requests [0, k) of the current batch, with how many it has encoded. */
async function ready(k: number): Promise<number> {
  for (;;) {
    const done = Atomics.load(ctrl, CTRL.encoded);
    if (done >= k) return done;
    const w = waitAsync(ctrl, CTRL.encoded, done);
    if (w.async) await w.value;
  }
}

/** The reply reaches the port before the caller wakes, so receiveMessageOnPort finds it. */
function reply(r: BridgeReply): void {
  port.postMessage(r);
  Atomics.store(ctrl, CTRL.state, IDLE);
  Atomics.notify(ctrl, CTRL.state);
}

async function serve(req: BridgeRequest): Promise<BridgeReply> {
  if (req.op === 'start') {
    hooks.pids(0, 0);
    const { spec, nItems, scores } = req;
    model = {
      transport: spec.type === 'command' ? new CommandTransport(spec, nItems, hooks, req.trainDir) : new HttpTransport(spec, nItems, hooks),
      nItems,
      scores,
    };
    return { ok: true, framing: await model.transport.start(req.handshake) };
  }
  if (!model) return { ok: true };
  if (req.op === 'score') {
    const { firstId, n, bytes, ends } = req;
    await model.transport.score({ firstId, n, bytes, ends, ready }, model.scores.subarray(0, n * model.nItems));
    return { ok: true };
  }
  await model.transport.close();
  model = null;
  return { ok: true };
}

async function failed(e: unknown, req: BridgeRequest | null): Promise<BridgeReply> {
  const span: [number, number] | null = req?.op === 'score' ? [req.firstId, req.firstId + req.n - 1] : null;
  const failure: Failure =
    e instanceof ModelFailure ? e.failure : { reason: 'bridge', span, detail: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  await model?.transport.kill().catch(() => undefined);
  return { ok: false, failure };
}

/** The request being served and whether it has its reply (a request gets exactly one). */
let current: { req: BridgeRequest; answered: boolean } | null = null;
const answer = (c: { answered: boolean }, r: BridgeReply) => {
  if (c.answered) return;
  c.answered = true;
  reply(r);
};

port.on('message', (req: BridgeRequest) => {
  const c = { req, answered: false };
  current = c;
  serve(req)
    .catch((e: unknown) => failed(e, req))
    .then((r) => answer(c, r));
});

// A bug in an event handler must still answer the blocked caller (and stop the model), never leave it waiting.
process.on('uncaughtException', (e) => {
  const c = current;
  void failed(e, c?.req ?? null).then((r) => {
    if (c) answer(c, r);
  });
});
