// Benchmark against a peer: recgap's frozen (offline) item-kNN evaluation and a pandas + scipy.sparse
// implementation of the same protocol (bench/peer/knn_eval.py) on the same CSV log, with a check that both
// compute the same metrics. Issue #7: recgap should be at least 2x faster.
// Run: node --import tsx bench/peer.ts [csv] [--repeat n] [--python /usr/bin/python3] [--diff] [--set k=v ...]
//   csv       a log in the canonical columns; default: the quickstart world (1.2M events), written once to /tmp
//             (with a csv, --set changes only the evaluation and model settings)
//   --repeat  run each side n times and keep each side's fastest run (default 1)
//   --diff    compare per-request NDCG and list the requests where the two disagree
//   --set     override a quickstart setting, e.g. --set eval.excludeSeen=true (as `recgap run --set`)
// Settings (split, K, W, positives, item-kNN parameters) are the quickstart scenario's, passed to the peer.
import { defaultDataSpec } from '../src/scenario/defaults.ts';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { loadScenario } from '../src/scenario/load.ts';
import { generateWorld } from '../src/world/generate.ts';
import { writeLogCsv } from '../src/log/writeCsv.ts';
import { Rng } from '../src/util/rng.ts';
import { readLog } from '../src/ingest/readLog.ts';
import { fillUnknownPersons } from '../src/log/persons.ts';
import { groupEvents, lowerBoundTime } from '../src/log/groupIndex.ts';
import { fitModel } from '../src/models/fit.ts';
import { buildRequests } from '../src/eval/requests.ts';
import { frozenSource } from '../src/eval/viewSource.ts';
import { replay } from '../src/eval/replay.ts';
import { metricColumn, tableColumn, METRIC_COUNT } from '../src/eval/metrics.ts';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
};
const VALUED = ['--repeat', '--python', '--set'];
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && VALUED.includes(argv[i - 1])));
const overrides = argv.flatMap((a, i) => (i > 0 && argv[i - 1] === '--set' ? [a] : []));
const python = flag('python') ?? '/usr/bin/python3';
const repeat = Math.max(1, Number(flag('repeat') ?? 1));
const diff = argv.includes('--diff');
const peerScript = new URL('./peer/knn_eval.py', import.meta.url).pathname;
/** Metrics must agree to this (absolute); float32 vs float64 score sums may reorder near-ties. */
const TOLERANCE = 1e-4;

// The quickstart scenario's evaluation settings and its item-kNN model.
const scenario = loadScenario(new URL('../scenarios/quickstart.yaml', import.meta.url).pathname, overrides);
const knnSpec = scenario.models.find((m) => m.type === 'itemknn');
if (knnSpec?.type !== 'itemknn') throw new Error('scenarios/quickstart.yaml has no itemknn model');
if (scenario.train.until.kind !== 'quantile') throw new Error('bench/peer.ts expects a quantile split');
const K = scenario.eval.ks[0];
const settings = {
  k: K,
  windowMs: scenario.eval.windowMs,
  untilQ: scenario.train.until.q,
  positives: scenario.eval.positives,
  excludeSeen: scenario.eval.excludeSeen,
  neighbors: knnSpec.neighbors,
  shrink: knnSpec.shrink,
  halfLifeMs: knnSpec.halfLifeMs,
};

