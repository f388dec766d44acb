// Benchmark: `recgap sweep` of the quickstart's weekly-batch refresh cadence (1h, 1d, 7d), with every point
// fitted and replayed from scratch (reuse off, as sweeps ran before points shared a fit) against points
// that share the fitted models and the per-request tables of unchanged configurations, in 1 and 2 worker
// threads. Each variant writes the same sweep.json (checked). Wall time includes generating the world
// once, the report and writing the output; CPU time (user + system, all threads of this process) is
// printed beside it, since wall time on a shared machine moves with the load.
// Run: node --import tsx bench/sweep.ts [repeats]
import os from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweep } from '../src/jobs/sweep.ts';
import { createReporter } from '../src/util/progress.ts';

const repeats = Number(process.argv[2] ?? 2);
const scenarioFile = new URL('../scenarios/quickstart.yaml', import.meta.url).pathname;
const sets = ['pipelines.0.refresh=1h,1d,7d'];
const variants = [
  { name: 'from scratch, 1 worker ', reuse: false, workers: 1 },
  { name: 'shared fit,   1 worker ', reuse: true, workers: 1 },
  { name: 'from scratch, 2 workers', reuse: false, workers: 2 },
  { name: 'shared fit,   2 workers', reuse: true, workers: 2 },
];
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
console.log(`quickstart.yaml --set ${sets.join(' ')}: 3 points; best of ${repeats}`);
const root = mkdtempSync(join(tmpdir(), 'recgap-bench-sweep-'));
try {
  let reference = '';
  for (const v of variants) {
    const walls: number[] = [];
    const cpus: number[] = [];
    let points = '';
    for (let r = 0; r < repeats; r++) {
      const lines: string[] = [];
      const reporter = createReporter({ write: (t) => lines.push(t), interactive: false });
      const load = os.loadavg()[0];
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const { dir } = await runSweep({ scenarioFile, sets, outDir: join(root, `${r}`), reporter, workers: v.workers, reuse: v.reuse });
      walls.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1e6);
      const json = readFileSync(join(dir, 'sweep.json'), 'utf8');
      reference ||= json;
      if (json !== reference) throw new Error(`${v.name}: sweep.json differs from the first variant's`);
      points = `${lines
        .filter((l) => l.startsWith('point '))
        .map((l) => l.replace(/^point (\d+)\/\d+ .*?\): [\d,]+ requests; /, '$1: ').trim())
        .join(' | ')} (load ${load.toFixed(1)})`;
    }
    const runs = walls.map((w, i) => `${w.toFixed(1)}/${cpus[i].toFixed(1)}`).join(', ');
    console.log(`${v.name}  wall ${Math.min(...walls).toFixed(1)} s, CPU ${Math.min(...cpus).toFixed(1)} s (wall/CPU per run: ${runs})  ${points}`);
  }
  console.log('sweep.json identical in every variant');
} finally {
  rmSync(root, { recursive: true, force: true });
}
