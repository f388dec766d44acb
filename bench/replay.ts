// The replay stage alone, on one thread: every plain view source of the dense protocol (bench/scale.ts
// replay) scored by both models, with CPU time per source. `--src DIR` runs another checkout's sources
// (e.g. the main branch) on the same world, to compare before and after.
// Run: node --import tsx bench/replay.ts [persons, default 30000] [--src /path/to/other/src]
import os from 'node:os';
import { resolve } from 'node:path';

const argv = process.argv.slice(2);
const srcFlag = argv.indexOf('--src');
const srcDir = srcFlag >= 0 ? resolve(argv[srcFlag + 1]) : new URL('../src', import.meta.url).pathname;
const persons = Number(argv.find((a, i) => /^\d+$/.test(a) && argv[i - 1] !== '--src') ?? 30_000);
const { loadScenario } = await import(`${srcDir}/scenario/load.ts`);
const { prepareRun } = await import(`${srcDir}/run/prepare.ts`);
const { replayRequests } = await import(`${srcDir}/run/run.ts`);
const { wholePart } = await import(`${srcDir}/eval/partition.ts`);
const { createReporter } = await import(`${srcDir}/util/progress.ts`);

const scenarioFile = new URL('../scenarios/quickstart.yaml', import.meta.url).pathname;
const overrides = [`world.persons=${persons}`, 'train.until=40%', 'eval.window=1d', 'eval.positives=[view, cart, purchase]'];
const scenario = { ...loadScenario(scenarioFile, overrides), name: 'replay' };
const prep = await prepareRun(scenario, {}, createReporter({ quiet: true }));
console.log(`sources: ${srcDir}; ${os.cpus()[0]?.model ?? 'cpu'} x ${os.cpus().length}, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`);
console.log(
  `${prep.log.length.toLocaleString('en-US')} events, ${prep.requests.length.toLocaleString('en-US')} requests, ${prep.configs.length + 1} views x ${prep.models.length} models`,
);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const reporter = createReporter({ quiet: true });
await replayRequests(prep, wholePart(prep.requests), { reporter, workers: 1 });
const cpu = process.cpuUsage(cpu0);
console.log(`replay: wall ${((performance.now() - t0) / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
for (const [k, v] of Object.entries(reporter.timings() as Record<string, number>)) console.log(`  ${k}: ${(v / 1000).toFixed(2)} s wall`);