// 0. Is the peer's Python there?
const probe = spawnSync(python, ['-c', 'import pandas, scipy, numpy'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.log(`skipped: ${python} with pandas and scipy is not available (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()})`);
  process.exit(0);
}

// 1. The log.
// Named after the world's settings, so `--set world.persons=...` writes its own file.
const worldTag = createHash('sha1')
  .update(JSON.stringify([scenario.seed, scenario.world]))
  .digest('hex')
  .slice(0, 8);
const csv = positional[0] ?? `/tmp/recgap-peer-bench-quickstart-${worldTag}.csv`;
if (!positional[0] && !existsSync(csv)) {
  const world = generateWorld(scenario.world!, Rng.fromSeed(scenario.seed).fork('world'));
  writeLogCsv(world.log, csv);
  console.log(`wrote ${csv}`);
}
const load0 = os.loadavg();

interface Stages {
  load: number;
  fit: number;
  requests: number;
  scoreRankMetrics: number;
}

interface Side {
  counts: { candidates: number; censored: number; noLabels: number; requests: number; persons: number };
  ndcg: number;
  hr: number;
  /** Wall seconds by stage. */
  s: Stages;
  total: number;
  /** CPU seconds (all threads) by stage: steadier than wall time on a shared machine. */
  c: Stages;
  cpu: number;
  perRequest?: Float64Array;
  /** The peer's note on how many of the CSV's columns it reads. */
  columnsRead?: string;
}

/** recgap in this process: ingest, split, fit, requests, frozen replay, means. */
async function runRecgap(): Promise<Side> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let last = t0;
  let lastCpu = cpu0;
  const cpuLaps: number[] = [];
  const lap = () => {
    const now = performance.now();
    const nowCpu = process.cpuUsage();
    const s = (now - last) / 1000;
    cpuLaps.push((nowCpu.user - lastCpu.user + nowCpu.system - lastCpu.system) / 1e6);
    last = now;
    lastCpu = nowCpu;
    return s;
  };
  const spec = defaultDataSpec(csv, 'csv');
  const { log } = fillUnknownPersons((await readLog(spec)).log);
  const load = lap();

  const isPositive = new Uint8Array(Math.max(256, log.dict.type.length));
  for (const p of settings.positives) isPositive[log.dict.type.indexOf(p)] = 1;
  // The run's split (src/run/run.ts splitTime), inlined so this benchmark loads only the modules it measures.
  const untilMs = log.tsMs[Math.min(log.length - 1, Math.floor(settings.untilQ * log.length))];
  const trainBound = lowerBoundTime(log.tsMs, untilMs);
  const byPerson = groupEvents(log.person, log.dict.person.length);
  const model = await fitModel(knnSpec!, { log, trainBound, untilMs, isPositive, trainByPerson: byPerson, rng: Rng.fromSeed(scenario.seed).fork('models') });
  const fit = lap();

  const req = buildRequests(log, { untilMs, windowMs: settings.windowMs, isPositive, excludeSeen: settings.excludeSeen });
  const requests = lap();

  const ks = [K];
  // The frozen view holds all the person's positives before t, so 'view' excludes what 'person' does.
  const viewSeen = settings.excludeSeen === 'view' ? isPositive : undefined;
  const table = replay(log, req, frozenSource(log, byPerson), [model], { ks, viewSeen }).metrics[0];
  const ndcgCol = tableColumn(table, req.length, ks.length * METRIC_COUNT, metricColumn(ks, 'ndcg', K));
  const hrCol = tableColumn(table, req.length, ks.length * METRIC_COUNT, metricColumn(ks, 'hit', K));
  const ndcg = mean(ndcgCol);
  const hr = mean(hrCol);
  const scoreRankMetrics = lap();

  const c = process.cpuUsage(cpu0);
  const [cLoad, cFit, cRequests, cScore] = cpuLaps;
  return {
    counts: { ...req.counts },
    ndcg,
    hr,
    s: { load, fit, requests, scoreRankMetrics },
    total: (last - t0) / 1000,
    c: { load: cLoad, fit: cFit, requests: cRequests, scoreRankMetrics: cScore },
    cpu: (c.user + c.system) / 1e6,
    perRequest: ndcgCol,
  };
}

/** The pandas + scipy peer in a subprocess (its own clock, started after its imports, like ours). */
function runPeer(): Side {
  const dump = `/tmp/recgap-peer-${process.pid}.csv`;
  const args = [
    peerScript,
    csv,
    '--k',
    String(settings.k),
    '--window-ms',
    String(settings.windowMs),
    '--until-q',
    String(settings.untilQ),
    '--neighbors',
    String(settings.neighbors),
    '--shrink',
    String(settings.shrink),
    '--half-life-ms',
    String(settings.halfLifeMs),
    '--positives',
    settings.positives.join(','),
    ...(settings.excludeSeen !== 'none' ? ['--exclude-seen'] : []),
    ...(diff ? ['--dump', dump] : []),
  ];
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`peer failed (exit ${r.status}): ${r.stderr}`);
  const o = JSON.parse(r.stdout.trim().split('\n').pop()!);
  let perRequest: Float64Array | undefined;
  if (diff) {
    perRequest = Float64Array.from(readFileSync(dump, 'utf8').trim().split('\n').slice(1), (line) => Number(line.split(',')[1]));
    rmSync(dump, { force: true });
  }
  const sec = o.seconds;
  const cs = o.cpuSecondsByStage;
  return {
    counts: { candidates: o.candidates, censored: o.censored, noLabels: o.noLabels, requests: o.requests, persons: o.persons },
    ndcg: o[`ndcg@${K}`],
    hr: o[`hr@${K}`],
    s: { load: sec.load, fit: sec.fit, requests: sec.requests, scoreRankMetrics: sec['score+rank'] + sec.metrics },
    total: o.total,
    c: { load: cs.load, fit: cs.fit, requests: cs.requests, scoreRankMetrics: cs['score+rank'] + cs.metrics },
    cpu: o.cpuSeconds,
    perRequest,
    columnsRead: o.columnsRead,
  };
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return a.length ? s / a.length : NaN;
}

// 2. Both sides, alternating, keeping each side's fastest run.
let ours: Side | null = null;
let peer: Side | null = null;
for (let i = 0; i < repeat; i++) {
  const a = await runRecgap();
  if (!ours || a.total < ours.total) ours = a;
  const b = runPeer();
  if (!peer || b.total < peer.total) peer = b;
}
const load1 = os.loadavg();

