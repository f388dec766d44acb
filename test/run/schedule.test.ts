// Refresh results do not depend on where the first cut happens to fall: batch schedules without an origin
// are averaged over their phase; an origin pins one schedule (and gives the numbers a pinned schedule gave
// before phases existed); feature staleness and model age are separate factors.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { MIN_EFFECTIVE_PERSONS, runScenario } from '../../src/run/run.ts';
import { effectivePersons } from '../../src/stats/bootstrap.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { shapleyPerRequest } from '../../src/eval/shapley.ts';
import { METRIC_COUNT } from '../../src/eval/metrics.ts';
import { col, runSmall } from '../helpers.ts';

const QUICKSTART = new URL('../../scenarios/quickstart.yaml', import.meta.url).pathname;
/** The quickstart world split at 75%, one cut-off, 200 replicates, with `sets` on top. */
const quickstartWorld = (sets: string[]) => loadScenario(QUICKSTART, ['train.until=75%', 'eval.k=[10]', 'eval.bootstrap=200', ...sets]);

const ONE_K = '{ k: [10], window: 5d, positives: [purchase], bootstrap: 0 }';

describe('phase-averaged schedules', () => {
  it('grow the gap with the cadence on the quickstart world: gap(1d) < gap(7d) < gap(14d), each step significant', async () => {
    // The quickstart world (drift kappa 0.5, fragmented identity), item-kNN, key-level pipelines without an origin.
    const scenario = quickstartWorld([
      'models=[{ name: knn, type: itemknn }]',
      'pipelines=[{ name: d1, refresh: 1d, latency: 6h, identity: key }, { name: d7, refresh: 7d, latency: 6h, identity: key }, { name: d14, refresh: 14d, latency: 6h, identity: key }]',
    ]);
    const run = await runScenario(scenario, { reporter: silentReporter() });
    const gap = (p: string) => run.results.results.find((r) => r.pipeline === p)!.metrics['ndcg@10'].gap.mean;
    expect(gap('d1')).toBeLessThan(gap('d7'));
    expect(gap('d7')).toBeLessThan(gap('d14'));
    // Paired against the first pipeline (d1): d7 and d14 serve significantly less.
    const cmp = (p: string) => run.results.comparisons.find((c) => c.pipeline === p)!.difference;
    expect(cmp('d7').hi).toBeLessThan(0);
    expect(cmp('d14').hi).toBeLessThan(cmp('d7').mean);
    for (const p of run.results.pipelines) expect(p.schedule).toEqual({ origin: 'averaged', phases: 8, periodMs: Number.parseInt(p.refresh, 10) * 864e5 });
    // Requests can start over less than 14 days: the run says so.
    expect(run.results.warnings).toEqual([
      "requests can start over only 6d16h30m after the split, less than pipeline d14's 14d cadence: its cuts barely vary within the test period; move train.until earlier or use a longer log",
    ]);
  }, 60_000);

  it('keep Shapley shares summing to the gap request by request', async () => {
    const run = await runSmall({ eval: ONE_K, pipelines: '  - { name: silo, refresh: 7d, latency: 6h, identity: login, channels: [app], retrain: 14d }' });
    const plan = run.plans[0];
    const n = plan.factors.length;
    expect(plan.factors).toEqual(['staleness', 'identity', 'channels', 'model']);
    for (let m = 0; m < run.models.length; m++) {
      const values = plan.subsetSources.map((s) => col(run.sources[s].metrics[m], METRIC_COUNT, 0));
      const phi = shapleyPerRequest(values, n);
      const frozen = col(run.sources[0].metrics[m], METRIC_COUNT, 0);
      const served = col(run.sources[plan.source].metrics[m], METRIC_COUNT, 0);
      for (let r = 0; r < run.requests.length; r++) {
        const sum = phi.reduce((a, x) => a + x[r], 0);
        expect(Math.abs(sum - (frozen[r] - served[r]))).toBeLessThan(1e-12);
      }
    }
  });

  it('give the same numbers for the same seed and other numbers for another phase draw', async () => {
    const pipelines = '  - { name: weekly, refresh: 7d, latency: 6h, identity: key }';
    const a = await runSmall({ eval: ONE_K, pipelines, models: '[ { name: knn, type: itemknn } ]' });
    const b = await runSmall({ eval: ONE_K, pipelines, models: '[ { name: knn, type: itemknn } ]' });
    expect(b.sources[1].metrics[0]).toEqual(a.sources[1].metrics[0]);
    const one = await runSmall({
      eval: '{ k: [10], window: 5d, positives: [purchase], bootstrap: 0, phases: 1 }',
      pipelines,
      models: '[ { name: knn, type: itemknn } ]',
    });
    expect(one.results.pipelines[0].schedule).toEqual({ origin: 'averaged', phases: 1, periodMs: 7 * 864e5 });
    expect(one.sources[1].metrics[0]).not.toEqual(a.sources[1].metrics[0]);
  });
});

