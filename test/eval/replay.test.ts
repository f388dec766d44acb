import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../src/log/eventLog.ts';
import { groupEvents, lowerBoundTime } from '../../src/log/groupIndex.ts';
import { buildRequests } from '../../src/eval/requests.ts';
import { replay } from '../../src/eval/replay.ts';
import { frozenSource, servedSource } from '../../src/eval/viewSource.ts';
import { buildViewIndexes } from '../../src/pipeline/servedView.ts';
import { fitPopularity } from '../../src/models/popularity.ts';
import type { Model } from '../../src/models/model.ts';
import { Rng } from '../../src/util/rng.ts';
import { runSmall } from '../helpers.ts';

const D = 86_400_000;

describe('replay', () => {
  it('scores hand-computed metrics through the frozen view', async () => {
    // Before the 9d split only i1 was bought, so popularity ranks [i1, i2, i3, i4] (ties by index).
    const log = logFromRows([
      { t: 1 * D, person: 'A', key: 'a', item: 'i1', type: 'purchase', session: 0 },
      { t: 2 * D, person: 'B', key: 'b', item: 'i2', type: 'view', session: 1 },
      { t: 2.1 * D, person: 'B', key: 'b', item: 'i3', type: 'view', session: 1 },
      { t: 2.2 * D, person: 'B', key: 'b', item: 'i4', type: 'view', session: 1 },
      { t: 10 * D, person: 'A', key: 'a', item: 'i3', type: 'purchase', session: 2 },
      { t: 11 * D, person: 'B', key: 'b', item: 'i2', type: 'purchase', session: 3 },
      { t: 11.1 * D, person: 'B', key: 'b', item: 'i1', type: 'purchase', session: 3 },
      { t: 20 * D, person: 'B', key: 'b', item: 'i4', type: 'view', session: 4 },
    ]);
    const isPositive = new Uint8Array(256);
    isPositive[log.dict.type.indexOf('purchase')] = 1;
    const untilMs = 9 * D;
    const byPerson = groupEvents(log.person, log.dict.person.length);
    const pop = fitPopularity('pop', {
      log,
      untilMs,
      trainBound: lowerBoundTime(log.tsMs, untilMs),
      isPositive,
      trainByPerson: byPerson,
      rng: Rng.fromSeed(1),
    });
    const req = buildRequests(log, { untilMs, windowMs: 3 * D, isPositive, excludeSeen: 'none' });
    const res = replay(log, req, frozenSource(log, byPerson), [pop], { ks: [1, 3] });
    const l2 = (r: number) => 1 / Math.log2(r + 1);
    // Request 0 (A at 10d), labels {i3}: i3 at rank 3. K=1: nothing. K=3: ndcg 1/log2(4) / 1, hit 1, recall 1, mrr 1/3.
    // Request 1 (B at 11d), labels {i1, i2}: ranks 1 and 2. K=1: all 1 (recall 1/min(1,2) = 1). K=3: ndcg (1 + l2(2)) / (1 + l2(2)) = 1, recall 2/2, mrr 1.
    const expected = [
      [0, 0, 0, 0, l2(3), 1, 1, 1 / 3],
      [1, 1, 1, 1, 1, 1, 1, 1],
    ];
    expect(req.length).toBe(2);
    for (let r = 0; r < 2; r++) expected[r].forEach((v, c) => expect(res.metrics[0][r * 8 + c]).toBeCloseTo(v, 6));
    // Signal age of the frozen view: A's newest event before 10d is at 1d; B's before 11d at 2.2d.
    expect([...res.ageMs]).toEqual([9 * D, 11 * D - 2.2 * D]);
    expect([...res.viewSize]).toEqual([1, 3]);
  });

  it('shares rankings per (cut, cluster) without changing any result', async () => {
    const run = await runSmall({ pipelines: '  - { name: daily, refresh: 1d, latency: 1h, identity: login, origin: 2024-01-01T00:00:00Z }' });
    const { log, requests } = run;
    const knn = run.models.find((m) => m.name === 'knn')!;
    // The same model declared request-dependent is never cached.
    const uncached: Model = { ...knn, dependsOn: 'request', score: (p, o) => knn.score(p, o) };
    const cfg = {
      refresh: { kind: 'batch' as const, cadenceMs: D },
      latencyMs: 36e5,
      identity: 'login' as const,
      channels: null,
      originMs: Math.floor(log.tsMs[0] / D) * D,
      retrainMs: null,
    };
    const idx = buildViewIndexes(log, null);
    const a = replay(log, requests, servedSource(log, cfg, idx), [knn], { ks: [10, 20] });
    const b = replay(log, requests, servedSource(log, cfg, idx), [uncached], { ks: [10, 20] });
    expect(a.metrics[0]).toEqual(b.metrics[0]);
    expect(a.metrics[0]).toEqual(run.sources[run.plans[0].source].metrics[1]);
  });
});
