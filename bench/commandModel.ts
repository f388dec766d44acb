// Benchmark: what scoring through the external-model protocol costs per profile, at the quickstart's 3,000
// items. The same requests are replayed through the frozen view (every request scored: no two share a view)
// with the built-in popularity model and with external models that return a fixed vector: the shipped
// examples/models/popularity.py (Python, parses every request) and bench/models/fixed.mjs (Node, reads only
// the id), each with JSON and f32 answers, and an HTTP server returning the same vector. The difference to
// the built-in model is the protocol's cost: encoding requests, the pipe or HTTP, the model's own loop,
// checking and copying answers. Start-up (thread, process, handshake with the model's fit) is timed apart.
// On a shared machine each replay runs `repeat` times and the fastest counts (wall time includes waiting for a CPU).
// Run: node --import tsx bench/commandModel.ts [persons] [repeat]
import os from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load.ts';
import { prepareRun } from '../src/run/prepare.ts';
import { silentReporter } from '../src/util/progress.ts';
import { replay, type SourceResult } from '../src/eval/replay.ts';
import { replayServed } from '../src/eval/replayServed.ts';
import { frozenSource, viewIndexesOf } from '../src/eval/viewSource.ts';
import { disposeModels, type Model, type Profile } from '../src/models/model.ts';
import type { ExternalModel } from '../src/models/external/externalModel.ts';
import { existsSync, readFileSync } from 'node:fs';

const persons = Number(process.argv[2] ?? 20_000);
const repeat = Number(process.argv[3] ?? 3);
/** USER_HZ of /proc/<pid>/stat times: 100 on Linux. */
const CLOCK_TICKS = 100;
const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const POPULARITY = path('../examples/models/popularity.py');
const FIXED = path('./models/fixed.mjs');