// 3. Agreement.
const sameCounts = JSON.stringify(ours!.counts) === JSON.stringify(peer!.counts);
const dNdcg = Math.abs(ours!.ndcg - peer!.ndcg);
const dHr = Math.abs(ours!.hr - peer!.hr);
const agree = sameCounts && dNdcg <= TOLERANCE && dHr <= TOLERANCE;

// 4. Report.
const cpu = os.cpus();
const f = (x: number, d = 2) => x.toFixed(d);
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const evalPart = (s: Side) => s.s.requests + s.s.scoreRankMetrics;
console.log(
  `machine: ${cpu[0]?.model ?? 'unknown'} x ${cpu.length}, node ${process.version}; load average ${load0.map((l) => l.toFixed(1)).join(' ')} before, ${load1.map((l) => l.toFixed(1)).join(' ')} after; fastest of ${repeat} run(s) each`,
);
console.log(
  `log: ${csv}; ${n(ours!.counts.candidates)} session starts after the split, ${n(ours!.counts.censored)} censored, ${n(ours!.counts.noLabels)} without labels, ${n(ours!.counts.requests)} requests of ${n(ours!.counts.persons)} persons`,
);
console.log(
  `protocol: frozen view, item-kNN (neighbors ${settings.neighbors}, shrink ${settings.shrink}, half-life ${settings.halfLifeMs / 864e5} d), split at the ${settings.untilQ} quantile, W ${settings.windowMs / 864e5} d, labels ${settings.positives.join('+')}, excludeSeen ${settings.excludeSeen}, full catalogue, K ${K}`,
);
console.log('');
console.log(`| implementation | load s | fit s | requests s | score+rank+metrics s | end to end s | requests/s (score+rank+metrics) | ndcg@${K} | hr@${K} |`);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, s] of [
  ['recgap (TypeScript, in process)', ours!],
  ['pandas + scipy peer (bench/peer/knn_eval.py)', peer!],
] as const) {
  console.log(
    `| ${name} | ${f(s.s.load)} | ${f(s.s.fit)} | ${f(s.s.requests)} | ${f(s.s.scoreRankMetrics)} | ${f(s.total)} | ${n(s.counts.requests / s.s.scoreRankMetrics)} | ${s.ndcg.toFixed(6)} | ${s.hr.toFixed(6)} |`,
  );
}
console.log('');
console.log('| CPU seconds (all threads) | load | fit | requests | score+rank+metrics | end to end |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, s] of [
  ['recgap', ours!],
  ['pandas + scipy peer', peer!],
] as const) {
  console.log(`| ${name} | ${f(s.c.load)} | ${f(s.c.fit)} | ${f(s.c.requests)} | ${f(s.c.scoreRankMetrics)} | ${f(s.cpu)} |`);
}
console.log('');
console.log(`load: recgap's readLog reads every column of the CSV; the peer reads the ${peer!.columnsRead} columns the protocol needs.`);
console.log(
  `speed ratio (peer / recgap, wall): end to end ${f(peer!.total / ours!.total)}x; after load (fit + requests + score+rank+metrics) ${f((peer!.total - peer!.s.load) / (ours!.total - ours!.s.load))}x; ` +
    `requests + score+rank+metrics ${f(evalPart(peer!) / evalPart(ours!))}x; score+rank+metrics ${f(peer!.s.scoreRankMetrics / ours!.s.scoreRankMetrics)}x`,
);
console.log(
  `speed ratio (peer / recgap, CPU): end to end ${f(peer!.cpu / ours!.cpu)}x; after load ${f((peer!.cpu - peer!.c.load) / (ours!.cpu - ours!.c.load))}x; score+rank+metrics ${f(peer!.c.scoreRankMetrics / ours!.c.scoreRankMetrics)}x`,
);
console.log(
  `agreement: request counts ${sameCounts ? 'equal' : `DIFFER (recgap ${JSON.stringify(ours!.counts)}, peer ${JSON.stringify(peer!.counts)})`}; ` +
    `|d ndcg@${K}| ${dNdcg.toExponential(1)}, |d hr@${K}| ${dHr.toExponential(1)} (tolerance ${TOLERANCE}): ${agree ? 'agree' : 'DISAGREE'}`,
);
if (diff && ours!.perRequest && peer!.perRequest && ours!.perRequest.length === peer!.perRequest.length) {
  const a = ours!.perRequest;
  const b = peer!.perRequest;
  const differ: number[] = [];
  // recgap keeps per-request metrics as float32.
  for (let r = 0; r < a.length; r++) if (Math.abs(a[r] - b[r]) > 1e-6) differ.push(r);
  console.log(
    `per request: ${differ.length} of ${a.length} requests differ in ndcg@${K}${
      differ.length
        ? `: ${differ
            .slice(0, 20)
            .map((r) => `#${r} ${a[r].toFixed(4)} vs ${b[r].toFixed(4)}`)
            .join(', ')}`
        : ''
    }`,
  );
}
if (!agree) process.exitCode = 1;
