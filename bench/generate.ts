// Benchmark of the world generator: the default world (20k persons, 56 days) and a ~10M-event world.
// Run: node --import tsx bench/generate.ts [persons-of-large-world]
import { Rng } from '../src/util/rng.ts';
import { generateWorld } from '../src/world/generate.ts';
import { DEFAULT_WORLD, type WorldSpec } from '../src/world/spec.ts';

const largePersons = Number(process.argv[2] ?? 200_000);
const cases: Array<[string, WorldSpec]> = [
  ['default (20k persons, 56 days)', DEFAULT_WORLD],
  [`large (${largePersons / 1000}k persons, 56 days)`, { ...DEFAULT_WORLD, persons: largePersons }],
];

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
sampler.unref();

for (const [name, spec] of cases) {
  const t0 = performance.now();
  const world = generateWorld(spec, Rng.fromSeed(7), () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  });
  const seconds = (performance.now() - t0) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const log = world.log;
  let purchases = 0;
  let sessions = 0;
  for (let e = 0; e < log.length; e++) {
    if (log.type[e] === 2) purchases++;
    if (log.session[e] + 1 > sessions) sessions = log.session[e] + 1;
  }
  console.log(
    `${name}: ${log.length.toLocaleString('en')} events, ${sessions.toLocaleString('en')} sessions, ` +
      `${purchases.toLocaleString('en')} purchases, ${log.dict.key.length.toLocaleString('en')} keys | ` +
      `${seconds.toFixed(2)} s, ${Math.round(log.length / seconds).toLocaleString('en')} events/s, ` +
      `peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`,
  );
}
