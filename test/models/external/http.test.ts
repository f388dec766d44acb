// `http` models against a model server the test starts on 127.0.0.1 (server.mjs, its own process): the
// built-in popularity reproduced over HTTP in batches, and every way a server can fail, each with its one-line
// message; connection errors and 5xx answers are retried, 4xx answers and timeouts are not.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunError } from '../../../src/errors.ts';
import { modelMsg } from '../../../src/models/messages.ts';
import { fitExternal } from '../../../src/models/external/externalModel.ts';
import type { HttpModelSpec } from '../../../src/scenario/types.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { runScenario } from '../../../src/run/run.ts';
import { silentReporter } from '../../../src/util/progress.ts';
import { smallScenarioYaml } from '../../helpers.ts';
import { clusterLog, D, fitContext, profilesAt } from '../fixtures.ts';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'recgap-http-'));
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) s.kill();
  rmSync(root, { recursive: true, force: true });
});

/** Start server.mjs in `mode`; resolves with its base URL once it listens. */
function startServer(mode: string): Promise<string> {
  const child = spawn(process.execPath, [SERVER, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(child);
  return new Promise((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(`http://127.0.0.1:${JSON.parse(String(d)).port}`)));
}

/** A port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const log = clusterLog();
const ctx = { ...fitContext(log, 14 * D), kMax: 10 };
const profiles = profilesAt(log, 15 * D).slice(0, 10);
const nItems = log.dict.item.length;
const fixed = Float32Array.from({ length: nItems }, (_, i) => (i * 7) % 11);

function spec(url: string, options: Partial<HttpModelSpec> = {}): HttpModelSpec {
  return { name: 'srv', type: 'http', url: `${url}/score`, timeoutMs: 5000, startTimeoutMs: 5000, concurrency: 2, retries: 2, batch: 4, ...options };
}

/** Score the test profiles; the error that stopped the model, or null. */
function scoreAll(s: HttpModelSpec): { error: Error | null; out: Float32Array } {
  const m = fitExternal(s, ctx);
  const out = new Float32Array(profiles.length * nItems);
  try {
    m.scoreBatch!(profiles, out);
    return { error: null, out };
  } catch (e) {
    return { error: e as Error, out };
  } finally {
    m.dispose!();
  }
}

const batchPosts = async (url: string) => ((await (await fetch(`${url}/stats`)).json()) as { batches: number }).batches;

describe('http models', () => {
  it('reproduce the built-in popularity metrics over HTTP, in batches of 32 with 3 POSTs in flight', async () => {
    const url = await startServer('pop');
    const models = `[ { name: pop, type: popularity }, { name: srv, type: http, url: "${url}/score", batch: 32, concurrency: 3 } ]`;
    writeFileSync(join(root, 's.yaml'), smallScenarioYaml({ persons: 600, models }));
    const { results } = await runScenario(loadScenario(join(root, 's.yaml')), { reporter: silentReporter() });
    const rows = (model: string) => results.results.filter((r) => r.model === model).map(({ model: _, ...rest }) => rest);
    expect(rows('pop')[0].metrics['ndcg@10'].frozen.mean).toBeGreaterThan(0);
    expect(rows('srv')).toEqual(rows('pop'));
    // 10 requests in batches of 4: three POSTs.
    const before = await batchPosts(url);
    const { error, out } = scoreAll(spec(url));
    expect(error).toBeNull();
    expect(await batchPosts(url)).toBe(before + 3);
    expect(out.length).toBe(profiles.length * nItems);
  });

  it('read each result into its profile row, in catalogue order', async () => {
    const { error, out } = scoreAll(spec(await startServer('fixed')));
    expect(error).toBeNull();
    for (let p = 0; p < profiles.length; p++) expect(out.subarray(p * nItems, (p + 1) * nItems)).toEqual(fixed);
  });

  it('retry a 5xx answer and a dropped connection, and then succeed', async () => {
    for (const mode of ['flaky', 'drop']) {
      const url = await startServer(mode);
      expect(scoreAll(spec(url)).error).toBeNull();
      // One failed attempt, then the three batches.
      expect(await batchPosts(url)).toBe(4);
    }
  });

  it('stop with one line when the server keeps failing, times out, or answers something else', async () => {
    const cases: Array<[string, Partial<HttpModelSpec>, (url: string) => string, number]> = [
      ['status500', {}, (u) => modelMsg.externalHttpStatus('srv', 'requests 1-4', `${u}/score`, 500, 3, 'model exploded'), 3],
      ['status400', {}, (u) => modelMsg.externalHttpStatus('srv', 'requests 1-4', `${u}/score`, 400, 1, 'bad request body'), 1],
      ['slow', { timeoutMs: 300 }, () => modelMsg.externalTimeout('srv', 'requests 1-4', '300ms', 'timeout'), 1],
      ['wrong-count', {}, () => modelMsg.externalWrongCount('srv', 'request 1', nItems - 1, nItems), 1],
      ['wrong-results', {}, () => modelMsg.externalWrongResults('srv', 'requests 1-4', 3, 4), 1],
      ['not-json', {}, () => modelMsg.externalMalformed('srv', 'requests 1-4', 'is not valid JSON', '<html>upstream error</html>'), 1],
      ['f32', {}, () => modelMsg.externalNotReady('srv', '{"ready":true,"scores":"f32"}'), 0],
    ];
    for (const [mode, options, message, posts] of cases) {
      const url = await startServer(mode);
      // One POST in flight, so the first batch's failure is the one reported.
      const { error } = scoreAll(spec(url, { concurrency: 1, ...options }));
      expect(error, mode).toBeInstanceOf(RunError);
      expect(error!.message).toBe(message(url));
      expect(await batchPosts(url), mode).toBe(posts);
    }
  });

  it('stop with one line when nothing listens, after the retries', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { error } = scoreAll(spec(url, { retries: 1 }));
    expect(error).toBeInstanceOf(RunError);
    expect(error!.message).toBe(modelMsg.externalUnreachable('srv', 'the handshake', `${url}/score`, 'ECONNREFUSED', 2));
  });
});
