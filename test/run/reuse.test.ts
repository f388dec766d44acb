// Runs that share one fit (prepare.ts fitRun): which settings a fit depends on, and that a run planned on a
// shared fit, reusing the previous run's tables, writes the results the same run makes alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { fitRun, fitSignature, planRun, type FittedRun } from '../../src/run/prepare.ts';
import { runScenario, type RunOutput } from '../../src/run/run.ts';
import { sourceKey } from '../../src/run/reuse.ts';
import { jsonText } from '../../src/results/json.ts';
import { disposeModels } from '../../src/models/model.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { smallScenarioYaml } from '../helpers.ts';

const PIPELINES = [
  '  - { name: weekly, refresh: 7d, latency: 6h, identity: key }',
  '  - { name: graph, refresh: 1d, latency: 1h, identity: graph, graph: { threshold: 0.85 } }',
  '  - { name: retrained, refresh: 1d, latency: 1h, identity: login, retrain: 7d }',
].join('\n');
const YAML = smallScenarioYaml({ persons: 500, eval: '{ k: [10], window: 5d, bootstrap: 100 }', pipelines: PIPELINES });
const at = (...overrides: string[]): Scenario => parseScenario(YAML, 'small.yaml', overrides);
/** results.json as written, without the stage timings (the one part that differs between identical runs). */
const written = (run: RunOutput) => jsonText({ ...run.results, runtime: null });

describe('fitSignature: what a fit depends on', () => {
  it.each([
    ['pipelines.0.refresh=1d'],
    ['pipelines.1.graph.threshold=0.5'],
    ['pipelines.2.retrain=14d'],
    ['eval.k=[5, 10]'],
    ['eval.bootstrap=7'],
    ['eval.level=0.9'],
    ['eval.phases=2'],
    ['business={ averageOrderValue: 10 }'],
  ])('%s keeps the fit', (override) => {
    expect(fitSignature(at(override))).toBe(fitSignature(at()));
  });

  it.each([
    ['seed=12'],
    ['world.persons=600'],
    ['world.identity.loginRate=0.5'],
    ['train.until=60%'],
    ['eval.window=3d'],
    ['eval.positives=[purchase, cart]'],
    ['eval.excludeSeen=view'],
    ['eval.sample=0.5'],
    ['models.1.neighbors=20'],
  ])('%s needs another fit', (override) => {
    expect(fitSignature(at(override))).not.toBe(fitSignature(at()));
  });

  it('refuses to plan a scenario on a fit it does not share', async () => {
    const fitted = await fitRun(at(), {}, silentReporter());
    try {
      expect(() => planRun(fitted, at('eval.window=3d'), silentReporter())).toThrow(RangeError);
    } finally {
      disposeModels(fitted.models);
    }
  });
});

describe('runs on a shared fit', () => {
  let fitted: FittedRun;
  let first: RunOutput;
  let second: RunOutput;
  const secondOverrides = ['pipelines.0.refresh=1d', 'pipelines.1.graph.threshold=0.5', 'eval.bootstrap=50'];
  beforeAll(async () => {
    fitted = await fitRun(at(), {}, silentReporter());
    first = await runScenario(at(), { reporter: silentReporter(), fitted });
    second = await runScenario(at(...secondOverrides), { reporter: silentReporter(), fitted, workers: 2 });
  }, 120_000);
  afterAll(() => disposeModels(fitted.models));

  it('write the results each run makes alone, byte for byte but for the timings', async () => {
    const alone = (overrides: string[]) => runScenario(at(...overrides), { reporter: silentReporter() });
    expect(written(first)).toBe(written(await alone([])));
    expect(written(second)).toBe(written(await alone(secondOverrides)));
  }, 120_000);

  it('share the fitted models and reuse the tables of configurations the runs have in common', () => {
    expect(second.models).toBe(first.models);
    // The frozen view, the unchanged retrained pipeline and the weekly pipeline's stream-and-key subset are
    // the same configurations in both runs; the weekly and graph pipelines' own configurations are not.
    const shared = (run: RunOutput, s: number) => sourceKey(run.results.scenario, s === 0 ? null : run.configs[s - 1]);
    const firstKeys = new Map(first.sources.map((src, s) => [shared(first, s), src]));
    const reused = second.sources.filter((src, s) => firstKeys.get(shared(second, s)) === src).length;
    const common = second.sources.filter((_, s) => firstKeys.has(shared(second, s))).length;
    expect(reused).toBe(common);
    expect(common).toBeGreaterThanOrEqual(3);
    expect(second.sources[second.plans[0].source]).not.toBe(first.sources[first.plans[0].source]);
  });

  it('keep only the latest run’s tables and resolution quality', () => {
    const keys = second.sources.map((_, s) => sourceKey(second.results.scenario, s === 0 ? null : second.configs[s - 1]));
    expect([...fitted.reuse.sources.keys()].sort()).toEqual([...keys].sort());
    expect(fitted.reuse.quality.size).toBe(new Set(second.plans.map((p) => p.source)).size);
  });

  it('replay again what other cut-offs change (K is part of a table’s key)', async () => {
    const other = ['pipelines.0.refresh=1d', 'eval.k=[5, 10]'];
    const third = await runScenario(at(...other), { reporter: silentReporter(), fitted });
    expect(third.sources[0]).not.toBe(second.sources[0]);
    expect(written(third)).toBe(written(await runScenario(at(...other), { reporter: silentReporter() })));
  }, 120_000);
});
