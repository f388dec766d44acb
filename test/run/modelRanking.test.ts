import { describe, expect, it } from 'vitest';
import { rankModels } from '../../src/run/modelRanking.ts';
import { ClusterBootstrap } from '../../src/stats/bootstrap.ts';
import { Rng } from '../../src/util/rng.ts';

describe('rankModels', () => {
  const R = 400;
  const rng = Rng.fromSeed(4);
  const persons = Int32Array.from({ length: R }, (_, r) => r % 100);
  const boot = new ClusterBootstrap(persons, { seed: 1, replicates: 300 });
  const series = (mean: number) => Float64Array.from({ length: R }, () => (rng.float() < mean ? 1 : 0));
  // Offline: deep (0.5) > shallow (0.3) > pop (0.1). Served: shallow (0.3) > deep (0.15) > pop (0.1).
  const frozen = [series(0.1), series(0.5), series(0.3)];
  const served = { weekly: [frozen[0], series(0.15), frozen[2]] };
  const ranking = rankModels('hit@10', ['pop', 'deep', 'shallow'], frozen, served, boot);

  it('ranks by mean under each view', () => {
    expect(ranking.frozen.map((m) => m.model)).toEqual(['deep', 'shallow', 'pop']);
    expect(ranking.served.weekly.map((m) => m.model)).toEqual(['shallow', 'deep', 'pop']);
    expect(ranking.frozen[0].rank).toBe(1);
  });

  it('reports exactly the reversal, with paired differences and a significant test', () => {
    expect(ranking.reversals).toHaveLength(1);
    const r = ranking.reversals[0];
    expect([r.pipeline, r.offlineWinner, r.servedWinner]).toEqual(['weekly', 'deep', 'shallow']);
    expect(r.frozenDifference.mean).toBeGreaterThan(0);
    expect(r.servedDifference.mean).toBeLessThan(0);
    expect(r.servedDifference.hi).toBeLessThan(0);
    expect(r.pHolm).toBeLessThan(0.05);
  });

  it('reports no reversal when the served ranking agrees', () => {
    expect(rankModels('hit@10', ['pop', 'deep'], frozen.slice(0, 2), { same: frozen.slice(0, 2) }, boot).reversals).toEqual([]);
  });
});
