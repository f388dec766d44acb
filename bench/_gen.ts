import { loadScenario } from '../src/scenario/load.ts';
import { generateWorld } from '../src/world/generate.ts';
import { Rng } from '../src/util/rng.ts';
const sc = loadScenario(new URL('../scenarios/quickstart.yaml', import.meta.url).pathname, [`world.persons=${process.argv[2] ?? 30000}`]);
const c0 = process.cpuUsage();
const w = generateWorld(sc.world!, Rng.fromSeed(sc.seed).fork('world'));
const c = process.cpuUsage(c0);
console.log(w.log.length, 'events, CPU', ((c.user + c.system) / 1e6).toFixed(2), 's');
