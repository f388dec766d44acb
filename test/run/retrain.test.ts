// Model staleness: a pipeline may refit its models on each cut of a retrain cadence.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.ts';
import { runScenario } from '../../src/run/run.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { smallScenarioYaml } from '../helpers.ts';

// The small world starts 2024-01-01 and runs 35 days; split on day 24.
const yaml = (pipelines: string) =>
  smallScenarioYaml({ pipelines, eval: '{ k: [10], window: 5d, bootstrap: 100 }' }).replace('train: { until: "70%" }', 'train: { until: 2024-01-25 }');

describe('retrain cadence', () => {
  it('refit on a cut equal to the split reproduces the frozen model exactly', async () => {
    const s = parseScenario(yaml('  - { name: same, refresh: stream, latency: 0, identity: oracle, retrain: 30d, origin: 2024-01-25 }'), 'r.yaml');
    const run = await runScenario(s, { reporter: silentReporter() });
    expect(run.plans[0].factors).toEqual(['model']);
    for (let m = 0; m < run.models.length; m++) expect(run.sources[run.plans[0].source].metrics[m]).toEqual(run.sources[0].metrics[m]);
  });

  it('adds a model factor whose Shapley share, with the others, sums to the gap', async () => {
    const s = parseScenario(yaml('  - { name: weekly-retrain, refresh: 7d, latency: 6h, identity: key, retrain: 7d }'), 'r.yaml');
    const run = await runScenario(s, { reporter: silentReporter() });
    expect(run.results.pipelines[0].retrain).toBe('7d');
    const knn = run.results.results.find((r) => r.model === 'knn')!;
    expect(knn.decomposition.factors).toEqual(['staleness', 'identity', 'model']);
    const shares = knn.decomposition.byMetric['ndcg@10'].shares;
    expect(shares.model!.mean).not.toBe(0); // a model refit on older cuts scores differently
    const sum = shares.staleness!.mean + shares.identity!.mean + shares.model!.mean;
    expect(sum).toBeCloseTo(knn.metrics['ndcg@10'].gap.mean, 8);
  });
});