describe('a pinned origin', () => {
  it('reproduces the numbers one real schedule gave before phase averaging existed', async () => {
    // Figures from recgap at ff4214a (before phases) on this scenario, with the same origins.
    const run = await runSmall({
      eval: ONE_K,
      pipelines: [
        '  - { name: weekly, refresh: 7d, latency: 6h, identity: key, origin: 2024-01-03T00:00:00Z }',
        '  - { name: retrain, refresh: 7d, latency: 2d, identity: oracle, retrain: 7d, origin: 2024-01-03T00:00:00Z }',
      ].join('\n'),
    });
    const at = (m: string, p: string) => run.results.results.find((r) => r.model === m && r.pipeline === p)!.metrics['ndcg@10'];
    expect(at('knn', 'weekly').served.mean).toBe(0.30345381962732204);
    expect(at('knn', 'weekly').gap.mean).toBe(0.1306275490755788);
    expect(at('knn', 'retrain').served.mean).toBe(0.4073666188034039);
    expect(at('pop', 'retrain').served.mean).toBe(0.18072370748400302);
    expect(run.results.pipelines[0].schedule).toEqual({ origin: 'pinned', at: '2024-01-03T00:00:00.000Z', atMs: Date.UTC(2024, 0, 3) });
    expect(run.results.pipelines[0].description).toBe('every 7d from 2024-01-03T00:00Z, latency 6h, key, all channels');
  });
});

describe('model age is its own factor', () => {
  it('gives popularity (which ignores the profile) a staleness share of exactly 0 when the model is retrained', async () => {
    const scenario = quickstartWorld([
      'world.persons=6000',
      'world.items=1500',
      'models=[{ name: pop, type: popularity }]',
      'pipelines=[{ name: weekly-retrain, refresh: 7d, latency: 2d, identity: oracle, retrain: 7d }]',
    ]);
    const run = await runScenario(scenario, { reporter: silentReporter() });
    const pop = run.results.results[0];
    const shares = pop.decomposition.byMetric['ndcg@10'].shares;
    expect(pop.decomposition.factors).toEqual(['staleness', 'model']);
    expect(shares.staleness).toEqual({ mean: 0, lo: 0, hi: 0 });
    // The whole gap is the model's age, and there is one to explain.
    expect(shares.model!.mean).toBe(pop.metrics['ndcg@10'].gap.mean);
    expect(Math.abs(pop.metrics['ndcg@10'].gap.mean)).toBeGreaterThan(0);
  }, 60_000);
});

describe('intervals only where they mean something', () => {
  it('leaves out intervals and p-values when the requests come from too few persons, and says why', async () => {
    // A 0.5% person sample of the small world: a handful of persons.
    const run = await runSmall({ eval: '{ k: [10], window: 5d, positives: [purchase], bootstrap: 200, sample: 0.006 }' });
    const { distinct, effective } = effectivePersons(run.requests.person);
    expect(distinct).toBeGreaterThan(0);
    expect(effective).toBeLessThan(MIN_EFFECTIVE_PERSONS);
    const knn = run.results.results.find((r) => r.model === 'knn' && r.pipeline === 'weekly-batch')!.metrics['ndcg@10'];
    expect(Number.isFinite(knn.gap.mean)).toBe(true);
    expect(knn.gap.lo).toBeNaN();
    expect(knn.gap.hi).toBeNaN();
    for (const c of run.results.comparisons) expect(c.pHolm).toBeNaN();
    expect(run.results.warnings).toContain(
      `intervals and p-values are not available: the requests come from ${distinct} persons (${+effective.toFixed(1)} effective, weighting by requests), fewer than the 20 a person-clustered bootstrap needs; the means stand alone and no difference is called significant`,
    );
  });
});

describe('a cut-off beyond the catalogue', () => {
  it('warns that every item is listed', async () => {
    const run = await runSmall({ eval: '{ k: [10, 400], window: 5d, positives: [purchase], bootstrap: 0 }', models: '[ { name: pop, type: popularity } ]' });
    expect(run.results.warnings).toContain(
      'eval.k 400 covers the whole catalogue of 400 items: every model lists every item, so HR and recall at that K are 1 and cannot tell models or pipelines apart; use a K well below the catalogue size',
    );
    const fine = await runSmall({ eval: '{ k: [10], window: 5d, positives: [purchase], bootstrap: 0 }', models: '[ { name: pop, type: popularity } ]' });
    expect(fine.results.warnings.some((w) => w.startsWith('eval.k'))).toBe(false);
  });
});
