// Benchmark of the "bootstrap and decomposition" stage (assemble) at the 1M-request workload of
// bench/scale.ts replay 120000: synthetic per-request tables shaped like that run's (1,003,961 requests over
// 120,000 persons with skewed request counts, 8 views x 2 models x 8 metric columns, the quickstart's 3
// pipelines with their Shapley subsets, lags with the real shares of 0 and empty views), 1,000 replicates.
//   new:  assemble() with 1 and 2 threads (with 2, the relevance-loss fits run on a worker thread beside the
//         series and the kernel); the series registered, built (series of bitwise-equal tables are built
//         once) and the distinct columns the kernel summed; a breakdown (per-series reduction, kernel,
//         relevance-loss fits, each alone in this thread)
//   old:  the per-series scalar loop over a dense weight matrix (what ClusterBootstrap did before the batch
//         kernel) on a sample of series, checked bit for bit against the batch, extrapolated to every call
// Run: node --import tsx bench/bootstrap.ts [requests] [persons] [old-sample]   (default 1003961 120000 6)
import os from 'node:os';
import { ClusterBootstrap, type ReplicateSums } from '../src/stats/bootstrap.ts';
import { IntervalBatch } from '../src/stats/intervalBatch.ts';
import { poissonWeight } from '../src/stats/poisson.ts';
import { quantize } from '../src/stats/replicateBatch.ts';
import { assemble, type PipelinePlan } from '../src/run/assemble.ts';
import { fitRelevanceLosses } from '../src/eval/ageCurve.ts';
import { pipelineLag } from '../src/eval/lag.ts';
import { METRIC_COUNT } from '../src/eval/metrics.ts';
import type { SourceResult } from '../src/eval/replay.ts';
import { Rng } from '../src/util/rng.ts';

const R = Number(process.argv[2] ?? 1_003_961);
const P = Number(process.argv[3] ?? 120_000);
const OLD_SAMPLE = Number(process.argv[4] ?? 6);
const B = 1000;
const SEED = 0x5eed;
const ks = [10, 20];
const cols = ks.length * METRIC_COUNT;
const D = 86_400_000;

function cpuSeconds(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1e6;
}
function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  return { value, wall: (performance.now() - t0) / 1000, cpu: cpuSeconds(process.cpuUsage(c0)) };
}
const s2 = (x: number) => x.toFixed(2);

