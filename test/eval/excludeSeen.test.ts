// excludeSeen modes: under 'view' each view leaves out the items of the positive events it holds, under
// 'person' every view leaves out all the person's positives before t; labels are the same in both.
import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../src/log/eventLog.ts';
import { groupEvents, lowerBoundTime } from '../../src/log/groupIndex.ts';
import { buildRequests, positiveMask } from '../../src/eval/requests.ts';
import { replay } from '../../src/eval/replay.ts';
import { frozenSource, servedSource } from '../../src/eval/viewSource.ts';
import { buildViewIndexes } from '../../src/pipeline/servedView.ts';
import { fitPopularity } from '../../src/models/popularity.ts';
import type { Model } from '../../src/models/model.ts';
import type { ExcludeSeen } from '../../src/scenario/types.ts';
import type { ServingConfig } from '../../src/pipeline/serving.ts';
import { Rng } from '../../src/util/rng.ts';
import { runSmall } from '../helpers.ts';

const D = 86_400_000;
// Items are interned in order of first appearance: i1=0 .. i5=4. Before the 11.5d split the purchases
// are i1 x4 (C x3, A), i2 x3 (C x2, A), i3 x1 (C): popularity ranks [i1, i2, i3, i4, i5].
// A bought i1 on key a at 5d (before the 10d refresh cut) and i2 on key a2 at 11d (after it).
const log = logFromRows([
  { t: 1 * D, person: 'C', key: 'c', item: 'i1', type: 'purchase', session: 0 },
  { t: 1.1 * D, person: 'C', key: 'c', item: 'i2', type: 'purchase', session: 0 },
  { t: 1.2 * D, person: 'C', key: 'c', item: 'i3', type: 'purchase', session: 0 },
  { t: 1.3 * D, person: 'C', key: 'c', item: 'i4', type: 'view', session: 0 },
  { t: 1.4 * D, person: 'C', key: 'c', item: 'i5', type: 'view', session: 0 },
  { t: 2 * D, person: 'C', key: 'c', item: 'i1', type: 'purchase', session: 1 },
  { t: 2.1 * D, person: 'C', key: 'c', item: 'i2', type: 'purchase', session: 1 },
  { t: 3 * D, person: 'C', key: 'c', item: 'i1', type: 'purchase', session: 2 },
  { t: 5 * D, person: 'A', key: 'a', item: 'i1', type: 'purchase', session: 3 },
  { t: 11 * D, person: 'A', key: 'a2', item: 'i2', type: 'purchase', session: 4 },
  // Requests: A on key a at 12d (buys i3, i1 again, i4), B on key b at 12.5d (buys i2).
  { t: 12 * D, person: 'A', key: 'a', item: 'i3', type: 'view', session: 5 },
  { t: 12.1 * D, person: 'A', key: 'a', item: 'i3', type: 'purchase', session: 5 },
  { t: 12.2 * D, person: 'A', key: 'a', item: 'i1', type: 'purchase', session: 5 },
  { t: 12.3 * D, person: 'A', key: 'a', item: 'i4', type: 'purchase', session: 5 },
  { t: 12.5 * D, person: 'B', key: 'b', item: 'i2', type: 'view', session: 6 },
  { t: 12.6 * D, person: 'B', key: 'b', item: 'i2', type: 'purchase', session: 6 },
  { t: 20 * D, person: 'C', key: 'c', item: 'i5', type: 'view', session: 7 },
]);
const isPositive = new Uint8Array(256);
isPositive[log.dict.type.indexOf('purchase')] = 1;
const untilMs = 11.5 * D;
const windowMs = 3 * D;
const byPerson = groupEvents(log.person, log.dict.person.length);
const pop = fitPopularity('pop', { log, untilMs, trainBound: lowerBoundTime(log.tsMs, untilMs), isPositive, trainByPerson: byPerson, rng: Rng.fromSeed(1) });
// Key-level weekly-batch-like pipeline: cuts every 10d from 0, no latency; at 12d the cut is 10d.
const keyLevel: ServingConfig = { refresh: { kind: 'batch', cadenceMs: 10 * D }, latencyMs: 0, identity: 'key', channels: null, originMs: 0, retrainMs: null };
const names = (items: Int32Array) => [...items].map((i) => log.dict.item[i]);

