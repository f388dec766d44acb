// `npm run bench`: every benchmark script with its fixed, seeded workload, one after another (never in
// parallel: they measure the machine), and BENCHMARKS.md written from their output with the machine.
// With names, only those run and replace their sections of BENCHMARKS.md.
// Run: npm run bench [-- name ...]   (names: generate, ingest, quickstart, scale, replay, replay-stage, bootstrap, shards, window-check, models, phases, tau, identity, output, sweep, command, calibrate, peer)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const ALL: Array<{ name: string; file: string; args: string[]; what: string }> = [
  { name: 'generate', file: 'bench/generate.ts', args: [], what: 'synthetic world: the default 20k-person world and a ~10M-event world' },
  { name: 'ingest', file: 'bench/ingest.ts', args: [], what: 'reading a 10M-row canonical CSV through DuckDB into the columnar log' },
  {
    name: 'quickstart',
    file: 'bench/quickstart.ts',
    args: ['10000', '20000', '40000'],
    what: 'the quickstart end to end (generate, fit, 3 pipelines x 2 models, 1,000 bootstrap replicates) at three scales',
  },
  {
    name: 'scale',
    file: 'bench/scale.ts',
    args: ['e2e'],
    what: 'a ~10M-event quickstart world end to end (generate, fit, 3 pipelines x 2 models, bootstrap, report), 1 and 2 worker threads',
  },
  {
    name: 'replay',
    file: 'bench/scale.ts',
    args: ['replay'],
    what: 'about 1M requests scored through 3 pipelines x 2 models (dense protocol on ~7M events), 1 and 2 worker threads',
  },
  {
    name: 'replay-stage',
    file: 'bench/replay.ts',
    args: ['30000'],
    what: 'the replay stage alone on one thread (dense protocol, 30,000 persons, 8 views x 2 models): CPU time in all, wall time per view source',
  },
  {
    name: 'bootstrap',
    file: 'bench/bootstrap.ts',
    args: [],
    what: 'the bootstrap-and-decomposition stage at 1M requests (synthetic tables shaped like the replay workload), 1 and 2 threads, against the old per-series loop',
  },
  {
    name: 'shards',
    file: 'bench/shards.ts',
    args: ['30000', '4'],
    what: 'a sharded run against a single run (dense protocol, 1.8M events): recgap fit once, 4 shards with --fitted one after another, merge; fixed cost per shard against the divided replay, the merged output compared with the single run, and what it predicts for 1e9 events on 100 nodes',
  },
  {
    name: 'window-check',
    file: 'bench/windowCheck.ts',
    args: ['330000'],
    what: "the report stage's per-event part: audit check 04 (conversion delays) on a 20M-event world with the quickstart's and the dense protocol's positives, against the check as first written",
  },
  { name: 'models', file: 'bench/models.ts', args: [], what: 'model training and batched scoring (TensorFlow.js backend as reported)' },
  {
    name: 'phases',
    file: 'bench/phases.ts',
    args: ['3'],
    what: 'the quickstart replay with pinned schedules against schedules averaged over 1, 8 (default) and 16 phases',
  },
  {
    name: 'tau',
    file: 'bench/tauKappa.ts',
    args: ['20000', '0', '0.1', '0.25', '0.5', '1', '2'],
    what: 'the relevance-loss time scale tau fitted against pipeline lag on oracle-identity worlds that differ only in the drift rate kappa (a measurement, not a speed figure)',
  },
  { name: 'identity', file: 'bench/identity.ts', args: [], what: 'device-graph resolution: blocking, pair scoring, clustering' },
  {
    name: 'output',
    file: 'bench/output.ts',
    args: ['20'],
    what: 'replacing a quickstart-sized output folder: the safe writer (lock, checks, fsync) against the plain rename it replaced',
  },
  {
    name: 'sweep',
    file: 'bench/sweep.ts',
    args: ['2'],
    what: "recgap sweep of the quickstart's weekly refresh cadence (1h, 1d, 7d): every point from scratch against points sharing the fit and unchanged tables, 1 and 2 worker threads",
  },
  {
    name: 'command',
    file: 'bench/commandModel.ts',
    args: ['20000', '3'],
    what: 'the external-model protocol at 3,000 items: command models (the Python example and a Node fixed vector, JSON and f32 answers) and an HTTP server against the built-in popularity on the same 18,870 requests',
  },
  {
    name: 'calibrate',
    file: 'bench/calibrate.ts',
    args: ['5000', '20000'],
    what: "recgap calibrate's fit (no validation, no audit) of the quickstart world's log, without categories, at two scales: phases, twins generated, the fitted kappa and device mix against the planted ones",
  },
  // Skips itself, saying so in its output, when /usr/bin/python3 lacks pandas or scipy.
  {
    name: 'peer',
    file: 'bench/peer.ts',
    args: ['--repeat', '3'],
    what: 'the frozen item-kNN evaluation of a quickstart-sized CSV against a pandas + scipy peer of the same protocol (bench/peer/knn_eval.py), metrics checked equal',
  },
];

const wanted = process.argv.slice(2);
const runs = ALL.filter((b) => (wanted.length === 0 || wanted.includes(b.name)) && existsSync(b.file));
const cpu = os.cpus();
const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const sections: string[] = [];
for (const b of runs) {
  process.stderr.write(`bench ${b.name} ...\n`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', b.file, ...b.args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = (performance.now() - t0) / 1000;
  const out = (r.stdout || '').trimEnd();
  process.stdout.write(`## ${b.name}\n${out}\n\n`);
  sections.push(
    `## ${b.name}\n\n${b.what}. \`node --import tsx ${b.file} ${b.args.join(' ')}\`${r.status === 0 ? '' : ` (exit code ${r.status}: ${(r.stderr || '').trim().split('\n').pop()})`}, ${seconds.toFixed(0)} s in all.\n\n\`\`\`\n${out}\n\`\`\`\n`,
  );
}
const today = new Date().toISOString().slice(0, 10);
if (wanted.length === 0) {
  const md = `# Benchmarks\n\nWritten by \`npm run bench\` on ${today}: ${machine}.\nEach script runs alone, with a fixed seed; figures are wall time on this machine, not targets.\n\n${sections.join('\n')}`;
  writeFileSync('BENCHMARKS.md', md);
  process.stderr.write('wrote BENCHMARKS.md\n');
} else if (existsSync('BENCHMARKS.md')) {
  // Named benchmarks replace their own sections (or are added at the end); the others stay as they were,
  // each still under the date and machine it was measured on, so the rerun sections say theirs.
  let md = readFileSync('BENCHMARKS.md', 'utf8');
  runs.forEach((b, i) => {
    const section = sections[i].replace(/\n\n/, `\n\nRerun on ${today}: ${machine}. `);
    const at = md.indexOf(`\n## ${b.name}\n`);
    if (at < 0) md = `${md.trimEnd()}\n\n${section}`;
    else {
      const next = md.indexOf('\n## ', at + 1);
      md = `${md.slice(0, at + 1)}${section}${next < 0 ? '' : md.slice(next)}`;
    }
  });
  writeFileSync('BENCHMARKS.md', md);
  process.stderr.write(`updated ${runs.map((b) => b.name).join(', ')} in BENCHMARKS.md\n`);
}
