// Frozen vs served per pipeline: for each model, the offline (frozen view) score and each pipeline's
// served score with their bootstrap intervals, and the gap written next to each served point.
import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/results.ts';
import { fmtMetric, fmtPct, r6 } from '../format.ts';
import { COLOR, OFFLINE_LABEL, ROW_HEADER, topLevel, WIDE } from './theme.ts';

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
    rows.push({ model: m.name, view: OFFLINE_LABEL, kind: 'offline (frozen)', mean: r6(f.mean), ...bounds(f), label: '' });
    for (const r of own) {
      const x = r.metrics[metric];
      rows.push({
        model: m.name,
        view: r.pipeline,
        kind: 'served',
        mean: r6(x.served.mean),
        ...bounds(x.served),
        label: gapLabel(x.gap, x.relativeGap.mean),
      });
    }
  }
  const order = [OFFLINE_LABEL, ...results.pipelines.map((p) => p.name)];
  // Room right of the widest interval for its gap label (about a quarter of the panel), so no label
  // runs past the plot.
  const maxHi = Math.max(0, ...rows.map((r) => (r.hi as number | null) ?? 0));
  const level = Math.round(results.config.level * 100);
  return topLevel(
    {
      data: { values: rows },
      facet: { row: { field: 'model', type: 'nominal', title: null, sort: results.models.map((m) => m.name), header: ROW_HEADER } },
      spec: {
        width: WIDE,
        height: { step: 26 },
        encoding: { y: { field: 'view', type: 'nominal', sort: order, title: null } },
        layer: [
          {
            mark: { type: 'rule', strokeWidth: 2 },
            encoding: {
              x: { field: 'lo', type: 'quantitative', title: `${metric} (mean, ${level}% interval)`, scale: { domain: [0, r6(maxHi / 0.7) || 1] } },
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
        `Bars: ${level}% person-clustered bootstrap intervals; each gap carries its paired interval.`,
      ],
    },
  );
}

/**
 * `gap 0.057 [0.047, 0.067] (16%)`: the paired interval of the gap itself, which is narrower than the two
 * bars suggest because both scores come from the same requests.
 */
function gapLabel(gap: { mean: number; lo: number; hi: number }, relative: number): string {
  const ci = Number.isFinite(gap.lo) && Number.isFinite(gap.hi) ? ` [${fmtMetric(gap.lo, 3)}, ${fmtMetric(gap.hi, 3)}]` : '';
  return `gap ${fmtMetric(gap.mean, 3)}${ci} (${fmtPct(relative, 0)})`;
}

/** The interval's ends, or the mean at both ends when there is no interval (too few persons, no replicates). */
function bounds(i: { mean: number; lo: number; hi: number }): { lo: number | null; hi: number | null } {
  return Number.isFinite(i.lo) && Number.isFinite(i.hi) ? { lo: r6(i.lo), hi: r6(i.hi) } : { lo: r6(i.mean), hi: r6(i.mean) };
}
