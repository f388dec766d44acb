// Benchmark: training and batched scoring of the learned models on the TensorFlow.js backend that loads
// (tfjs-node, else wasm, else cpu). Targets: mf trains on 1M training events in <= 60 s; scoring a request
// against a 10k-item catalogue averages < 1 ms with batching. Wall and CPU seconds are both printed: on a
// shared machine wall time includes waiting for the CPU, CPU time does not.
// Run: node --import tsx bench/models.ts [--backend wasm|cpu] [--persons 22000] [--skip-gru]
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { loadScenario } from '../src/scenario/load.ts';
import { generateWorld } from '../src/world/generate.ts';
import { Rng } from '../src/util/rng.ts';
import { groupEvents, lowerBoundTime } from '../src/log/groupIndex.ts';
import type { EventLog } from '../src/log/eventLog.ts';
import type { FitContext, Model, Profile } from '../src/models/model.ts';
import { initTf, isTfBackend } from '../src/tf/backend.ts';
import { readInto } from '../src/tf/readInto.ts';
import { fitMf, MF_DEFAULTS } from '../src/models/mf.ts';
import { fitEase, EASE_DEFAULTS } from '../src/models/ease.ts';
import { fitGru4Rec, GRU_DEFAULTS } from '../src/models/gru4rec.ts';
import { trainingAnchors } from '../src/models/anchors.ts';
import { profileReader } from '../src/models/profileItems.ts';
import { identityMap } from '../src/models/itemMap.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const wantBackend = arg('backend');
const persons = Number(arg('persons') ?? 22_000);
const skipGru = process.argv.includes('--skip-gru');
const BATCH = 256; // the replay's chunk size

