// A small fixed sweep table (2 refresh cadences x 2 models x 2 pipelines) for the what-if golden test.
import type { SweepTable } from '../../src/run/sweep.ts';

const iv = (mean: number, half: number) => ({ mean, lo: mean - half, hi: mean + half });
const row = (point: number, refresh: string, model: string, pipeline: string, frozen: number, served: number) => ({
  point,
  settings: { 'pipelines.0.refresh': refresh },
  model,
  pipeline,
  metric: 'ndcg@10',
  frozen: iv(frozen, 0.01),
  served: iv(served, 0.01),
  gap: iv(frozen - served, 0.005),
  relativeGap: (frozen - served) / frozen,
  requests: 500,
});

export const SWEEP_FIXTURE: SweepTable = {
  version: 'recgap.sweep/1',
  scenario: 'small',
  seed: 11,
  axes: [{ path: 'pipelines.0.refresh', values: ['1h', '1d', '7d'] }],
  fixed: ['world.persons=600'],
  metric: 'ndcg@10',
  models: ['pop', 'knn'],
  pipelines: ['weekly-batch', 'streaming-oracle'],
  points: [
    { point: 0, settings: { 'pipelines.0.refresh': '1h' }, requests: 500 },
    { point: 1, settings: { 'pipelines.0.refresh': '1d' }, requests: 500 },
    { point: 2, settings: { 'pipelines.0.refresh': '7d' }, requests: 500 },
  ],
  rows: [
    row(0, '1h', 'pop', 'weekly-batch', 0.1, 0.1),
    row(0, '1h', 'pop', 'streaming-oracle', 0.1, 0.1),
    row(0, '1h', 'knn', 'weekly-batch', 0.4, 0.33),
    row(0, '1h', 'knn', 'streaming-oracle', 0.4, 0.4),
    row(1, '1d', 'pop', 'weekly-batch', 0.1, 0.1),
    row(1, '1d', 'pop', 'streaming-oracle', 0.1, 0.1),
    row(1, '1d', 'knn', 'weekly-batch', 0.4, 0.31),
    row(1, '1d', 'knn', 'streaming-oracle', 0.4, 0.4),
    row(2, '7d', 'pop', 'weekly-batch', 0.1, 0.1),
    row(2, '7d', 'pop', 'streaming-oracle', 0.1, 0.1),
    row(2, '7d', 'knn', 'weekly-batch', 0.4, 0.27),
    row(2, '7d', 'knn', 'streaming-oracle', 0.4, 0.4),
  ],
};