// The HTTP model server runs in its own process (the replay's thread blocks while it waits for answers).
const server = spawn(process.execPath, [path('./models/fixedServer.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
const port: number = await new Promise((resolve) => server.stdout.once('data', (d: Buffer) => resolve(JSON.parse(String(d)).port)));

const python = spawnSync('python3', ['--version']).status === 0;
const models = [
  '{ name: builtin, type: popularity }',
  ...(python
    ? [`{ name: py-json, type: command, command: [python3, ${POPULARITY}] }`, `{ name: py-f32, type: command, command: [python3, ${POPULARITY}, --f32] }`]
    : []),
  `{ name: node-json, type: command, command: [${process.execPath}, ${FIXED}] }`,
  `{ name: node-f32, type: command, command: [${process.execPath}, ${FIXED}, --f32] }`,
  `{ name: http-json, type: http, url: "http://127.0.0.1:${port}/score", batch: 64, concurrency: 4 }`,
];
const labels: Record<string, string> = {
  builtin: 'built-in popularity',
  'py-json': 'command popularity.py, JSON',
  'py-f32': 'command popularity.py, f32',
  'node-json': 'command fixed.mjs, JSON',
  'node-f32': 'command fixed.mjs, f32',
  'http-json': 'http fixed, batch 64 x 4',
};
const scenario = loadScenario(path('../scenarios/quickstart.yaml'), [`world.persons=${persons}`, `models=[ ${models.join(', ')} ]`]);
const prep = await prepareRun(scenario, {}, silentReporter());
const { log, requests } = prep;
const ks = scenario.eval.ks;
const cpu = os.cpus();
console.log(
  `machine: ${cpu[0]?.model ?? 'unknown'} x ${cpu.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, python ${pythonVersion()}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  `workload: quickstart world at ${persons.toLocaleString('en-US')} persons: ${log.length.toLocaleString('en-US')} events (${prep.fit.trainBound.toLocaleString('en-US')} in training), ${log.dict.item.length.toLocaleString('en-US')} items, ${requests.length.toLocaleString('en-US')} requests, K = ${ks.join(', ')}`,
);
console.log(
  `frozen view: every request scored (${requests.length.toLocaleString('en-US')} profiles, mean view ${meanView()} events); requests in batches of 256; fastest of ${repeat} replays`,
);
if (!python) console.log('python3 is not on PATH: the popularity.py rows are skipped');
console.log('');
console.log('wall: elapsed time; cpu: recgap (all its threads) plus the model process (command models), per profile');
console.log('model                          start s  replay s  wall us/profile  protocol us/profile  cpu us/profile  metrics = built-in');

const byName = new Map(prep.models.map((m) => [m.name, m]));
const builtin = byName.get('builtin')!;
const baseline = timeFrozen(builtin);
row('builtin', 0, baseline, null, null);
for (const m of prep.models.slice(1)) {
  const start = timeStart(m);
  const r = timeFrozen(m);
  // popularity.py scores what the built-in model scores; the fixed vector differs, so only its counts match.
  const same = m.name.startsWith('py-') ? (equalTables(r.result, baseline.result) ? 'yes' : 'NO') : '-';
  row(m.name, start, r, (r.seconds - baseline.seconds) / requests.length, same);
}

// Served views shared by several requests are scored once: what that saves on the weekly key-level pipeline.
const weekly = prep.configs[prep.plans[0].source - 1];
const indexOf = viewIndexesOf(log, prep.byPerson);
const counted = countingModel(byName.get(python ? 'py-f32' : 'node-f32')!);
const t0 = performance.now();
replayServed(log, requests, weekly, [counted.model], indexOf(weekly), { ks });
const servedS = (performance.now() - t0) / 1000;
console.log('');
console.log(
  `served view of ${scenario.pipelines[0].name} (every 7d, key, averaged over ${scenario.eval.phases} phases) with ${counted.model.name}: ${requests.length.toLocaleString('en-US')} requests, ${counted.scored().toLocaleString('en-US')} views scored (${((100 * counted.scored()) / requests.length).toFixed(1)}%), ${servedS.toFixed(2)} s`,
);

disposeModels(prep.models);
server.kill();

function row(name: string, startS: number, r: Timed, protocolS: number | null, same: string | null): void {
  const us = (s: number) => (s * 1e6).toFixed(1);
  console.log(
    `${labels[name].padEnd(30)} ${(startS ? startS.toFixed(2) : '-').padStart(7)}  ${r.seconds.toFixed(2).padStart(8)}  ${us(r.seconds / requests.length).padStart(15)}  ${(protocolS === null ? '-' : us(protocolS)).padStart(19)}  ${us(r.cpuSeconds / requests.length).padStart(14)}  ${same ?? '-'}`,
  );
}

/** Thread, process and handshake (the model reads the training file): the first profile's wall time. */
function timeStart(m: Model): number {
  const t0 = performance.now();
  m.score({ events: new Int32Array(0), nowMs: 0, requestId: 0 }, new Float32Array(m.nItems));
  return (performance.now() - t0) / 1000;
}

interface Timed {
  seconds: number;
  cpuSeconds: number;
  result: SourceResult;
}

/** The frozen replay with `m` alone, `repeat` times: the fastest. */
function timeFrozen(m: Model): Timed {
  let best: Timed | null = null;
  for (let k = 0; k < repeat; k++) {
    const pid = (m as Partial<ExternalModel>).processIds?.().model ?? 0;
    const c0 = process.cpuUsage();
    const p0 = processCpuSeconds(pid);
    const t0 = performance.now();
    const result = replay(log, requests, frozenSource(log, prep.byPerson), [m], { ks });
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const t = { seconds, cpuSeconds: (c.user + c.system) / 1e6 + processCpuSeconds(pid) - p0, result };
    if (!best || t.seconds < best.seconds) best = t;
  }
  return best!;
}

/** CPU seconds a process has used so far (Linux /proc; 0 elsewhere or for no process). */
function processCpuSeconds(pid: number): number {
  if (pid <= 0 || !existsSync(`/proc/${pid}/stat`)) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function equalTables(a: SourceResult, b: SourceResult): boolean {
  const x = a.metrics[0];
  const y = b.metrics[0];
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}

/** `m` with a count of the profiles it scored. */
function countingModel(m: Model): { model: Model; scored: () => number } {
  let n = 0;
  const model: Model = {
    ...m,
    score: (p: Profile, out: Float32Array) => {
      n++;
      m.score(p, out);
    },
    scoreBatch: (ps: readonly Profile[], out: Float32Array) => {
      n += ps.length;
      m.scoreBatch!(ps, out);
    },
  };
  return { model, scored: () => n };
}

function meanView(): string {
  const frozen = frozenSource(log, prep.byPerson);
  let total = 0;
  for (let r = 0; r < requests.length; r++) total += frozen.view(requests.tsMs[r], requests.key[r], requests.person[r], requests.login[r]).events.length;
  return (total / requests.length).toFixed(1);
}

function pythonVersion(): string {
  return String(spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout ?? '')
    .trim()
    .replace(/^Python /, '');
}