const cpu = os.cpus();
const runtime = await initTf(isTfBackend(wantBackend) ? { backend: wantBackend } : {});
console.log(
  `machine: ${cpu[0]?.model ?? 'unknown'} x ${cpu.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`tensorflow.js: backend ${runtime.backend}, ${runtime.threads} thread(s)`);

/** Wall and CPU seconds of f. */
function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** The quickstart world at `persons` persons (and optionally another catalogue size), split at 75%. */
function world(p: number, items?: number): FitContext {
  const over = [`world.persons=${p}`, ...(items ? [`world.items=${items}`] : [])];
  const s = loadScenario(new URL('../scenarios/quickstart.yaml', import.meta.url).pathname, over);
  const { log } = generateWorld(s.world!, Rng.fromSeed(s.seed).fork('world'));
  const untilMs = log.tsMs[Math.floor(log.length * 0.75)];
  const isPositive = new Uint8Array(log.dict.type.length);
  isPositive[log.dict.type.indexOf('purchase')] = 1;
  return {
    log,
    untilMs,
    trainBound: lowerBoundTime(log.tsMs, untilMs),
    isPositive,
    trainByPerson: groupEvents(log.person, log.dict.person.length),
    rng: Rng.fromSeed(7),
  };
}

/** Every person's frozen view at the split (their whole training history): long, realistic profiles. */
function profiles(ctx: FitContext, count: number): Profile[] {
  const g = ctx.trainByPerson;
  const out: Profile[] = [];
  for (let p = 0; p < g.groups && out.length < count; p++) {
    let hi = g.offsets[p];
    while (hi < g.offsets[p + 1] && g.events[hi] < ctx.trainBound) hi++;
    out.push({ events: g.events.subarray(g.offsets[p], hi), nowMs: ctx.untilMs, requestId: p });
  }
  return out;
}

/** Mean ms per request scoring `ps` in chunks of BATCH through scoreBatch (or score when batch = 1). */
function scoringMs(model: Model, ps: Profile[], batch = BATCH): number {
  const out = new Float32Array(batch * model.nItems);
  const run = () => {
    for (let i = 0; i < ps.length; i += batch) {
      const chunk = ps.slice(i, i + batch);
      if (batch === 1) model.score(chunk[0], out);
      else model.scoreBatch!(chunk, out.subarray(0, chunk.length * model.nItems));
    }
  };
  run(); // warm-up (JIT, wasm heap growth)
  return (timed(run).wall * 1000) / ps.length;
}

const row = (label: string, t: { wall: number; cpu: number }, extra = '') =>
  console.log(`${label.padEnd(34)} wall ${t.wall.toFixed(1).padStart(6)} s   cpu ${t.cpu.toFixed(1).padStart(6)} s   ${extra}`);

// 1. Training on ~1M training events (the quickstart world at 22k persons).
const big = timed(() => world(persons));
const ctx = big.value;
const anchors = trainingAnchors(ctx).length;
console.log(
  `\nworld: ${ctx.log.length.toLocaleString('en-US')} events, ${ctx.trainBound.toLocaleString('en-US')} training events, ${anchors.toLocaleString('en-US')} training anchors, ${ctx.log.dict.item.length} items (generated in ${big.wall.toFixed(1)} s)`,
);
const lines: string[] = [];
const mf = timed(() => fitMf('mf', { ...ctx, onProgress: (l) => lines.push(l) }, MF_DEFAULTS));
row(`mf fit (defaults, ${MF_DEFAULTS.epochs} epochs)`, mf, lines.join('; '));
lines.length = 0;
const ease = timed(() => fitEase('ease', ctx, EASE_DEFAULTS));
row(`ease fit (${ctx.log.dict.item.length} items)`, ease);
let gruModel: Model | null = null;
if (!skipGru) {
  const gru = timed(() => fitGru4Rec('gru', { ...ctx, onProgress: (l) => lines.push(l) }, GRU_DEFAULTS));
  row(`gru4rec fit (defaults, ${GRU_DEFAULTS.epochs} epochs)`, gru, lines.join('; '));
  gruModel = gru.value;
}
console.log(`tensors alive after fitting: ${tf.memory().numTensors}`);

// 2. Scoring at this catalogue size.
const ps = profiles(ctx, 4096);
const meanLen = ps.reduce((s, p) => s + p.events.length, 0) / ps.length;
console.log(`\nscoring ${ps.length} frozen profiles (mean ${meanLen.toFixed(0)} events) against ${ctx.log.dict.item.length} items, ms per request:`);
console.log(`  mf       batched ${scoringMs(mf.value, ps).toFixed(3)}   one at a time ${scoringMs(mf.value, ps.slice(0, 512), 1).toFixed(3)}`);
console.log(
  `  ease     batched ${scoringMs(ease.value, ps).toFixed(3)} (sparse rows of B)   dense tfjs matMul ${easeDenseMs(ease.value, ctx.log, ps).toFixed(3)}`,
);
if (gruModel) console.log(`  gru4rec  batched ${scoringMs(gruModel, ps).toFixed(3)}   one at a time ${scoringMs(gruModel, ps.slice(0, 512), 1).toFixed(3)}`);

// 3. Scoring against a 10k-item catalogue (models trained briefly: scoring cost does not depend on it).
const wide = world(5000, 10_000);
const wps = profiles(wide, 4096);
const mf10k = fitMf('mf', wide, { ...MF_DEFAULTS, epochs: 1 });
console.log(`\n10k-item catalogue (${wide.log.length.toLocaleString('en-US')} events), ${wps.length} profiles, ms per request:`);
console.log(`  mf       batched ${scoringMs(mf10k, wps).toFixed(3)}   one at a time ${scoringMs(mf10k, wps.slice(0, 512), 1).toFixed(3)}`);
if (!skipGru) {
  const gru10k = fitGru4Rec('gru', wide, { ...GRU_DEFAULTS, epochs: 1, samplesPerEpoch: 20_000 });
  console.log(`  gru4rec  batched ${scoringMs(gru10k, wps).toFixed(3)}   one at a time ${scoringMs(gru10k, wps.slice(0, 512), 1).toFixed(3)}`);
}
console.log(`tensors alive at the end: ${tf.memory().numTensors}`);

/**
 * The alternative to ease's sparse scoring: the batch as a dense multi-hot matrix times B with tfjs
 * (B kept on the backend across batches: the best case for the dense path).
 */
function easeDenseMs(model: Model, log: EventLog, ps: Profile[]): number {
  const n = model.nItems;
  const saved = model.toSaved!();
  const b = tf.tensor2d(saved.weights[0].data as Float32Array, [n, n]);
  const prior = tf.tensor1d(saved.weights[1].data as Float32Array);
  const read = profileReader(log, identityMap(n), 0);
  const x = new Float32Array(BATCH * n);
  const out = new Float32Array(BATCH * n);
  const run = () => {
    for (let i = 0; i < ps.length; i += BATCH) {
      const chunk = ps.slice(i, i + BATCH);
      x.fill(0);
      chunk.forEach((p, r) => {
        const d = read.distinct(p.events);
        for (let j = 0; j < d.n; j++) x[r * n + d.items[j]] = d.weights[j];
      });
      tf.tidy(() => readInto(tf.matMul(tf.tensor2d(x.subarray(0, chunk.length * n), [chunk.length, n]), b).add(prior), out));
    }
  };
  run();
  const ms = (timed(run).wall * 1000) / ps.length;
  tf.dispose([b, prior]);
  return ms;
}
