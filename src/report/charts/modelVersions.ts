// Model versions, frozen vs served: a slope chart of each model's score offline and under each pipeline.
// Lines that cross are rank reversals: the version that wins offline loses when served.
import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/results.ts';
import { fmtSmall, r6 } from '../format.ts';
import { OFFLINE_LABEL, topLevel, WIDTH } from './theme.ts';

/**
 * x = offline, then each pipeline; y = the primary metric; one line per model, labelled at both ends.
 *
 * @example
 * modelVersionsChart(results)
 */
export function modelVersionsChart(results: Results): TopLevelSpec {
  const ranking = results.modelRanking;
  const views = [OFFLINE_LABEL, ...results.pipelines.map((p) => p.name)];
  const last = views[views.length - 1];
  const rows: Array<Record<string, unknown>> = [];
  for (const m of ranking.frozen) rows.push({ model: m.model, view: OFFLINE_LABEL, mean: r6(m.mean), rank: m.rank, labelLeft: true, labelRight: false });
  for (const p of results.pipelines) {
    for (const m of ranking.served[p.name] ?? [])
      rows.push({ model: m.model, view: p.name, mean: r6(m.mean), rank: m.rank, labelLeft: false, labelRight: p.name === last });
  }
  const reversals = ranking.reversals.map(
    (r) =>
      `Under ${r.pipeline}: ${r.offlineWinner} beats ${r.servedWinner} offline by ${fmtSmall(r.frozenDifference.mean)} but loses served by ${fmtSmall(-r.servedDifference.mean)} (Holm p = ${Number.isFinite(r.pHolm) ? r.pHolm.toPrecision(2) : 'n/a'}).`,
  );
  const x = { field: 'view', type: 'nominal', sort: views, title: null, axis: { labelAngle: 0, labelLimit: 200 } };
  const y = { field: 'mean', type: 'quantitative', title: ranking.metric };
  const color = { field: 'model', type: 'nominal', sort: results.models.map((m) => m.name), title: 'model' };
  return topLevel(
    {
      data: { values: rows },
      width: Math.max(WIDTH, 160 * views.length),
      height: 240,
      layer: [
        // A dashed rule at each pipeline under which the offline order reverses (crossings can be tiny).
        {
          data: { values: [...new Set(ranking.reversals.map((r) => r.pipeline))].map((p) => ({ view: p, note: 'rank reversal' })) },
          layer: [
            { mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3], strokeWidth: 1.5 }, encoding: { x } },
            { mark: { type: 'text', color: '#e45756', fontSize: 10, dy: -6, baseline: 'bottom' }, encoding: { x, y: { value: 0 }, text: { field: 'note' } } },
          ],
        },
        { mark: { type: 'line', point: { filled: true, size: 50 } }, encoding: { x, y, color } },
        {
          transform: [{ filter: { field: 'labelLeft', equal: true } }],
          mark: { type: 'text', align: 'right', dx: -8, fontSize: 10 },
          encoding: { x, y, color, text: { field: 'model' } },
        },
        {
          transform: [{ filter: { field: 'labelRight', equal: true } }],
          mark: { type: 'text', align: 'left', dx: 8, fontSize: 10 },
          encoding: { x, y, color, text: { field: 'model' } },
        },
      ],
    },
    {
      title: `Model versions offline vs served (${ranking.metric})`,
      subtitle: reversals.length
        ? ['Crossing lines are rank reversals:', ...reversals]
        : ['No rank reversal: every pipeline keeps the offline order of the models.'],
    },
  );
}