/** Per-request metric rows (K = 1, 3) of popularity through the frozen and the key-level served view. */
function run(mode: ExcludeSeen, model: Model = pop) {
  const req = buildRequests(log, { untilMs, windowMs, isPositive, excludeSeen: mode });
  const opts = { ks: [1, 3], viewSeen: mode === 'view' ? isPositive : undefined };
  const rows = (t: Float32Array) => [0, 1].map((r) => [...t.subarray(r * 8, r * 8 + 8)]);
  const frozen = replay(log, req, frozenSource(log, byPerson), [model], opts);
  const served = replay(log, req, servedSource(log, keyLevel, buildViewIndexes(log, null)), [model], opts);
  return { req, frozen: rows(frozen.metrics[0]), served: rows(served.metrics[0]), servedSize: [...served.viewSize] };
}

const l2 = (r: number) => 1 / Math.log2(r + 1);
/** [ndcg, hit, recall, mrr] at K = 1 then K = 3. */
const close = (got: number[][], want: number[][]) => want.forEach((row, r) => row.forEach((v, c) => expect(got[r][c]).toBeCloseTo(v, 6)));

describe('excludeSeen modes', () => {
  it('labels are the same under view and person: purchases in [t, t + W) minus those before t', () => {
    const none = buildRequests(log, { untilMs, windowMs, isPositive, excludeSeen: 'none' });
    const view = buildRequests(log, { untilMs, windowMs, isPositive, excludeSeen: 'view' });
    const person = buildRequests(log, { untilMs, windowMs, isPositive, excludeSeen: 'person' });
    // Candidates: A at 12d, B at 12.5d, C at 20d (censored: 23d is past the end).
    for (const r of [none, view, person]) expect(r.counts).toEqual({ candidates: 3, censored: 1, noLabels: 0, requests: 2, persons: 2 });
    expect(names(none.labelItems.subarray(none.labelOffsets[0], none.labelOffsets[1]))).toEqual(['i1', 'i3', 'i4']);
    // A bought i1 (5d) and i2 (11d) before 12d: i1 leaves the labels in both modes.
    expect(names(view.labelItems.subarray(view.labelOffsets[0], view.labelOffsets[1]))).toEqual(['i3', 'i4']);
    expect(view.labelItems).toEqual(person.labelItems);
    expect(view.labelOffsets).toEqual(person.labelOffsets);
    expect(names(view.labelItems.subarray(view.labelOffsets[1], view.labelOffsets[2]))).toEqual(['i2']);
    // Only 'person' lists the items per request; 'view' masks each view's own events in the replay.
    expect(view.seenOffsets).toBeNull();
    expect(view.seenItems).toBeNull();
    expect([...person.seenOffsets!]).toEqual([0, 2, 2]);
    expect(names(person.seenItems!)).toEqual(['i1', 'i2']);
  });

  it("view: the frozen view excludes both of A's purchases, the key-level view only the one it holds", () => {
    const { frozen, served, servedSize } = run('view');
    // Served view of A (key a, events before the 10d cut) = { i1 purchase at 5d }; B's is empty.
    expect(servedSize).toEqual([1, 0]);
    // A, labels {i3, i4}. Frozen: i1 and i2 excluded -> [i3, i4, i5]: every metric 1 at K = 1 and 3.
    // Served: only i1 excluded -> [i2, i3, i4]: nothing at K = 1; at K = 3 hits at ranks 2 and 3,
    // ndcg (l2(2) + l2(3)) / (1 + l2(2)), hit 1, recall 2 / 2, mrr 1/2.
    // B, labels {i2}, excludes nothing in either view -> [i1, i2, i3]: nothing at K = 1; at K = 3
    // i2 at rank 2: ndcg l2(2), hit 1, recall 1, mrr 1/2.
    const b = [0, 0, 0, 0, l2(2), 1, 1, 1 / 2];
    close(frozen, [[1, 1, 1, 1, 1, 1, 1, 1], b]);
    close(served, [[0, 0, 0, 0, (l2(2) + l2(3)) / (1 + l2(2)), 1, 1, 1 / 2], b]);
  });

  it("person: every view excludes all of A's purchases before t", () => {
    const { frozen, served } = run('person');
    const b = [0, 0, 0, 0, l2(2), 1, 1, 1 / 2];
    // Both views rank [i3, i4, i5] for A: the key-level gap of A vanishes.
    close(frozen, [[1, 1, 1, 1, 1, 1, 1, 1], b]);
    close(served, [[1, 1, 1, 1, 1, 1, 1, 1], b]);
  });

  it('none: nothing is excluded, labels keep what A bought again', () => {
    const { frozen, served } = run('none');
    // A, labels {i1, i3, i4}, both views rank [i1, i2, i3]: K = 1 all 1; K = 3 hits at ranks 1 and 3,
    // ndcg (1 + l2(3)) / (1 + l2(2) + l2(3)), hit 1, recall 2/3, mrr 1.
    const a = [1, 1, 1, 1, (1 + l2(3)) / (1 + l2(2) + l2(3)), 1, 2 / 3, 1];
    const b = [0, 0, 0, 0, l2(2), 1, 1, 1 / 2];
    close(frozen, [a, b]);
    close(served, [a, b]);
  });

  // Rankings are computed a chunk of requests at a time; sharing across chunks needs a larger log.
  it("shares rankings only where they are equal: view per (cut, cluster), person never; frozen view is person's", async () => {
    const small = await runSmall({
      eval: '{ k: [10, 20], window: 5d, positives: [purchase], excludeSeen: view, bootstrap: 0 }',
      pipelines: '  - { name: daily, refresh: 1d, latency: 1h, identity: login, origin: 2024-01-01T00:00:00Z }',
    });
    const { log: slog, requests, models } = small;
    const sIsPositive = positiveMask(slog, ['purchase']);
    const uncached = models.map((m): Model => ({ ...m, dependsOn: 'request', score: (p, o) => m.score(p, o) }));
    const cfg: ServingConfig = {
      refresh: { kind: 'batch', cadenceMs: D },
      latencyMs: 36e5,
      identity: 'login',
      channels: null,
      originMs: Math.floor(slog.tsMs[0] / D) * D,
      retrainMs: null,
    };
    const idx = buildViewIndexes(slog, null);
    const opts = { ks: [10, 20], viewSeen: sIsPositive };
    const shared = replay(slog, requests, servedSource(slog, cfg, idx), models, opts);
    const alone = replay(slog, requests, servedSource(slog, cfg, idx), uncached, opts);
    shared.metrics.forEach((t, m) => expect(t).toEqual(alone.metrics[m]));
    expect(shared.metrics[1]).toEqual(small.sources[small.plans[0].source].metrics[1]);
    // The frozen view holds all the person's positives before t: 'view' there is 'person'.
    const sByPerson = groupEvents(slog.person, slog.dict.person.length);
    const personReq = buildRequests(slog, { untilMs: small.results.config.untilMs, windowMs: 5 * D, isPositive: sIsPositive, excludeSeen: 'person' });
    const asPerson = replay(slog, personReq, frozenSource(slog, sByPerson), models, { ks: [10, 20] });
    expect(personReq.length).toBe(requests.length);
    asPerson.metrics.forEach((t, m) => expect(t).toEqual(small.sources[0].metrics[m]));
    // Under person a view's ranking depends on the person too: the profile-free popularity included.
    const personShared = replay(slog, personReq, servedSource(slog, cfg, idx), models, { ks: [10, 20] });
    const personAlone = replay(slog, personReq, servedSource(slog, cfg, idx), uncached, { ks: [10, 20] });
    personShared.metrics.forEach((t, m) => expect(t).toEqual(personAlone.metrics[m]));
  });
});
