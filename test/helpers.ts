// Shared fixtures for tests: small scenarios that run in a second or two.
import { parseScenario } from '../src/scenario/load.ts';
import type { Scenario } from '../src/scenario/types.ts';
import { runScenario, type RunOutput } from '../src/run/run.ts';
import { silentReporter } from '../src/util/progress.ts';

export interface SmallOptions {
  seed?: number;
  persons?: number;
  days?: number;
  drift?: string;
  identity?: string;
  models?: string;
  pipelines?: string;
  eval?: string;
}

/** A small scenario as YAML text (the same path users take). */
export function smallScenarioYaml(o: SmallOptions = {}): string {
  return [
    'name: small',
    `seed: ${o.seed ?? 11}`,
    `world: { persons: ${o.persons ?? 1500}, items: 400, categories: 10, days: ${o.days ?? 35}, drift: ${o.drift ?? '{ kappa: 0.5 }'}, identity: ${o.identity ?? '{ devices: [0.5, 0.35, 0.15], loginRate: { app: 0.9, web: 0.15 }, sharedDevices: 0.01 }'} }`,
    'train: { until: "70%" }',
    `eval: ${o.eval ?? '{ k: [10, 20], window: 5d, positives: [purchase], bootstrap: 200 }'}`,
    `models: ${o.models ?? '[ { name: pop, type: popularity }, { name: knn, type: itemknn } ]'}`,
    'pipelines:',
    o.pipelines ??
      [
        '  - { name: weekly-batch, refresh: 7d, latency: 6h, identity: key }',
        '  - { name: daily-stitched, refresh: 1d, latency: 1h, identity: login }',
        '  - { name: streaming-oracle, refresh: stream, latency: 0, identity: oracle }',
      ].join('\n'),
  ].join('\n');
}

/**
 * The small scenario that sharded, fitted and threaded runs are checked on: a profile-free, a history and a
 * per-request-random model, and pipelines with login stitching, a channel silo and retraining.
 */
export const SHARD_TEST_OPTIONS: SmallOptions = {
  persons: 300,
  models: '[ { name: pop, type: popularity }, { name: knn, type: itemknn }, { name: rnd, type: random } ]',
  pipelines: [
    '  - { name: weekly-batch, refresh: 7d, latency: 6h, identity: key }',
    '  - { name: daily-stitched, refresh: 1d, latency: 1h, identity: login, channels: [app, mweb] }',
    '  - { name: retrained, refresh: 1d, latency: 1h, identity: key, retrain: 7d }',
  ].join('\n'),
};

export function smallScenario(o: SmallOptions = {}): Scenario {
  return parseScenario(smallScenarioYaml(o), 'small.yaml');
}

export function runSmall(o: SmallOptions = {}): Promise<RunOutput> {
  return runScenario(smallScenario(o), { reporter: silentReporter() });
}

/** Column `col` of a per-request table with `cols` columns. */
export function col(table: Float32Array, cols: number, c: number): Float64Array {
  const out = new Float64Array(table.length / cols);
  for (let r = 0; r < out.length; r++) out[r] = table[r * cols + c];
  return out;
}
