// The gap decomposed: a waterfall from the offline (frozen) score down to the served score, one step per
// cause with its exact Shapley share (the steps sum to the gap) and the share's interval.
import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/results.ts';
import { fmtMetric, r6 } from '../format.ts';
import { COLOR, MAX_PLOT_WIDTH, ROW_HEADER, topLevel } from './theme.ts';

/** Px between pipeline columns, and the bounds of one waterfall step's width. */
const PANEL_GAP = 16;
const MIN_STEP = 24;
const MAX_STEP = 52;
/** Bar kinds in legend order, with their colour and legend text. */
const KINDS = [
  { kind: 'score', color: COLOR.total, label: 'score' },
  { kind: 'loss', color: COLOR.loss, label: 'lost to this cause' },
  { kind: 'gain', color: COLOR.gain, label: 'gained' },
] as const;

/** Labels of the factors on the waterfall's axis. */
export const FACTOR_LABEL: Record<string, string> = {
  staleness: 'staleness',
  identity: 'identity',
  channels: 'channel silos',
  model: 'model staleness',
};

/** A gap and shares that are all zero (to display precision): nothing to draw. */
function isZeroGap(gap: number, shares: Partial<Record<string, { mean: number }>>): boolean {
  return Math.abs(gap) < 5e-7 && Object.values(shares).every((s) => !s || Math.abs(s.mean) < 5e-7);
}

/** `-0.053`, `+0.012`, or `0.000` when it rounds to zero. */
function signed(x: number): string {
  const t = fmtMetric(Math.abs(x), 3);
  return Number(t) === 0 ? t : `${x < 0 ? '-' : '+'}${t}`;
}

/**
 * Waterfall per model x pipeline (pipelines that differ from offline in at least one factor).
 *
 * @example
 * decompositionChart(results) // Vega-Lite spec, or a spec with no panels when no pipeline has a gap
 */
export function decompositionChart(results: Results, metric = results.config.primaryMetric): TopLevelSpec {
  const rows: Array<Record<string, unknown>> = [];
  const steps: string[] = ['offline'];
  const drawn: Array<{ model: string; pipeline: string }> = [];
  const noGap: string[] = [];
  let maxTop = 0;
  for (const r of results.results) {
    const factors = r.decomposition.factors;
    if (!factors.length) continue;
    if (isZeroGap(r.metrics[metric].gap.mean, r.decomposition.byMetric[metric].shares)) {
      noGap.push(`${r.model} on ${r.pipeline}`);
      continue;
    }
    const m = r.metrics[metric];
    const d = r.decomposition.byMetric[metric];
    drawn.push({ model: r.model, pipeline: r.pipeline });
    const frozen = m.frozen.mean;
    rows.push({
      model: r.model,
      pipeline: r.pipeline,
      step: 'offline',
      order: 0,
      start: 0,
      end: r6(frozen),
      top: r6(frozen),
      lo: null,
      hi: null,
      kind: 'score',
      label: fmtMetric(frozen, 3),
    });
    let level = frozen;
    factors.forEach((f, i) => {
      const share = d.shares[f];
      if (!share) return;
      const name = FACTOR_LABEL[f] ?? f;
      if (!steps.includes(name)) steps.push(name);
      const next = level - share.mean;
      rows.push({
        model: r.model,
        pipeline: r.pipeline,
        step: name,
        order: i + 1,
        start: r6(level),
        end: r6(next),
        top: r6(Math.max(level, next, level - share.lo)),
        lo: r6(level - share.hi),
        hi: r6(level - share.lo),
        kind: share.mean >= -5e-7 ? 'loss' : 'gain', // a share that rounds to zero is no gain
        label: signed(-share.mean),
      });
      level = next;
    });
    rows.push({
      model: r.model,
      pipeline: r.pipeline,
      step: 'served',
      order: factors.length + 1,
      start: 0,
      end: r6(m.served.mean),
      top: r6(m.served.mean),
      lo: null,
      hi: null,
      kind: 'score',
      label: fmtMetric(m.served.mean, 3),
    });
  }
  steps.push('served');
  for (const row of rows) maxTop = Math.max(maxTop, (row.top as number | null) ?? 0);
  // One row of panels per model and one column per pipeline: a grid has no empty cells with stray axes
  // (a wrapped facet leaves them under its last row), and the step width shrinks so every pipeline fits.
  const models = [...new Set(drawn.map((d) => d.model))];
  const pipelines = results.pipelines.map((p) => p.name).filter((p) => drawn.some((d) => d.pipeline === p));
  const step = Math.max(MIN_STEP, Math.min(MAX_STEP, Math.floor((MAX_PLOT_WIDTH / Math.max(1, pipelines.length) - PANEL_GAP) / steps.length)));
  const kinds = KINDS.filter((k) => rows.some((r) => r.kind === k.kind));
  return topLevel(
    {
      data: { values: rows },
      facet: {
        row: { field: 'model', type: 'nominal', title: null, sort: models, header: ROW_HEADER },
        column: {
          field: 'pipeline',
          type: 'nominal',
          title: null,
          sort: pipelines,
          header: { labelAnchor: 'start', labelAlign: 'left', labelFontWeight: 'bold' },
        },
      },
      spacing: { row: 18, column: PANEL_GAP },
      spec: {
        width: { step },
        height: 180,
        encoding: { x: { field: 'step', type: 'nominal', sort: steps, title: null, axis: { labelAngle: -30, labelLimit: 90 } } },
        layer: [
          {
            mark: { type: 'bar', width: { band: 0.7 } },
            encoding: {
              y: { field: 'start', type: 'quantitative', title: metric, scale: { domain: [0, r6(maxTop * 1.15) ?? 1] } },
              y2: { field: 'end' },
              color: {
                field: 'kind',
                type: 'nominal',
                title: null,
                // Only the kinds drawn: a legend entry without marks reads as a missing bar.
                scale: { domain: kinds.map((k) => k.kind), range: kinds.map((k) => k.color) },
                legend: { labelExpr: `{${kinds.map((k) => `'${k.kind}': '${k.label}'`).join(', ')}}[datum.label]` },
              },
            },
          },
          { mark: { type: 'rule', color: '#222222' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
          { mark: { type: 'text', dy: -6, fontSize: 10, color: '#333333' }, encoding: { y: { field: 'top', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
    },
    {
      title: `What causes the gap: ${metric} from offline to served`,
      subtitle: [
        'Exact Shapley shares of each cause (they sum to the gap); black bars are their intervals.',
        'staleness: refresh cadence and latency; identity: unresolved device keys;',
        'channel silos: channels missing from the profile store; model staleness: no retraining.',
        ...(noGap.length ? [`No gap, not shown: ${noGap.join(', ')}.`] : []),
      ],
    },
  );
}
