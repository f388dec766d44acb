import { describe, expect, it } from 'vitest';
import { expectGolden } from './golden.ts';
import { loadFixture } from './helpers.ts';
import { runCharts, RUN_CHARTS } from '../../src/report/charts/index.ts';
import { windowDataOf, windowUnknownReason } from '../../src/report/charts/conversionDelay.ts';
import { auditMsg } from '../../src/audit/messages.ts';
import { computeRoi, roiColumns } from '../../src/report/roi.ts';
import { parseRequestColumns } from '../../src/report/requestColumns.ts';
import { renderSvg } from '../../src/report/render.ts';
import { reportMsg } from '../../src/report/messages.ts';

const fx = loadFixture();
const roi = computeRoi(fx.results, parseRequestColumns(fx.requestsCsv, roiColumns(fx.results)));
const charts = runCharts({ results: fx.results, roi, window: windowDataOf(fx.audit) });

describe('chart specs (golden files)', () => {
  it('builds every run chart from the fixture, in report order', () => {
    expect(charts.map((c) => c.name)).toEqual([...RUN_CHARTS]);
    expect(charts.filter((c) => !c.spec)).toEqual([]);
  });

  it.each(RUN_CHARTS.map((n) => [n]))('%s matches its golden spec and renders without warnings', async (name) => {
    const spec = charts.find((c) => c.name === name)!.spec!;
    expectGolden(name, spec);
    const { svg, warnings } = await renderSvg(spec);
    expect(warnings).toEqual([]);
    expect(svg.startsWith('<svg')).toBe(true);
  });
});

describe('chart content', () => {
  const data = (name: string) => (charts.find((c) => c.name === name)!.spec as unknown as { data: { values: Array<Record<string, unknown>> } }).data.values;
  const subtitle = (name: string) =>
    ((charts.find((c) => c.name === name)!.spec as unknown as { title: { subtitle?: string[] } }).title.subtitle ?? []).join('\n');

  it('the waterfall steps from frozen to served: the Shapley steps sum to the gap', () => {
    const rows = data('gap-decomposition').filter((r) => r.model === 'knn' && r.pipeline === 'weekly-batch');
    const frozen = rows.find((r) => r.step === 'offline')!.end as number;
    const served = rows.find((r) => r.step === 'served')!.end as number;
    const steps = rows.filter((r) => r.step !== 'offline' && r.step !== 'served');
    expect(steps.map((r) => r.step)).toEqual(['staleness', 'identity']);
    expect(steps[0].start).toBeCloseTo(frozen, 5);
    expect(steps[steps.length - 1].end).toBeCloseTo(served, 4);
    const res = fx.results.results.find((r) => r.model === 'knn' && r.pipeline === 'weekly-batch')!;
    expect(frozen - served).toBeCloseTo(res.metrics['ndcg@10'].gap.mean, 4);
    // The silo pipeline has a third cause.
    expect(
      data('gap-decomposition')
        .filter((r) => r.model === 'knn' && r.pipeline === 'desktop-silo')
        .map((r) => r.step),
    ).toEqual(['offline', 'staleness', 'identity', 'channel silos', 'served']);
  });

  it('a model without any gap is listed as not shown instead of drawing flat bars', () => {
    expect(data('gap-decomposition').some((r) => r.model === 'pop')).toBe(false);
    expect(subtitle('gap-decomposition')).toContain('No gap, not shown: pop on weekly-batch');
  });

  it('the ROI chart carries its assumptions and formula', () => {
    const s = subtitle('roi');
    expect(s).toContain('Assumes 200,000 sessions/month, exposure 60%, incrementality 10% (range 5%-30%), AOV EUR 80, margin 25%');
    expect(s).toContain('Δ revenue = sessions × exposure × incrementality × ΔHR@10');
  });

  it('the slope chart claims no reversal whose served difference is a tie', () => {
    // knn is ahead offline (p 0.01) but the served difference is a tie (p 1.0): an order change, not a reversal.
    expect(fx.results.modelRanking.reversals).toHaveLength(1);
    expect(fx.results.modelRanking.reversals[0]).toMatchObject({ offlineWinner: 'knn', servedWinner: 'ease', pHolm: 1, claimed: false });
    expect(subtitle('model-versions').split('\n')[0]).toBe(
      'No significant rank reversal: where lines cross, the difference is not significant offline or served.',
    );
  });

  it('the conversion-delay chart marks the label window', () => {
    const spec = JSON.stringify(charts.find((c) => c.name === 'conversion-delay')!.spec);
    expect(spec).toContain('W = 5d: ');
  });

  it('charts whose data is missing become notes', () => {
    const one = { ...fx.results, models: fx.results.models.slice(0, 1) };
    const noWindow = runCharts({ results: one, roi, window: null });
    expect(noWindow.find((c) => c.name === 'conversion-delay')).toEqual({ name: 'conversion-delay', spec: null, note: reportMsg.noWindowData() });
    expect(noWindow.find((c) => c.name === 'model-versions')).toEqual({ name: 'model-versions', spec: null, note: reportMsg.oneModel() });
    expect(windowDataOf({ checks: [{ id: '01', data: {} }] })).toBeNull();
    expect(windowDataOf('nonsense')).toBeNull();
  });

  it('a check 04 the log could not answer says why the conversion-delay chart is missing', () => {
    const reason = auditMsg.conversionsOnly(['view', 'cart', 'purchase']);
    const audit = { checks: [{ id: '04', verdict: 'unknown', value: null, reason, data: {} }] };
    expect(windowDataOf(audit)).toBeNull();
    expect(windowUnknownReason(audit)).toBe(reason);
    expect(windowUnknownReason({ checks: [{ id: '04', verdict: 'pass', data: {} }] })).toBeNull();
    const charts = runCharts({ results: fx.results, roi, window: null, windowUnknown: windowUnknownReason(audit) });
    expect(charts.find((c) => c.name === 'conversion-delay')).toEqual({ name: 'conversion-delay', spec: null, note: reportMsg.windowUnknown(reason) });
  });
});
