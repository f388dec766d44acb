// Benchmark of identity resolution: the device graph (blocking included) over every event of quickstart-
// like worlds of increasing size, with pairs scored per key (linear growth, not quadratic) and the
// resolvers' pairwise precision/recall against the person column. Wall and CPU seconds cover building
// the resolver and one advance over the whole log (one cut); world generation is not timed.
// Run: node --import tsx bench/identity.ts [keys ...]   (default 125000 250000 500000 1000000)
import os from 'node:os';
import { loadScenario } from '../src/scenario/load.ts';
import { generateWorld } from '../src/world/generate.ts';
import { Rng } from '../src/util/rng.ts';
import { groupEvents } from '../src/log/groupIndex.ts';
import { GraphResolver } from '../src/identity/graphResolver.ts';
import { LoginResolver } from '../src/identity/resolvers.ts';
import { keyClusterQuality, majorityPerson } from '../src/identity/quality.ts';
import { DEFAULT_GRAPH } from '../src/scenario/resolverOptions.ts';

/** Keys per person in the quickstart world (55,285 keys for 20,000 persons). */
const KEYS_PER_PERSON = 2.764;
const targets = process.argv.slice(2).map(Number);
const keyCounts = targets.length ? targets : [125_000, 250_000, 500_000, 1_000_000];
const f3 = (x: number) => x.toFixed(3);
const fmt = (x: number) => Math.round(x).toLocaleString('en');

console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
console.log('graph: ' + JSON.stringify(DEFAULT_GRAPH));
console.log('keys       events      pairs      pairs/key  resolve s (cpu s)  graph P / R    login P / R');
for (const target of keyCounts) {
  const persons = Math.round(target / KEYS_PER_PERSON);
  const scenario = loadScenario(new URL('../scenarios/quickstart.yaml', import.meta.url).pathname, [`world.persons=${persons}`]);
  const log = generateWorld(scenario.world!, Rng.fromSeed(scenario.seed).fork('world')).log;
  // Timed: everything the resolver does for one cut covering the whole log, including its key index.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const graph = new GraphResolver(log, DEFAULT_GRAPH);
  graph.advanceTo(log.length);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const stats = graph.stats();
  const owner = majorityPerson(log, groupEvents(log.key, log.dict.key.length), log.length);
  const g = keyClusterQuality(owner, (k) => graph.clusterOf(k));
  const login = new LoginResolver(log);
  login.advanceTo(log.length);
  const l = keyClusterQuality(owner, (k) => login.clusterOf(k));
  console.log(
    `${fmt(stats.keys).padStart(9)}  ${fmt(log.length).padStart(10)}  ${fmt(stats.candidatePairs).padStart(9)}  ${(stats.candidatePairs / stats.keys).toFixed(2).padStart(9)}  ` +
      `${wall.toFixed(1).padStart(9)} (${((c.user + c.system) / 1e6).toFixed(1)})  ${f3(g.pairwisePrecision)} / ${f3(g.pairwiseRecall)}  ${f3(l.pairwisePrecision)} / ${f3(l.pairwiseRecall)}`,
  );
}
// The kernel's high-water mark for the whole process (world generation included), KiB -> MiB.
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024).toLocaleString('en')} MiB`);
