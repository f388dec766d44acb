// Benchmark: what averaging batch schedules over their phase costs. The quickstart replayed with its
// schedules pinned (one real schedule, as before phases existed) and averaged over 1, 8 (the default) and
// 16 phases: replay and identity-quality time, since each phase replays its requests under its own
// schedule (resolvers advance once per phase; views and rankings are shared within a phase only).
// Run: node --import tsx bench/phases.ts [repeats]
import os from 'node:os';
import { loadScenario } from '../src/scenario/load.ts';
import { replayRequests } from '../src/run/run.ts';
import { prepareRun } from '../src/run/prepare.ts';
import { wholePart } from '../src/eval/partition.ts';
import { createReporter } from '../src/util/progress.ts';

const repeats = Number(process.argv[2] ?? 3);
const file = new URL('../scenarios/quickstart.yaml', import.meta.url).pathname;
const variants: Array<{ name: string; overrides: string[] }> = [
  { name: 'pinned', overrides: ['pipelines.0.origin=2024-01-01T00:00:00Z', 'pipelines.1.origin=2024-01-01T00:00:00Z'] },
  { name: '1 phase', overrides: ['eval.phases=1'] },
  { name: '8 phases', overrides: [] },
  { name: '16 phases', overrides: ['eval.phases=16'] },
];
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
console.log('quickstart (20k persons, 2 models, 3 pipelines + decomposition variants); best of', repeats);
console.log('schedule    requests  identity quality s  replay s (frozen + 7 configurations)');
for (const v of variants) {
  const scenario = loadScenario(file, [...v.overrides, 'eval.bootstrap=0']);
  let best = { quality: Infinity, replay: Infinity, requests: 0 };
  for (let i = 0; i < repeats; i++) {
    const reporter = createReporter({ quiet: true });
    const prep = await prepareRun(scenario, {}, reporter);
    const t0 = performance.now();
    await replayRequests(prep, wholePart(prep.requests), { reporter, workers: 1 });
    const replay = (performance.now() - t0) / 1000;
    const quality = (reporter.timings()['identity resolution quality'] ?? NaN) / 1000;
    if (replay < best.replay) best = { quality, replay, requests: prep.requests.length };
  }
  console.log(`${v.name.padEnd(10)}  ${String(best.requests).padStart(8)}  ${best.quality.toFixed(2).padStart(18)}  ${best.replay.toFixed(2).padStart(8)}`);
}