console.log(
  `machine: ${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);

// Requests: person weights log-normal (sigma 1.2), so most persons have a few requests and some many;
// requests in time order, i.e. persons interleaved.
const rng = Rng.fromSeed(16);
const weight = Float64Array.from({ length: P }, () => Math.exp(1.2 * rng.normal()));
const cdf = new Float64Array(P);
weight.reduce((acc, w, i) => (cdf[i] = acc + w), 0);
const total = cdf[P - 1];
const person = new Int32Array(R);
for (let r = 0; r < R; r++) {
  const u = rng.float() * total;
  let lo = 0;
  let hi = P - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  person[r] = lo;
}

// Sources: 0 frozen, 1-3 weekly (served, staleness fixed, identity fixed), 4-6 daily, 7 streaming (= frozen).
// Model 0 (popularity) scores the same in every view; model 1 (kNN) differs by view.
const frozenAge = Float64Array.from({ length: R }, () => (rng.float() < 0.01 ? NaN : rng.exponential(1 / D)));
const lagShares = [
  { zero: 0, empty: 0 },
  { zero: 0.21, empty: 0.26 },
  { zero: 0.3, empty: 0.2 },
  { zero: 0.4, empty: 0.1 },
  { zero: 0.62, empty: 0.13 },
  { zero: 0.7, empty: 0.08 },
  { zero: 0.8, empty: 0.05 },
  { zero: 1, empty: 0 },
];
const table = () => new Float32Array(R * cols);
const popTable = table();
const knnFrozen = table();
for (let r = 0; r < R; r++) {
  for (let c = 0; c < cols; c++) {
    popTable[r * cols + c] = rng.float() < 0.7 ? 0 : rng.float();
    knnFrozen[r * cols + c] = rng.float() < 0.5 ? 0 : rng.float();
  }
}
const sources: SourceResult[] = lagShares.map(({ zero, empty }, s) => {
  const ageMs = Float64Array.from(frozenAge, (a) => {
    const u = rng.float();
    return a !== a ? a : u < zero ? a : u < zero + empty ? NaN : a + rng.exponential(1 / (3 * D));
  });
  let knn = knnFrozen;
  if (s > 0 && s < 7) {
    knn = table();
    for (let i = 0; i < knn.length; i++) knn[i] = rng.float() < 0.15 ? 0 : knnFrozen[i];
  }
  return { metrics: [popTable, knn], ageMs, viewSize: new Int32Array(R), unknownKey: new Uint8Array(R) };
});
const plans: PipelinePlan[] = [
  { name: 'weekly-batch', factors: ['staleness', 'identity'], source: 1, subsetSources: [1, 2, 3, 0] },
  { name: 'daily-stitched', factors: ['staleness', 'identity'], source: 4, subsetSources: [4, 5, 6, 0] },
  { name: 'streaming-oracle', factors: [], source: 7, subsetSources: [0] },
];
const models = [{ name: 'pop' }, { name: 'knn' }];
const input = (threads: number) => ({
  models,
  ks,
  ageEdgesMs: [3_600_000, 6 * 3_600_000, D, 2 * D, 4 * D, 7 * D, 14 * D],
  nRequests: R,
  sources,
  pipelines: plans,
  bootstrap: new ClusterBootstrap(person, { seed: SEED, replicates: B, threads }),
});
const C = input(1).bootstrap.nClusters;
console.log(
  `workload: ${R.toLocaleString('en-US')} requests, ${C.toLocaleString('en-US')} persons with requests, 8 views x 2 models x ${cols} columns, ${B} replicates`,
);

// Count what assemble registers: IntervalBatch.run sees every series.
const run = IntervalBatch.prototype.run;
let counted = { series: 0, reduced: 0, columns: 0 };
IntervalBatch.prototype.run = function (this: IntervalBatch) {
  counted = this.counts();
  run.call(this);
};

const results: string[] = [];
for (const threads of [1, 2]) {
  const t = timed(() => assemble(input(threads)));
  results.push(JSON.stringify({ ...t.value, lag: [...t.value.lag] }));
  console.log(
    `new: assemble, ${threads} thread${threads > 1 ? 's' : ''}: ${s2(t.wall)} s wall, ${s2(t.cpu)} s CPU (${counted.series} series, ${counted.reduced} of them built and reduced, ${counted.columns} distinct columns summed)`,
  );
}
console.log(`     results identical for 1 and 2 threads: ${results[0] === results[1]}`);

// Breakdown: reducing the series, the kernel on that many columns, the fits.
{
  const boot = new ClusterBootstrap(person, { seed: SEED, replicates: B, threads: 1 });
  const values = new Float64Array(R);
  const reduce = timed(() => {
    const batch = boot.newBatch();
    for (let k = 0; k < counted.reduced; k++) {
      for (let r = 0; r < R; r++) values[r] = popTable[r * cols + (k % cols)] - k;
      batch.add(values);
    }
    return batch;
  });
  console.log(`     breakdown: ${counted.reduced} series reduced to per-person sums (incl. building them): ${s2(reduce.wall)} s wall, ${s2(reduce.cpu)} s CPU`);
  for (const threads of [1, 2]) {
    const b = new ClusterBootstrap(person, { seed: SEED, replicates: B, threads });
    const batch = b.newBatch();
    for (let k = 0; k < counted.columns - 1; k++) {
      for (let r = 0; r < R; r++) values[r] = popTable[r * cols + (k % cols)] - k;
      batch.add(values);
    }
    const k = timed(() => batch.run());
    console.log(`     kernel, ${batch.columns()} columns, ${threads} thread${threads > 1 ? 's' : ''}: ${s2(k.wall)} s wall, ${s2(k.cpu)} s CPU`);
  }
  const fits = timed(() =>
    plans.map((p) => {
      const lag = pipelineLag(sources[0].ageMs, sources[p.source].ageMs);
      const gaps = models.map((_, m) => {
        const g = new Float64Array(R);
        for (let r = 0; r < R; r++) g[r] = sources[0].metrics[m][r * cols] - sources[p.source].metrics[m][r * cols];
        return g;
      });
      return fitRelevanceLosses(lag, gaps);
    }),
  );
  console.log(`     relevance-loss fits (3 pipelines x 2 models): ${s2(fits.wall)} s wall, ${s2(fits.cpu)} s CPU`);
}

// Old path: dense C x B weight matrix, then per series the scalar cluster-major loop.
if (OLD_SAMPLE > 0) {
  const boot = new ClusterBootstrap(person, { seed: SEED, replicates: B });
  const ids: number[] = [];
  const dense = new Int32Array(R);
  const index = new Map<number, number>();
  for (let r = 0; r < R; r++) {
    let c = index.get(person[r]);
    if (c === undefined) {
      c = ids.length;
      index.set(person[r], c);
      ids.push(person[r]);
    }
    dense[r] = c;
  }
  const weights = timed(() => {
    const w = new Uint8Array(ids.length * B);
    for (let c = 0; c < ids.length; c++) for (let b = 0; b < B; b++) w[c * B + b] = poissonWeight(SEED, ids[c], b);
    return w;
  });
  console.log(`old: dense weight matrix (${ids.length.toLocaleString('en-US')} x ${B} hashes): ${s2(weights.wall)} s wall, ${s2(weights.cpu)} s CPU`);
  const w = weights.value;
  const oldSums = (values: Float64Array): ReplicateSums => {
    const S = new Float64Array(ids.length);
    const N = new Float64Array(ids.length);
    let sum = 0;
    let n = 0;
    for (let r = 0; r < R; r++) {
      const v = values[r];
      if (v !== v) continue;
      const q = quantize(v);
      S[dense[r]] += q;
      N[dense[r]] += 1;
      sum += q;
      n++;
    }
    const sumWS = new Float64Array(B);
    const sumWN = new Float64Array(B);
    for (let c = 0; c < ids.length; c++) {
      if (N[c] === 0) continue;
      const row = c * B;
      for (let b = 0; b < B; b++) {
        sumWS[b] += w[row + b] * S[c];
        sumWN[b] += w[row + b] * N[c];
      }
    }
    return { seed: SEED, sumWS, sumWN, sum, n };
  };
  const sample = Array.from({ length: OLD_SAMPLE }, (_, k) => Float64Array.from({ length: R }, (_, r) => sources[k % 8].metrics[1][r * cols + (k % cols)]));
  const old = timed(() => sample.map(oldSums));
  const batch = boot.batch(sample);
  const same = old.value.every(
    (o, k) =>
      o.sum === batch[k].sum &&
      o.n === batch[k].n &&
      o.sumWS.every((x, b) => Object.is(x, batch[k].sumWS[b])) &&
      o.sumWN.every((x, b) => Object.is(x, batch[k].sumWN[b])),
  );
  const perCpu = old.cpu / OLD_SAMPLE;
  console.log(
    `old: per-series loop, ${OLD_SAMPLE} series: ${s2(old.wall)} s wall, ${s2(old.cpu)} s CPU (${s2(perCpu)} s CPU per series; x ${counted.series} series ~ ${(perCpu * counted.series).toFixed(0)} s CPU plus the weight matrix; the old assemble also resampled p-value and ranking series twice)`,
  );
  console.log(`     batch sums identical to the old loop, bit for bit: ${same}`);
}
