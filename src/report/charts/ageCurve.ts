// Metric lost versus pipeline lag: per pipeline, the gap in each lag bin (point size = requests) and the
// fitted relevance-loss curve L_inf (1 - exp(-lag / tau)); the lag is what the pipeline adds to the served
// view's age beyond the person's own inactivity.
import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/results.ts';
import { MS } from '../../util/duration.ts';
import { r6 } from '../format.ts';
import { ROW_HEADER, topLevel, WIDTH } from './theme.ts';

const CURVE_POINTS = 48;
const TAU_FITTED = 'τ fitted';
/** τ at the end of its search range: the time scale is not identified by the data (drawn dashed). */
const TAU_OPEN = 'τ at bound';
const TAU_KINDS = [
  { tau: TAU_FITTED, dash: [1, 0] },
  { tau: TAU_OPEN, dash: [5, 4] },
] as const;

/** Where a bin sits on a log lag axis (hours): geometric middle, half the upper edge for the first bin. */
function binMidHours(loMs: number | null, hiMs: number | null): number | null {
  if (loMs === null || !Number.isFinite(loMs)) return null;
  if (hiMs === null || !Number.isFinite(hiMs)) return (loMs * 1.5) / MS.h;
  if (loMs <= 0) return hiMs / 2 / MS.h;
  return Math.sqrt(loMs * hiMs) / MS.h;
}

/**
 * Gap by pipeline-lag bin with the fitted curve, one colour per pipeline, one row per model. Pipelines
 * identical to offline (no factor) are left out: their gap is 0 at every age. Null when nothing is left to
 * draw (every served view empty, or no gap at any lag): an empty plot would only show broken axes.
 *
 * @example
 * ageCurveChart(results)
 */
export function ageCurveChart(results: Results): TopLevelSpec | null {
  const points: Array<Record<string, unknown>> = [];
  const curves: Array<Record<string, unknown>> = [];
  let empties = 0;
  let maxHours = 24;
  // Results with no gap at any age (a model that ignores the profile) would only draw a flat zero line.
  const shown = results.results.filter(
    (r) => r.decomposition.factors.length > 0 && r.lagCurve.bins.some((b) => b.count > 0 && b.gap !== null && Math.abs(b.gap) > 5e-7),
  );
  for (const r of shown) {
    for (const b of r.lagCurve.bins) {
      const mid = binMidHours(b.loMs, b.hiMs);
      if (b.label === 'empty' || mid === null) {
        empties += b.count;
        continue;
      }
      if (!b.count || b.gap === null) continue;
      maxHours = Math.max(maxHours, mid);
      points.push({
        model: r.model,
        pipeline: r.pipeline,
        bin: b.label,
        hours: r6(mid),
        gap: r6(b.gap),
        served: r6(b.served),
        frozen: r6(b.frozen),
        requests: b.count,
      });
    }
  }
  for (const r of shown) {
    const { lInf, tauMs, tauAtBound } = r.lagCurve.fit;
    if (lInf === null || tauMs === null || !Number.isFinite(lInf) || !Number.isFinite(tauMs) || tauMs <= 0) continue;
    for (let i = 0; i < CURVE_POINTS; i++) {
      const hours = 0.25 * Math.pow((maxHours * 1.2) / 0.25, i / (CURVE_POINTS - 1));
      curves.push({
        model: r.model,
        pipeline: r.pipeline,
        hours: r6(hours),
        fit: r6(lInf * (1 - Math.exp((-hours * MS.h) / tauMs))),
        tau: tauAtBound ? TAU_OPEN : TAU_FITTED,
      });
    }
  }
  if (!points.length && !curves.length) return null;
  const dashes = TAU_KINDS.filter((k) => curves.some((c) => c.tau === k.tau));
  const metric = results.results[0]?.lagCurve.metric ?? results.config.primaryMetric;
  const pipelines = results.pipelines.map((p) => p.name);
  const x = {
    field: 'hours',
    type: 'quantitative',
    scale: { type: 'log' },
    title: 'pipeline lag: served age minus inactivity (hours, log scale)',
    axis: { values: [1, 6, 24, 48, 96, 168, 336, 672] },
  };
  const color = { field: 'pipeline', type: 'nominal', sort: pipelines, title: 'pipeline' };
  return topLevel(
    {
      facet: {
        row: {
          field: 'model',
          type: 'nominal',
          title: null,
          sort: results.models.map((m) => m.name).filter((m) => shown.some((r) => r.model === m)),
          header: ROW_HEADER,
        },
      },
      data: { values: [...points.map((p) => ({ ...p, layer: 'bin' })), ...curves.map((c) => ({ ...c, layer: 'fit' }))] },
      spec: {
        width: WIDTH,
        height: 170,
        layer: [
          {
            transform: [{ filter: { field: 'layer', equal: 'fit' } }],
            mark: { type: 'line', strokeWidth: 2, clip: true },
            encoding: {
              x,
              y: { field: 'fit', type: 'quantitative', title: `${metric} lost (frozen - served)` },
              color,
              detail: { field: 'pipeline' },
              strokeDash: {
                field: 'tau',
                type: 'nominal',
                title: 'fitted curve',
                // Only the line styles drawn: a legend entry without marks reads as a missing line.
                scale: { domain: dashes.map((k) => k.tau), range: dashes.map((k) => k.dash) },
              },
            },
          },
          {
            transform: [{ filter: { field: 'layer', equal: 'bin' } }],
            mark: { type: 'point', filled: true, opacity: 0.85 },
            encoding: {
              x,
              y: { field: 'gap', type: 'quantitative' },
              color,
              size: { field: 'requests', type: 'quantitative', title: 'requests in bin', scale: { range: [20, 260], zero: false } },
            },
          },
        ],
      },
    },
    {
      title: `Relevance lost vs pipeline lag (${metric})`,
      subtitle: [
        "Points: mean gap of the requests whose served view lags the person's history by that much (size = requests).",
        'Lines: the fitted relevance loss L∞·(1 − exp(−lag/τ)), fitted with empty served views at L∞; dashed where τ is not identified.',
        `Not on the lag axis: ${empties.toLocaleString('en-US')} request-pipeline pairs with an empty served view (no signal).`,
      ],
    },
  );
}
