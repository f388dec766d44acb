// The shipped scenarios parse, and run (at reduced scale) with the story they tell.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { loadScenario } from '../../src/scenario/load.ts';
import { runScenario } from '../../src/run/run.ts';
import { silentReporter } from '../../src/util/progress.ts';

const dir = new URL('../../scenarios/', import.meta.url).pathname;
const files = [...readdirSync(dir).filter((f) => f.endsWith('.yaml')), ...readdirSync(dir + 'real').map((f) => `real/${f}`)];

describe('shipped scenarios', () => {
  it.each(files)('%s parses', async (f) => {
    const s = loadScenario(dir + f);
    expect(s.models.length).toBeGreaterThan(0);
    // Real-data scenarios read from data/ (documented, never shipped).
    if (f.startsWith('real/')) expect(s.log!.data.path).toContain('/data/');
  });

  it('quickstart at reduced scale: weekly key-level serving loses to daily stitching, which loses to streaming', async () => {
    const s = loadScenario(dir + 'quickstart.yaml', ['world.persons=2500', 'eval.bootstrap=200']);
    const r = (await runScenario(s, { reporter: silentReporter() })).results;
    const served = (p: string) => r.results.find((x) => x.model === 'knn' && x.pipeline === p)!.metrics['ndcg@10'];
    expect(served('weekly-batch').gap.lo).toBeGreaterThan(0);
    expect(served('weekly-batch').served.mean).toBeLessThan(served('daily-stitched').served.mean);
    expect(served('daily-stitched').served.mean).toBeLessThan(served('streaming-oracle').served.mean);
    expect(served('streaming-oracle').gap.mean).toBe(0);
    const weekly = r.results.find((x) => x.model === 'knn' && x.pipeline === 'weekly-batch')!;
    expect(weekly.decomposition.byMetric['ndcg@10'].shares.identity!.lo).toBeGreaterThan(0);
    expect(weekly.decomposition.byMetric['ndcg@10'].shares.staleness!.lo).toBeGreaterThan(0);
    // The model beats popularity offline.
    const pop = r.results.find((x) => x.model === 'pop' && x.pipeline === 'weekly-batch')!.metrics['ndcg@10'].frozen;
    expect(weekly.metrics['ndcg@10'].frozen.lo).toBeGreaterThan(pop.hi);
  });

  it('control at reduced scale: no fragmentation means identity explains nothing', async () => {
    const s = loadScenario(dir + 'control.yaml', ['world.persons=2500', 'eval.bootstrap=0']);
    const r = (await runScenario(s, { reporter: silentReporter() })).results;
    expect(r.counts.keys).toBe(r.counts.persons);
    for (const res of r.results) {
      for (const m of Object.values(res.decomposition.byMetric)) if (m.shares.identity) expect(m.shares.identity.mean).toBe(0);
    }
  });
});
