// Benchmarks at scale, the way `recgap run` does it (generate, fit popularity and item-kNN, replay 3
// pipelines x 2 models, 1,000 bootstrap replicates, report, write), with the memory bandwidth of this
// machine as the limit for scans and the served views alone (no scoring) in events/s.
//   e2e:    the quickstart scenario at ~10M events (165k persons), its own protocol (W = 7d, purchases)
//   replay: a dense protocol so that about 1M requests are scored (split at 40%, W = 1 day, every event
//           type a label: each session start is a request unless censored), on ~7M events (120k persons)
// Each mode runs once per worker count.
// Run: node --import tsx bench/scale.ts e2e|replay [persons] [workers ..., default 1 2]
import os from 'node:os';
import { rmSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../src/scenario/load.ts';
import { runJob } from '../src/jobs/runJob.ts';
import { createReporter } from '../src/util/progress.ts';
import { servedSource, viewIndexesOf } from '../src/eval/viewSource.ts';
import { groupEvents } from '../src/log/groupIndex.ts';

const mode = process.argv[2] === 'replay' ? 'replay' : 'e2e';
const persons = Number(process.argv[3] ?? (mode === 'e2e' ? 165_000 : 120_000));
const workerCounts = process.argv.length > 4 ? process.argv.slice(4).map(Number) : [1, 2];
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** Sequential read bandwidth: sum a 512 MiB Float64Array (best of 3), in GB/s. */
function memoryBandwidth(): number {
  const a = new Float64Array(64 * 2 ** 20);
  for (let i = 0; i < a.length; i++) a[i] = i & 1023;
  let best = Infinity;
  let sink = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    sink += s;
    best = Math.min(best, performance.now() - t0);
  }
  if (sink === -1) console.log(sink);
  return a.byteLength / 1e9 / (best / 1000);
}

const cpu = os.cpus();
console.log(
  `machine: ${cpu[0]?.model ?? 'unknown'} x ${cpu.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`,
);
const bw = memoryBandwidth();
console.log(`memory bandwidth (one thread, sequential Float64 sum): ${bw.toFixed(1)} GB/s`);

const overrides =
  mode === 'e2e' ? [`world.persons=${persons}`] : [`world.persons=${persons}`, 'train.until=40%', 'eval.window=1d', 'eval.positives=[view, cart, purchase]'];
console.log(`${mode}: quickstart.yaml with ${overrides.join(' ')}`);
const scenarioFile = new URL('../scenarios/quickstart.yaml', import.meta.url).pathname;
for (const workers of workerCounts) {
  const out = mkdtempSync(join(tmpdir(), 'recgap-bench-scale-'));
  const reporter = createReporter({ quiet: true });
  const t0 = performance.now();
  const { dir, run } = await runJob({ scenario: { ...loadScenario(scenarioFile, overrides), name: 'scale' }, outDir: out, reporter, workers, force: true });
  const wall = (performance.now() - t0) / 1000;
  const rss = process.resourceUsage().maxRSS * 1024;
  const t = reporter.timings();
  const replayMs = Object.entries(t)
    .filter(([k]) => k.startsWith('replay'))
    .reduce((s, [, v]) => s + v, 0);
  const log = run!.log;
  const R = run!.requests.length;
  const sources = run!.sources.length;
  console.log(`\nworkers ${workers}: ${log.length.toLocaleString('en-US')} events, ${R.toLocaleString('en-US')} requests, ${sources} views x 2 models`);
  console.log(
    `  end to end ${wall.toFixed(1)} s (${Math.round(log.length / wall).toLocaleString('en-US')} events/s), peak RSS ${mb(rss)} MiB (this process so far)`,
  );
  console.log(`  replay ${(replayMs / 1000).toFixed(1)} s: ${Math.round((R * sources) / (replayMs / 1000)).toLocaleString('en-US')} request-views/s scored`);
  console.log(
    `  stages (s): ${Object.entries(t)
      .map(([k, v]) => `${k.replace(/^replay /, '').split(',')[0]} ${(v / 1000).toFixed(1)}`)
      .join('; ')}`,
  );
  console.log(`  requests.csv ${mb(statSync(join(dir, 'requests.csv')).size)} MiB`);

  if (workers === workerCounts[0]) {
    // Served views alone: every request's view under each pipeline, no scoring.
    const byPerson = groupEvents(log.person, log.dict.person.length);
    const indexOf = viewIndexesOf(log, byPerson);
    const req = run!.requests;
    let events = 0;
    const v0 = performance.now();
    for (const plan of run!.plans) {
      const cfg = run!.configs[plan.source - 1];
      const src = servedSource(log, cfg, indexOf(cfg));
      for (let r = 0; r < req.length; r++) events += src.view(req.tsMs[r], req.key[r], req.person[r], req.login[r]).events.length;
    }
    const vs = (performance.now() - v0) / 1000;
    console.log(
      `  served views only (${run!.plans.length} pipelines): ${events.toLocaleString('en-US')} view events in ${vs.toFixed(2)} s = ${Math.round(events / vs).toLocaleString('en-US')} events/s`,
    );
    console.log(
      `  scan limit: ${(bw / 4).toFixed(1)}G int32 event indices/s at ${bw.toFixed(1)} GB/s; views are index ranges (CSR) and cut-level caches, so most view events are never copied`,
    );
  }
  rmSync(out, { recursive: true, force: true });
}
