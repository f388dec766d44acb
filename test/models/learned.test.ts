// mf and gru4rec on a small clustered log: deterministic for a seed, no tensors left behind, progress
// reported, batch scoring equal to one-at-a-time scoring, and the cluster structure learned.
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../../src/tf/backend.ts';
import { fitMf, MF_DEFAULTS, type MfOptions } from '../../src/models/mf.ts';
import { fitGru4Rec, GRU_DEFAULTS, type GruOptions } from '../../src/models/gru4rec.ts';
import type { FitContext, Model } from '../../src/models/model.ts';
import { D, clusterLog, fitContext, profilesAt, scoreBatch, scoreEach } from './fixtures.ts';

const log = clusterLog(7);
const mfOpts: MfOptions = { ...MF_DEFAULTS, factors: 8, epochs: 4, batchSize: 256, negatives: 16, learningRate: 0.05 };
const gruOpts: GruOptions = { ...GRU_DEFAULTS, factors: 8, epochs: 4, batchSize: 128, negatives: 16, learningRate: 0.05, sequenceLength: 5 };
const fitters: Array<[string, (ctx: FitContext) => Model]> = [
  ['mf', (ctx) => fitMf('mf', ctx, mfOpts)],
  ['gru4rec', (ctx) => fitGru4Rec('gru', ctx, gruOpts)],
];
const profiles = profilesAt(log, 16 * D);

beforeAll(async () => {
  await initTf();
});

describe.each(fitters)('%s', (_type, fit) => {
  // Fitting dominates this file: fit once per seed, count tensors around the fits, and share the models.
  let first: Model;
  let again: Model;
  let other: Model;
  let tensorsBefore = 0;
  let tensorsAfterFits = 0;
  const lines: string[] = [];
  beforeAll(() => {
    tensorsBefore = tf.memory().numTensors;
    first = fit(fitContext(log, 14 * D, 1, (l) => lines.push(l)));
    again = fit(fitContext(log, 14 * D, 1));
    other = fit(fitContext(log, 14 * D, 2));
    tensorsAfterFits = tf.memory().numTensors;
  });

  it('gives identical scores for the same seed and different ones for another seed', () => {
    const a = scoreBatch(first, profiles);
    expect(scoreBatch(again, profiles)).toEqual(a);
    expect(scoreBatch(other, profiles)).not.toEqual(a);
  });

  it('leaves the tensor count unchanged after fitting (repeatedly) and after scoring', () => {
    expect(tensorsAfterFits).toBe(tensorsBefore);
    scoreBatch(first, profiles);
    scoreEach(again, profiles.slice(0, 5));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('reports one progress line per epoch with the loss', () => {
    expect(lines).toHaveLength(4);
    // The run prefixes the model's name.
    expect(lines[3]).toMatch(/^epoch 4\/4 loss \d+\.\d{4} \(\d+\.\d s\)$/);
    const loss = lines.map((l) => Number(/loss (\S+)/.exec(l)![1]));
    expect(loss[3]).toBeLessThan(loss[0]);
  });

  it('scores a batch exactly as one profile at a time', () => {
    const batch = scoreBatch(first, profiles);
    const each = scoreEach(first, profiles);
    for (let i = 0; i < batch.length; i++) expect(batch[i]).toBeCloseTo(each[i], 4);
    expect(first.dependsOn).toBe('events');
  });

  it("ranks the person's own cluster first", () => {
    const m = first;
    const s = scoreBatch(m, profiles);
    const n = m.nItems;
    // Items i0..i39 in 4 clusters of 10 (interned in order of first appearance, so map by name).
    const cluster = log.dict.item.map((id) => Math.floor(Number(id.slice(1)) / 10));
    let hits = 0;
    profiles.forEach((_, p) => {
      const row = s.subarray(p * n, (p + 1) * n);
      let best = 0;
      for (let i = 1; i < n; i++) if (row[i] > row[best]) best = i;
      if (cluster[best] === p % 4) hits++;
    });
    expect(hits / profiles.length).toBeGreaterThan(0.9);
  });
});
