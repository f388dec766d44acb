// Benchmark: the quickstart end to end (generate, fit, replay 3 pipelines x 2 models, bootstrap) at
// several scales, to check the 60 s target and that cost grows about linearly in events.
// Run: node --import tsx bench/quickstart.ts [persons ...]
import os from 'node:os';
import { loadScenario } from '../src/scenario/load.ts';
import { runScenario } from '../src/run/run.ts';
import { requestTableCsv } from '../src/run/requestTable.ts';
import { createReporter } from '../src/util/progress.ts';

const scales = process.argv.slice(2).map(Number);
const persons = scales.length ? scales : [5000, 10000, 20000];
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
console.log('persons  events     requests  wall s  events/s   peak RSS MB  stages (s)');
for (const p of persons) {
  const scenario = loadScenario(new URL('../scenarios/quickstart.yaml', import.meta.url).pathname, [`world.persons=${p}`]);
  const reporter = createReporter({ quiet: true });
  const t0 = performance.now();
  const run = await runScenario(scenario, { reporter });
  requestTableCsv(run);
  const wall = (performance.now() - t0) / 1000;
  const rss = process.resourceUsage().maxRSS / 1024;
  const stages = Object.entries(reporter.timings())
    .map(([k, v]) => `${k.replace(/^replay /, '').split(',')[0]} ${(v / 1000).toFixed(1)}`)
    .join('; ');
  console.log(
    `${String(p).padStart(7)}  ${String(run.log.length).padStart(9)}  ${String(run.requests.length).padStart(8)}  ${wall.toFixed(1).padStart(6)}  ${Math.round(
      run.log.length / wall,
    )
      .toString()
      .padStart(9)}  ${rss.toFixed(0).padStart(11)}  ${stages}`,
  );
}
