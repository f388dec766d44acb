import { describe, expect, it } from 'vitest';
import { replay, type SourceResult } from '../../src/eval/replay.ts';
import { replayServed } from '../../src/eval/replayServed.ts';
import { frozenSource, viewIndexesOf } from '../../src/eval/viewSource.ts';
import { memoizable, ViewMemo } from '../../src/eval/viewMemo.ts';
import { groupEvents } from '../../src/log/groupIndex.ts';
import type { Model } from '../../src/models/model.ts';
import type { RunOutput } from '../../src/run/run.ts';
import { runSmall } from '../helpers.ts';

/** Every plain source of `run` replayed again without a memo, and without any model's sparse form. */
function replayPlain(run: RunOutput, models: readonly Model[], viewSeen?: Uint8Array): SourceResult[] {
  const { log, requests, configs } = run;
  const byPerson = groupEvents(log.person, log.dict.person.length);
  const indexOf = viewIndexesOf(log, byPerson);
  const ks = run.results.scenario.eval.ks;
  return [
    replay(log, requests, frozenSource(log, byPerson), models, { ks, viewSeen }),
    ...configs.map((cfg) => replayServed(log, requests, cfg, models, indexOf(cfg), { ks, viewSeen })),
  ];
}

const dense = (m: Model): Model => ({ ...m, sparse: undefined });
const PIPELINES = [
  '  - { name: weekly-batch, refresh: 7d, latency: 6h, identity: key }',
  '  - { name: daily-login, refresh: 1d, latency: 1h, identity: login }',
  '  - { name: stream-login, refresh: stream, latency: 0, identity: login }',
  '  - { name: stream-oracle, refresh: stream, latency: 0, identity: oracle }',
].join('\n');

describe('ViewMemo: rankings shared across sources', () => {
  for (const excludeSeen of ['false', 'view', 'person']) {
    it(`gives every source the tables it has without the memo (excludeSeen ${excludeSeen}, phase-averaged batches)`, async () => {
      const run = await runSmall({
        pipelines: PIPELINES,
        eval: `{ k: [10, 20], window: 5d, positives: [purchase, cart], bootstrap: 50, excludeSeen: ${excludeSeen} }`,
      });
      const viewSeen = excludeSeen === 'view' ? positives(run) : undefined;
      const reference = replayPlain(run, run.models.map(dense), viewSeen);
      expect(run.sources.length).toBe(reference.length);
      run.sources.forEach((s, i) => {
        s.metrics.forEach((t, m) => expect(t, `source ${i} model ${m}`).toEqual(reference[i].metrics[m]));
        expect(s.viewSize).toEqual(reference[i].viewSize);
        expect(s.ageMs).toEqual(reference[i].ageMs);
      });
    });
  }

  it('finds the streaming oracle view equal to the frozen view for every request', async () => {
    const run = await runSmall({ pipelines: PIPELINES });
    const { log, requests } = run;
    const byPerson = groupEvents(log.person, log.dict.person.length);
    const memo = new ViewMemo(requests.length, run.models);
    memo.begin();
    const ks = [10];
    memo.commit(replay(log, requests, frozenSource(log, byPerson), run.models, { ks, memo }));
    memo.begin();
    const oracle = run.configs.findIndex((c) => c.identity === 'oracle' && c.refresh.kind === 'stream');
    const src = frozenSource(log, byPerson);
    let same = 0;
    for (let r = 0; r < requests.length; r++)
      if (memo.record(r, src.view(requests.tsMs[r], requests.key[r], requests.person[r], requests.login[r]).events) === 0) same++;
    expect(oracle).toBeGreaterThanOrEqual(0);
    expect(same).toBe(requests.length);
  });

  it('tells a changed view apart: one event more, one less, or a different event', () => {
    const memo = new ViewMemo(1, []);
    memo.begin();
    memo.record(0, Int32Array.of(3, 5, 9));
    memo.commit({ metrics: [], ageMs: new Float64Array(1), viewSize: new Int32Array(1), unknownKey: new Uint8Array(1) });
    memo.begin();
    expect(memo.record(0, Int32Array.of(3, 5, 9))).toBe(0);
    expect(memo.record(0, Int32Array.of(3, 5, 9, 10))).toBe(-1);
    expect(memo.record(0, Int32Array.of(3, 5))).toBe(-1);
    expect(memo.record(0, Int32Array.of(3, 6, 9))).toBe(-1);
    expect(memo.record(0, Int32Array.of(5, 3, 9))).toBe(-1);
    expect(memo.record(0, new Int32Array(0))).toBe(-1);
  });

  it('shares only models whose ranking is a function of the view, scored profile by profile', async () => {
    const run = await runSmall({ pipelines: PIPELINES });
    const knn = run.models.find((m) => m.name === 'knn')!;
    const pop = run.models.find((m) => m.name === 'pop')!;
    expect(memoizable(knn)).toBe(true);
    expect(memoizable(pop)).toBe(true);
    expect(memoizable({ ...knn, dependsOn: 'request' })).toBe(false);
    // A batched scorer (TensorFlow.js, an external process) may round with its batch: never shared...
    expect(memoizable({ ...knn, scoreBatch: () => {} })).toBe(false);
    // ...unless its batch is a loop over profiles.
    expect(memoizable({ ...knn, scoreBatch: () => {}, perProfile: true })).toBe(true);
  });
});

function positives(run: RunOutput): Uint8Array {
  const mask = new Uint8Array(Math.max(256, run.log.dict.type.length));
  for (const t of run.results.scenario.eval.positives) mask[run.log.dict.type.indexOf(t)] = 1;
  return mask;
}
