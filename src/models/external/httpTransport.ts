// An `http` model: a server recgap POSTs the protocol's JSON to. The handshake is POSTed as it is; requests go
// in batches, `{"requests": [...]}`, answered by `{"results": [{"id", "scores"}, ...]}` in request order. Up to
// `concurrency` POSTs are in flight; each has `timeout` to answer; a connection error or an HTTP 5xx answer is
// retried up to `retries` times with a growing pause, a 4xx answer or a timeout never (the request is wrong, or
// the server too slow: asking again would not change that and would multiply the wait).
import type { HttpModelSpec } from '../../scenario/types.ts';
import { ModelFailure, type RequestSpan } from './failure.ts';
import { fillFromJson, parseAnswer, readyFraming, type Framing } from './protocol.ts';
import type { Transport, TransportHooks } from './transport.ts';
import { linesOf, type RequestBatch } from './transport.ts';

/** Pause before retry a (1, 2, ...): 200 ms, 400 ms, 800 ms, ... */
const backoffMs = (attempt: number) => 100 * 2 ** attempt;
/** How much of an error answer's body a message quotes. */
const BODY_QUOTE = 200;

export class HttpTransport implements Transport {
  /** Aborts the POSTs still in flight when one of a batch fails, or on close. */
  private abort = new AbortController();

  constructor(
    private readonly spec: HttpModelSpec,
    private readonly nItems: number,
    private readonly hooks: TransportHooks,
  ) {}

  async start(handshake: string): Promise<Framing> {
    const text = await this.post(handshake, null, this.spec.startTimeoutMs);
    const framing = readyFraming(text);
    // Scores travel as JSON in HTTP bodies; an f32 answer is a command model's option only.
    if (framing !== 'json') throw new ModelFailure({ reason: 'notReady', text });
    return framing;
  }

  async score(requests: RequestBatch, rows: Float32Array): Promise<void> {
    const { batch, concurrency } = this.spec;
    const { firstId, n } = requests;
    const starts: number[] = [];
    for (let a = 0; a < n; a += batch) starts.push(a);
    let next = 0;
    this.abort = new AbortController();
    const worker = async () => {
      while (next < starts.length) {
        const a = starts[next++];
        const b = Math.min(n, a + batch);
        await requests.ready(b);
        await this.scoreSlice(firstId + a, this.body(requests, a, b), b - a, rows.subarray(a * this.nItems, b * this.nItems));
      }
    };
    const workers = Array.from({ length: Math.min(concurrency, starts.length) }, worker);
    try {
      await Promise.all(workers);
    } catch (e) {
      this.abort.abort();
      // The others end soon after the abort; wait for them so no POST outlives its batch.
      await Promise.allSettled(workers);
      throw e;
    }
  }

  close(): Promise<void> {
    this.abort.abort();
    return Promise.resolve();
  }

  kill(): Promise<void> {
    return this.close();
  }

  /** `{"requests":[...]}` of requests [a, b): their lines as they are (a newline is whitespace in JSON), commas between. */
  private body(requests: RequestBatch, a: number, b: number): Uint8Array<ArrayBuffer> {
    const parts: Buffer[] = [OPEN];
    for (let j = a; j < b; j++) {
      if (j > a) parts.push(COMMA);
      parts.push(linesOf(requests, j, j + 1));
    }
    parts.push(CLOSE);
    // Buffer.concat copies into a fresh (not shared) ArrayBuffer, which fetch takes as a body.
    return Buffer.concat(parts) as Uint8Array<ArrayBuffer>;
  }

  /** One POST of `n` consecutive requests, its answer checked and copied into their rows. */
  private async scoreSlice(firstId: number, body: Uint8Array<ArrayBuffer>, n: number, rows: Float32Array): Promise<void> {
    const span: RequestSpan = [firstId, firstId + n - 1];
    const text = await this.post(body, span, this.spec.timeoutMs);
    const answer = parseAnswer(text, span);
    const results = (answer as { results?: unknown } | null)?.results;
    if (!Array.isArray(results)) throw new ModelFailure({ reason: 'malformed', span, problem: 'has no "results" list', text });
    if (results.length !== n) throw new ModelFailure({ reason: 'wrongResults', span, got: results.length, expected: n });
    for (let y = 0; y < results.length; y++) {
      const id = firstId + y;
      fillFromJson(results[y], id, rows.subarray(y * this.nItems, (y + 1) * this.nItems), [id, id], () => JSON.stringify(results[y]) ?? '');
      this.hooks.progress();
    }
  }

  /** POST `body`; the answer's text once a 2xx arrives, retrying connection errors and 5xx answers. */
  private async post(body: string | Uint8Array<ArrayBuffer>, span: RequestSpan, timeoutMs: number): Promise<string> {
    const abort = this.abort.signal;
    for (let attempt = 1; ; attempt++) {
      const last = attempt > this.spec.retries;
      let res: Response;
      let text: string;
      try {
        const signal = AbortSignal.any([abort, AbortSignal.timeout(timeoutMs)]);
        res = await fetch(this.spec.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
        text = await res.text();
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string } };
        if (err.name === 'TimeoutError') throw new ModelFailure({ reason: 'timeout', span, ms: timeoutMs });
        if (abort.aborted) throw e;
        if (last) throw new ModelFailure({ reason: 'unreachable', span, detail: err.cause?.code ?? err.cause?.message ?? err.message, attempts: attempt });
        await delay(backoffMs(attempt));
        continue;
      }
      if (res.ok) return text;
      if (res.status >= 500 && !last) {
        await delay(backoffMs(attempt));
        continue;
      }
      throw new ModelFailure({ reason: 'httpStatus', span, status: res.status, attempts: attempt, body: text.slice(0, BODY_QUOTE) });
    }
  }
}

const OPEN = Buffer.from('{"requests":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
