// Benchmark of the world generator: the default world (20k persons, 56 days) and a ~10M-event world.
// Run: node --import tsx bench/generate.ts [persons-of-the-large-world]
import { Rng } from '../src/util/rng.ts';
import { generateWorld } from '../src/world/generate.ts';
import { DEFAULT_WORLD, type WorldSpec } from '../src/scenario/worldSpec.ts';

/** 165k persons give about 10M events with the default behaviour settings. */
const largePersons = Number(process.argv[2] ?? 165_000);
const cases: Array<[string, WorldSpec]> = [
  ['default (20k persons, 56 days)', DEFAULT_WORLD],
  [`large (${largePersons / 1000}k persons, 56 days)`, { ...DEFAULT_WORLD, persons: largePersons }],
];

for (const [name, spec] of cases) {
  const t0 = performance.now();
  const world = generateWorld(spec, Rng.fromSeed(7));
  const seconds = (performance.now() - t0) / 1000;
  // The kernel's high-water mark for the process (KiB): a generateWorld call is synchronous, so a
  // timer could not sample it, and the peak falls inside the final sort.
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const log = world.log;
  let purchases = 0;
  let sessions = 0;
  for (let e = 0; e < log.length; e++) {
    if (log.type[e] === 2) purchases++;
    if (log.session[e] + 1 > sessions) sessions = log.session[e] + 1;
  }
  const fmt = (x: number) => Math.round(x).toLocaleString('en');
  console.log(
    `${name}: ${fmt(log.length)} events, ${fmt(sessions)} sessions, ${fmt(purchases)} purchases, ${fmt(log.dict.key.length)} keys | ` +
      `${seconds.toFixed(2)} s, ${fmt(log.length / seconds)} events/s, peak RSS ${fmt(peakMiB)} MiB`,
  );
}
