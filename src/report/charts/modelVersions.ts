// Model versions, frozen vs served: a slope chart of each model's score offline and under each pipeline.
// Lines that cross are rank reversals: the version that wins offline loses when served.
import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/results.ts';
import { fmtSmall, r6 } from '../format.ts';
import { MAX_PLOT_WIDTH, OFFLINE_LABEL, topLevel } from './theme.ts';
import { dodgeLabels } from './labelDodge.ts';

/**
 * x = offline, then each pipeline; y = the primary metric with each score's interval; one line per model,
 * labelled at both ends (labels moved apart where lines end close together).
 *
 * @example
 * modelVersionsChart(results)
 */
export function modelVersionsChart(results: Results): TopLevelSpec {
  const ranking = results.modelRanking;
  const metric = ranking.metric;
  const views = [OFFLINE_LABEL, ...results.pipelines.map((p) => p.name)];
  const models = results.models.map((m) => m.name);
  const rows: Array<Record<string, unknown>> = [];
  // Each model sits a little apart within a view (x = view index + a small offset per model), so equal
  // scores and their bars do not hide each other.
  const add = (model: string, view: string, i: { mean: number; lo: number; hi: number }) => {
    const ci = Number.isFinite(i.lo) && Number.isFinite(i.hi);
    const at = views.indexOf(view) + (models.indexOf(model) - (models.length - 1) / 2) * OFFSET;
    rows.push({ model, view, at: r6(at), mean: r6(i.mean), lo: ci ? r6(i.lo) : null, hi: ci ? r6(i.hi) : null });
  };
  for (const m of models) {
    const own = results.results.filter((r) => r.model === m);
    if (!own.length) continue;
    add(m, OFFLINE_LABEL, own[0].metrics[metric].frozen);
    for (const r of own) add(m, r.pipeline, r.metrics[metric].served);
  }
  // An explicit y domain, so labels can be moved apart in pixels before Vega draws them.
  const top = niceCeil(Math.max(0, ...rows.map((r) => ((r.hi ?? r.mean) as number | null) ?? 0)) * 1.05);
  const labels = [...endLabels(rows, OFFLINE_LABEL, [0, top], 'left'), ...endLabels(rows, views[views.length - 1], [0, top], 'right')];
  const claimed = ranking.reversals.filter((r) => r.claimed);
  const reversals = claimed.map(
    (r) =>
      `Under ${r.pipeline}: ${r.offlineWinner} beats ${r.servedWinner} offline by ${fmtSmall(r.frozenDifference.mean)} but loses served by ${fmtSmall(-r.servedDifference.mean)} (Holm p ${Number.isFinite(r.frozenPHolm) ? r.frozenPHolm.toPrecision(2) : 'n/a'} and ${Number.isFinite(r.pHolm) ? r.pHolm.toPrecision(2) : 'n/a'}).`,
  );
  const level = Math.round(results.config.level * 100);
  const step = Math.max(MIN_VIEW_STEP, Math.min(MAX_VIEW_STEP, Math.floor(MAX_PLOT_WIDTH / views.length)));
  const labelExpr = `[${views.map((v) => JSON.stringify(v)).join(', ')}][datum.value]`;
  const x = {
    field: 'at',
    type: 'quantitative',
    title: null,
    scale: { domain: [-0.5, views.length - 0.5], nice: false, zero: false },
    axis: { values: views.map((_, i) => i), labelExpr, labelAngle: 0, labelLimit: step - 4, labelFlush: false, labelOverlap: false, grid: false },
  };
  const y = { field: 'mean', type: 'quantitative', title: `${metric} (mean, ${level}% interval)`, scale: { domain: [0, top], nice: false } };
  const color = { field: 'model', type: 'nominal', sort: models, title: 'model' };
  return topLevel(
    {
      width: step * views.length,
      height: HEIGHT,
      layer: [
        // A dashed rule at each pipeline under which the offline order reverses (crossings can be tiny).
        {
          data: { values: [...new Set(claimed.map((r) => r.pipeline))].map((p) => ({ at: views.indexOf(p), note: 'rank reversal' })) },
          layer: [
            { mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3], strokeWidth: 1.5 }, encoding: { x: { ...x, field: 'at' } } },
            { mark: { type: 'text', color: '#e45756', fontSize: 10, dy: -6, baseline: 'bottom' }, encoding: { x, y: { value: 0 }, text: { field: 'note' } } },
          ],
        },
        {
          data: { values: rows },
          layer: [
            { mark: { type: 'line', strokeWidth: 1.5, opacity: 0.8 }, encoding: { x, y, color } },
            { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
            { mark: { type: 'point', filled: true, size: 40, opacity: 1 }, encoding: { x, y, color } },
          ],
        },
        {
          data: { values: labels },
          layer: (['left', 'right'] as const).map((side) => ({
            transform: [{ filter: { field: 'side', equal: side } }],
            mark: { type: 'text', align: side === 'left' ? 'right' : 'left', dx: side === 'left' ? -LABEL_DX : LABEL_DX, fontSize: 10, baseline: 'middle' },
            encoding: { x, y: { field: 'labelAt', type: 'quantitative' }, color, text: { field: 'model' } },
          })),
        },
      ],
    },
    {
      title: `Model versions offline vs served (${metric})`,
      subtitle: [
        ...(reversals.length
          ? ['Rank reversals (both differences significant):', ...reversals]
          : [
              ranking.reversals.length
                ? 'No significant rank reversal: where lines cross, the difference is not significant offline or served.'
                : 'No rank reversal: every pipeline keeps the offline order of the models.',
            ]),
        `Bars: ${level}% person-clustered intervals of each score; whether two models differ is in the paired table below.`,
      ],
    },
  );
}

const HEIGHT = 260;
/** Px per view on the x axis: wide enough for a pipeline name, narrow enough for many pipelines. */
const MIN_VIEW_STEP = 110;
const MAX_VIEW_STEP = 190;
/** Px between two end labels, and between the outermost point and its label. */
const LABEL_GAP_PX = 12;
const LABEL_DX = 8;
/** A model's x offset within its view, in views (0.06 x 110 px is about 7 px). */
const OFFSET = 0.06;

/** Model names at one end of the lines, moved apart so none overlaps. */
function endLabels(
  rows: ReadonlyArray<Record<string, unknown>>,
  view: string,
  domain: [number, number],
  side: 'left' | 'right',
): Array<Record<string, unknown>> {
  const at = rows.filter((r) => r.view === view);
  const ys = dodgeLabels(
    at.map((r) => r.mean as number),
    domain,
    HEIGHT,
    LABEL_GAP_PX,
  );
  // Every label of one end starts beside the outermost point of that view.
  const xs = at.map((r) => r.at as number);
  const x = side === 'left' ? Math.min(...xs) : Math.max(...xs);
  return at.map((r, i) => ({ model: r.model, side, at: x, labelAt: r6(ys[i]) }));
}

/** The smallest 1, 2, 2.5 or 5 x 10^k at or above x (a readable axis end). */
function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x * (1 - 1e-12)) return r6(m * p) ?? m * p;
  return 10 * p;
}
