// Small fixed sweep tables for the sweep chart golden tests: a refresh sweep (3 cadences x 2 models x 2
// pipelines; resolution quality constant, so no identity chart) and a graph threshold sweep (resolution moves).
import type { SweepIdentity, SweepRow, SweepTable } from '../../src/results/sweep.ts';

const iv = (mean: number, half: number) => ({ mean, lo: mean - half, hi: mean + half });
/** Resolution quality with the given pairwise precision and recall (other rates derived, for shape only). */
export const quality = (pairwisePrecision: number, pairwiseRecall: number): SweepIdentity => ({
  pairwisePrecision,
  pairwiseRecall,
  bcubedPrecision: (1 + pairwisePrecision) / 2,
  bcubedRecall: (1 + pairwiseRecall) / 2,
  purity: (3 + pairwisePrecision) / 4,
  coverage: (1 + pairwiseRecall) / 2,
  keysPerPerson: 2 - pairwiseRecall,
});
const row = (
  point: number,
  settings: Record<string, string>,
  model: string,
  pipeline: string,
  frozen: number,
  served: number,
  identity: SweepIdentity,
): SweepRow => ({
  point,
  settings,
  model,
  pipeline,
  metric: 'ndcg@10',
  frozen: iv(frozen, 0.01),
  served: iv(served, 0.01),
  gap: iv(frozen - served, 0.005),
  relativeGap: (frozen - served) / frozen,
  requests: 500,
  identity,
});

const KEY = quality(1, 0.05);
const ORACLE = quality(1, 1);
const refresh = (r: string) => ({ 'pipelines.0.refresh': r });

export const SWEEP_FIXTURE: SweepTable = {
  version: 'recgap.sweep/2',
  scenario: 'small',
  seed: 11,
  axes: [{ path: 'pipelines.0.refresh', values: ['1h', '1d', '7d'] }],
  fixed: ['world.persons=600'],
  metric: 'ndcg@10',
  models: ['pop', 'knn'],
  pipelines: ['weekly-batch', 'streaming-oracle'],
  points: [
    { point: 0, settings: refresh('1h'), requests: 500 },
    { point: 1, settings: refresh('1d'), requests: 500 },
    { point: 2, settings: refresh('7d'), requests: 500 },
  ],
  rows: [
    row(0, refresh('1h'), 'pop', 'weekly-batch', 0.1, 0.1, KEY),
    row(0, refresh('1h'), 'pop', 'streaming-oracle', 0.1, 0.1, ORACLE),
    row(0, refresh('1h'), 'knn', 'weekly-batch', 0.4, 0.33, KEY),
    row(0, refresh('1h'), 'knn', 'streaming-oracle', 0.4, 0.4, ORACLE),
    row(1, refresh('1d'), 'pop', 'weekly-batch', 0.1, 0.1, KEY),
    row(1, refresh('1d'), 'pop', 'streaming-oracle', 0.1, 0.1, ORACLE),
    row(1, refresh('1d'), 'knn', 'weekly-batch', 0.4, 0.31, KEY),
    row(1, refresh('1d'), 'knn', 'streaming-oracle', 0.4, 0.4, ORACLE),
    row(2, refresh('7d'), 'pop', 'weekly-batch', 0.1, 0.1, KEY),
    row(2, refresh('7d'), 'pop', 'streaming-oracle', 0.1, 0.1, ORACLE),
    row(2, refresh('7d'), 'knn', 'weekly-batch', 0.4, 0.27, KEY),
    row(2, refresh('7d'), 'knn', 'streaming-oracle', 0.4, 0.4, ORACLE),
  ],
};

const threshold = (v: string) => ({ 'pipelines.1.graph.threshold': v });
/** Graph pipeline at thresholds 0.5 (over-merges), 0.85, 0.97 (under-merges); the key pipeline as reference. */
const GRAPH: Array<[string, number, number, number]> = [
  ['0.5', 0.62, 0.81, 0.301],
  ['0.85', 0.93, 0.58, 0.334],
  ['0.97', 0.99, 0.37, 0.318],
];

export const THRESHOLD_SWEEP_FIXTURE: SweepTable = {
  version: 'recgap.sweep/2',
  scenario: 'small',
  seed: 11,
  axes: [{ path: 'pipelines.1.graph.threshold', values: GRAPH.map((g) => g[0]) }],
  fixed: [],
  metric: 'ndcg@10',
  models: ['pop', 'knn'],
  pipelines: ['keys', 'graph'],
  points: GRAPH.map(([v], point) => ({ point, settings: threshold(v), requests: 500 })),
  rows: GRAPH.flatMap(([v, p, r, served], point) => [
    row(point, threshold(v), 'pop', 'keys', 0.1, 0.1, KEY),
    row(point, threshold(v), 'pop', 'graph', 0.1, 0.1, quality(p, r)),
    row(point, threshold(v), 'knn', 'keys', 0.4, 0.27, KEY),
    row(point, threshold(v), 'knn', 'graph', 0.4, served, quality(p, r)),
  ]),
};
