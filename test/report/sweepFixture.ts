// Small fixed sweep tables for the sweep chart golden tests: a refresh sweep (3 cadences x 2 models x 2
// pipelines; resolution quality constant, so no identity chart), a graph threshold sweep (resolution
// moves), and a two-axis sweep of refresh cadence x login rate (their interaction).
import type { SweepIdentity, SweepRow, SweepTable } from '../../src/results/sweep.ts';

const iv = (mean: number, half: number) => ({ mean, lo: mean - half, hi: mean + half });
/** Resolution quality with the given pairwise precision and recall (other rates derived, for shape only). */
const quality = (pairwisePrecision: number, pairwiseRecall: number): SweepIdentity => ({
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
  version: 'recgap.sweep/3',
  scenario: 'small',
  seed: 11,
  axes: [
    { path: 'pipelines.0.refresh', label: 'refresh cadence (pipeline weekly-batch)', kind: 'duration', values: ['1h', '1d', '7d'], order: ['1h', '1d', '7d'] },
  ],
  fixed: ['world.persons=600'],
  metric: 'ndcg@10',
  models: ['pop', 'knn'],
  pipelines: ['weekly-batch', 'streaming-oracle'],
  points: [
    { point: 0, settings: refresh('1h'), requests: 500, dir: 'points/0-1h' },
    { point: 1, settings: refresh('1d'), requests: 500, dir: 'points/1-1d' },
    { point: 2, settings: refresh('7d'), requests: 500, dir: 'points/2-7d' },
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
  version: 'recgap.sweep/3',
  scenario: 'small',
  seed: 11,
  axes: [
    {
      path: 'pipelines.1.graph.threshold',
      label: 'graph match threshold (pipeline graph)',
      kind: 'number',
      values: GRAPH.map((g) => g[0]),
      order: GRAPH.map((g) => g[0]),
    },
  ],
  fixed: [],
  metric: 'ndcg@10',
  models: ['pop', 'knn'],
  pipelines: ['keys', 'graph'],
  points: GRAPH.map(([v], point) => ({ point, settings: threshold(v), requests: 500, dir: `points/${point}-${v}` })),
  rows: GRAPH.flatMap(([v, p, r, served], point) => [
    row(point, threshold(v), 'pop', 'keys', 0.1, 0.1, KEY),
    row(point, threshold(v), 'pop', 'graph', 0.1, 0.1, quality(p, r)),
    row(point, threshold(v), 'knn', 'keys', 0.4, 0.27, KEY),
    row(point, threshold(v), 'knn', 'graph', 0.4, served, quality(p, r)),
  ]),
};

const CADENCES = ['1h', '1d', '7d'];
const LOGIN_RATES = ['0.1', '0.5', '0.9'];
/**
 * Refresh cadence x login rate: the weekly key pipeline loses more the slower it refreshes, and the login
 * rate changes nothing for it; the stitched pipeline loses less the more sessions log in, and its cadence
 * matters more when few do (an interaction).
 */
export const TWO_AXIS_SWEEP_FIXTURE: SweepTable = {
  version: 'recgap.sweep/3',
  scenario: 'small',
  seed: 11,
  axes: [
    { path: 'pipelines.1.refresh', label: 'refresh cadence (pipeline stitched)', kind: 'duration', values: CADENCES, order: CADENCES },
    { path: 'world.identity.loginRate', label: 'login rate', kind: 'number', values: LOGIN_RATES, order: LOGIN_RATES },
  ],
  fixed: [],
  metric: 'ndcg@10',
  models: ['pop', 'knn'],
  pipelines: ['weekly', 'stitched'],
  points: CADENCES.flatMap((c, i) =>
    LOGIN_RATES.map((l, j) => ({
      point: 3 * i + j,
      settings: { 'pipelines.1.refresh': c, 'world.identity.loginRate': l },
      requests: 500,
      dir: `points/${3 * i + j}-${c}_${l}`,
    })),
  ),
  rows: CADENCES.flatMap((c, i) =>
    LOGIN_RATES.flatMap((l, j) => {
      const settings = { 'pipelines.1.refresh': c, 'world.identity.loginRate': l };
      const stitchedGap = (0.02 + 0.03 * i) * (1.4 - j * 0.5);
      return [
        row(3 * i + j, settings, 'pop', 'weekly', 0.1, 0.1, KEY),
        row(3 * i + j, settings, 'pop', 'stitched', 0.1, 0.1, KEY),
        row(3 * i + j, settings, 'knn', 'weekly', 0.4, 0.3, KEY),
        row(3 * i + j, settings, 'knn', 'stitched', 0.4, Number((0.4 - stitchedGap).toFixed(4)), quality(0.99, 0.1 + 0.4 * j)),
      ];
    }),
  ),
};

/** Every combination of the axes' values, first axis slowest (as the sweep runs them). */
function gridOf(axes: SweepTable['axes']): Array<Record<string, string>> {
  let grid: Array<Record<string, string>> = [{}];
  for (const a of axes) grid = grid.flatMap((g) => a.values.map((v) => ({ ...g, [a.path]: v })));
  return grid;
}

/**
 * Three settings (six cadences given out of order x four drift rates x two world sizes), three models and
 * three pipelines: the widest charts a sweep draws. The gap grows with the cadence and the drift rate.
 */
export const THREE_AXIS_SWEEP_FIXTURE: SweepTable = (() => {
  const axes: SweepTable['axes'] = [
    {
      path: 'pipelines.0.refresh',
      label: 'refresh cadence (pipeline weekly-batch)',
      kind: 'duration',
      values: ['7d', '1h', '6h', '1d', '3d', '14d'],
      order: ['1h', '6h', '1d', '3d', '7d', '14d'],
    },
    { path: 'world.drift.kappa', label: 'drift rate (kappa)', kind: 'number', values: ['0', '0.25', '0.5', '1'], order: ['0', '0.25', '0.5', '1'] },
    { path: 'world.persons', label: 'persons', kind: 'number', values: ['2000', '5000'], order: ['2000', '5000'] },
  ];
  const pipelines = ['weekly-batch', 'daily-stitched', 'streaming-oracle'];
  const grid = gridOf(axes);
  const rows = grid.flatMap((settings, point) =>
    ['pop', 'knn', 'ease'].flatMap((model) =>
      pipelines.map((pipeline) => {
        const step = axes[0].order.indexOf(settings['pipelines.0.refresh']);
        const drift = axes[1].order.indexOf(settings['world.drift.kappa']);
        const gap = model === 'pop' || pipeline === 'streaming-oracle' ? 0 : (0.01 + 0.01 * step) * (1 + drift) * (pipeline === 'daily-stitched' ? 0.6 : 1);
        return row(point, settings, model, pipeline, 0.35, Number((0.35 - gap).toFixed(4)), pipeline === 'streaming-oracle' ? ORACLE : KEY);
      }),
    ),
  );
  return {
    version: 'recgap.sweep/3',
    scenario: 'quickstart',
    seed: 7,
    axes,
    fixed: [],
    metric: 'ndcg@10',
    models: ['pop', 'knn', 'ease'],
    pipelines,
    points: grid.map((settings, point) => ({ point, settings, requests: 500, dir: `points/${point}` })),
    rows,
  };
})();
