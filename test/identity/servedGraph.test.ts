import { describe, expect, it } from 'vitest';
import { buildViewIndexes, ServedViews } from '../../src/pipeline/servedView.ts';
import type { ServingConfig } from '../../src/pipeline/serving.ts';
import { buildRequests } from '../../src/eval/requests.ts';
import { resolutionQuality } from '../../src/pipeline/resolutionQuality.ts';
import type { IdentityResolver } from '../../src/scenario/types.ts';
import { runSmall } from '../helpers.ts';
import { D, smallWorld } from './fixtures.ts';

describe('served views with identity: graph', () => {
  const { log } = smallWorld(1000);
  const isPositive = new Uint8Array(256);
  isPositive[log.dict.type.indexOf('purchase')] = 1;
  const requests = buildRequests(log, { untilMs: log.tsMs[0] + 20 * D, windowMs: 5 * D, isPositive, excludeSeen: 'none' });
  const config = (identity: IdentityResolver, refresh: ServingConfig['refresh'] = { kind: 'batch', cadenceMs: D }): ServingConfig => ({
    refresh,
    latencyMs: refresh.kind === 'stream' ? 0 : 3_600_000,
    identity,
    channels: null,
    originMs: Math.floor(log.tsMs[0] / D) * D,
    retrainMs: null,
  });

  it("serves the visible events of the request key, its linked keys and its login's cluster only (invariant 6)", () => {
    for (const refresh of [{ kind: 'batch' as const, cadenceMs: D }, { kind: 'stream' as const }]) {
      const views = new ServedViews(log, config('graph', refresh), buildViewIndexes(log, null));
      let merged = 0;
      for (let r = 0; r < requests.length; r++) {
        const v = views.view(requests.tsMs[r], requests.key[r], requests.person[r], requests.login[r]);
        const members = new Set<number>();
        views.identity!.forEachMember(requests.key[r], (k) => members.add(k));
        if (members.size > 1) merged++;
        // The cluster of the login the request carries, as of the cut, is served too.
        const anchor = requests.login[r] >= 0 ? views.identity!.loginKey!(requests.login[r]) : -1;
        if (anchor >= 0) views.identity!.forEachMember(anchor, (k) => members.add(k));
        for (const e of v.events) {
          if (!(log.tsMs[e] < v.cutMs)) throw new Error('served an event at or after its cut');
          if (!members.has(log.key[e])) throw new Error('served an event of an unlinked key');
        }
      }
      expect(merged).toBeGreaterThan(requests.length / 10);
    }
  });

  it('covers more of the person than key or login, at a purity close to theirs', () => {
    const q = (identity: IdentityResolver) => resolutionQuality(log, config(identity), requests);
    const key = q('key');
    const login = q('login');
    const graph = q('graph');
    expect(graph.coverage).toBeGreaterThan(login.coverage);
    expect(login.coverage).toBeGreaterThan(key.coverage);
    expect(graph.purity).toBeGreaterThan(0.97);
    expect(graph.pairwisePrecision).toBeGreaterThan(0.85);
  });
});

describe('a run with a graph pipeline', () => {
  it('evaluates it end to end, its decomposition included', async () => {
    const run = await runSmall({
      persons: 800,
      models: '[ { name: knn, type: itemknn } ]',
      eval: '{ k: [10], window: 5d, bootstrap: 50 }',
      pipelines: [
        '  - { name: keys, refresh: 1d, latency: 1h, identity: key }',
        '  - { name: graph, refresh: 1d, latency: 1h, identity: graph, graph: { threshold: 0.8 } }',
      ].join('\n'),
    });
    const graph = run.results.results.find((r) => r.pipeline === 'graph')!;
    expect(graph.decomposition.factors).toEqual(['staleness', 'identity']);
    const served = graph.metrics['ndcg@10'].served.mean;
    expect(Number.isFinite(served)).toBe(true);
    const gap = graph.metrics['ndcg@10'].gap.mean;
    const shares = graph.decomposition.byMetric['ndcg@10'].shares;
    expect(shares.staleness!.mean + shares.identity!.mean).toBeCloseTo(gap, 9);
  });
});
