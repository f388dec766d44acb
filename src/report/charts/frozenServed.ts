// Frozen vs served per pipeline: for each model, the offline (frozen view) score and each pipeline's
// served score with their bootstrap intervals, and the gap written next to each served point.
import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/results.ts';
import { fmtMetric, fmtPct, r6 } from '../format.ts';
import { COLOR, OFFLINE_LABEL, ROW_HEADER, topLevel, WIDTH } from './theme.ts';

/**
 * Points with interval bars: y = offline then each pipeline, x = the primary metric, one row per model.
 *
 * @example
 * frozenServedChart(results) // Vega-Lite spec
 */
export function frozenServedChart(results: Results, metric = results.config.primaryMetric): TopLevelSpec {
  const rows: Array<Record<string, unknown>> = [];
  for (const m of results.models) {
    const own = results.results.filter((r) => r.model === m.name);
    if (!own.length) continue;
    const f = own[0].metrics[metric].frozen;
    rows.push({ model: m.name, view: OFFLINE_LABEL, kind: 'offline (frozen)', mean: r6(f.mean), lo: r6(f.lo), hi: r6(f.hi), label: '' });
    for (const r of own) {
      const x = r.metrics[metric];
      rows.push({
        model: m.name,
        view: r.pipeline,
        kind: 'served',
        mean: r6(x.served.mean),
        lo: r6(x.served.lo),
        hi: r6(x.served.hi),
        label: `gap ${fmtMetric(x.gap.mean, 3)} (${fmtPct(x.relativeGap.mean, 0)})`,
      });
    }
  }
  const order = [OFFLINE_LABEL, ...results.pipelines.map((p) => p.name)];
  const level = Math.round(results.config.level * 100);
  return topLevel(
    {
      data: { values: rows },
      facet: { row: { field: 'model', type: 'nominal', title: null, sort: results.models.map((m) => m.name), header: ROW_HEADER } },
      spec: {
        width: WIDTH,
        height: { step: 26 },
        encoding: { y: { field: 'view', type: 'nominal', sort: order, title: null } },
        layer: [
          {
            mark: { type: 'rule', strokeWidth: 2 },
            encoding: {
              x: { field: 'lo', type: 'quantitative', title: `${metric} (mean, ${level}% interval)` },
              x2: { field: 'hi' },
              color: { field: 'kind', type: 'nominal', scale: { domain: ['offline (frozen)', 'served'], range: [COLOR.frozen, COLOR.served] }, title: null },
            },
          },
          {
            mark: { type: 'point', filled: true, size: 70 },
            encoding: { x: { field: 'mean', type: 'quantitative' }, color: { field: 'kind', type: 'nominal' } },
          },
          {
            mark: { type: 'text', align: 'left', dx: 6, fontSize: 10, color: '#333333' },
            encoding: { x: { field: 'hi', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
    },
    {
      title: `Offline score vs what each pipeline serves (${metric})`,
      subtitle: [
        "The same requests scored on the frozen offline view and on each pipeline's served view.",
        `Bars: ${level}% person-clustered bootstrap intervals.`,
      ],
    },
  );
}
