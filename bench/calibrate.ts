// Benchmark of `recgap calibrate`'s fit: the quickstart world (its log as `recgap generate` writes it, without
// categories) at a few scales, calibrated with the default rounds; wall time per phase, generated twins, the
// largest validation-free error of the last round, and the fitted kappa and device mix against the planted ones.
// Run: node --import tsx bench/calibrate.ts [persons ...]
import { calibrate } from '../src/calibrate/calibrate.ts';
import { knobValue, KNOBS } from '../src/calibrate/knobs.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { loadLog } from '../src/run/loadLog.ts';
import { createReporter, silentReporter } from '../src/util/progress.ts';

const scales = process.argv.slice(2).map(Number);
for (const persons of scales.length ? scales : [5000, 20_000]) {
  const scenario = loadScenario('scenarios/quickstart.yaml', [`world.persons=${persons}`]);
  const { log } = await loadLog(scenario, silentReporter());
  const reporter = createReporter({ quiet: true });
  const t0 = performance.now();
  const cal = await calibrate({ input: 'quickstart', log, categories: null, fragment: null, seed: 7, reporter });
  const seconds = (performance.now() - t0) / 1000;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const devices = (cal.plan.world.identity as { devices: number[] }).devices;
  const fmt = (x: number) => Math.round(x).toLocaleString('en');
  const times = Object.entries(reporter.timings()).map(([name, ms]) => `${name.replace('calibrate: ', '')} ${(ms / 1000).toFixed(1)} s`);
  console.log(
    `${fmt(persons)} persons (${fmt(log.length)} events): ${seconds.toFixed(1)} s, ${cal.rounds.length + cal.driftProbes.length} twins generated, peak RSS ${fmt(peakMiB)} MiB | ` +
      `${times.join(', ')} | kappa ${knobValue(cal.plan.world, KNOBS.kappa)} (planted 0.5), devices [${devices.join(', ')}] (planted [0.5, 0.35, 0.15])`,
  );
}
