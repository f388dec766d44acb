// Sweeps and identity resolution: each row carries its pipeline's resolution quality, and a sweep that
// moves a resolver's precision or recall gets the served-metric-against-precision/recall chart.
import { describe, expect, it } from 'vitest';
import { expectGolden } from './golden.ts';
import type { TopLevelSpec } from 'vega-lite';
import { identityTradeoffChart, PRECISION, RECALL } from '../../src/report/charts/identityTradeoff.ts';
import { buildSweepReport, resolverMoves, tradeoffRows, TRADEOFF_NAME } from '../../src/report/sweepReport.ts';
import { renderSvg } from '../../src/report/render.ts';
import { sweepCsv, sweepIdentity, sweepText, SWEEP_VERSION } from '../../src/results/sweep.ts';
import type { ResolutionQuality } from '../../src/identity/quality.ts';
import { SWEEP_FIXTURE, THRESHOLD_SWEEP_FIXTURE } from './sweepFixture.ts';

const t = THRESHOLD_SWEEP_FIXTURE;
const spec = identityTradeoffChart(tradeoffRows(t), t.metric, t.pipelines, t.models, true);
const values = (spec as unknown as { data: { values: Array<Record<string, unknown>> } }).data.values;

describe('identity trade-off chart of a sweep', () => {
  it('matches its golden spec and renders without warnings', async () => {
    expectGolden(TRADEOFF_NAME, spec);
    const { svg, warnings } = await renderSvg(spec);
    expect(warnings).toEqual([]);
    expect(svg.startsWith('<svg')).toBe(true);
  });

  it('puts each grid point at its precision (left) and its recall (right), served metric on y', () => {
    const at = (measure: string, pipeline: string) =>
      values.filter((v) => v.measure === measure && v.pipeline === pipeline && v.model === 'knn').map((v) => [v.x, v.mean]);
    expect(at(PRECISION, 'graph')).toEqual([
      [0.62, 0.301],
      [0.93, 0.334],
      [0.99, 0.318],
    ]);
    expect(at(RECALL, 'graph')).toEqual([
      [0.81, 0.301],
      [0.58, 0.334],
      [0.37, 0.318],
    ]);
    expect(at(PRECISION, 'keys')).toEqual([
      [1, 0.27],
      [1, 0.27],
      [1, 0.27],
    ]);
    expect(at(RECALL, 'keys')).toEqual([
      [0.05, 0.27],
      [0.05, 0.27],
      [0.05, 0.27],
    ]);
    expect(values.find((v) => v.pipeline === 'graph' && v.point === 0)).toMatchObject({
      settings: 'graph match threshold (pipeline graph) = 0.5',
      lo: 0.291,
      hi: 0.311,
    });
  });

  it('leaves out models without a gap, and names them', () => {
    expect(new Set(values.map((v) => v.model))).toEqual(new Set(['knn']));
    expect((spec as unknown as { title: { subtitle: string[] } }).title.subtitle).toContain('No gap at any point, not shown: pop.');
  });

  it('joins points in grid order only when one setting is swept', () => {
    const marks = (s: TopLevelSpec) => (s as unknown as { spec: { layer: Array<{ mark: { type: string } }> } }).spec.layer.map((l) => l.mark.type);
    expect(marks(spec)).toEqual(['rule', 'line', 'point', 'text']);
    expect(marks(identityTradeoffChart(tradeoffRows(t), t.metric, t.pipelines, t.models, false))).toEqual(['rule', 'point', 'text']);
  });

  it('labels each point that moves with its swept value, and a pipeline that stays on one spot not at all', () => {
    const labels = (pipeline: string) => values.filter((v) => v.measure === PRECISION && v.pipeline === pipeline && v.model === 'knn').map((v) => v.label);
    expect(labels('graph')).toEqual(['0.5', '0.85', '0.97']);
    expect(labels('keys')).toEqual(['', '', '']);
  });
});

describe('sweep report with resolution quality', () => {
  it('draws the trade-off only for pipelines whose resolution the sweep moved', () => {
    expect(resolverMoves(t)).toEqual(['graph']);
    expect(resolverMoves(SWEEP_FIXTURE)).toEqual([]);
    expect(resolverMoves({ ...t, rows: t.rows.map((r) => ({ ...r, identity: null })) })).toEqual([]);
  });

  it('writes the chart, says what each point serves at which precision and recall, and tabulates both', async () => {
    const { files, charts, warnings } = await buildSweepReport(t);
    expect(warnings).toEqual([]);
    expect(charts).toBe(2);
    expect(files.map((f) => f.name).filter((n) => n.startsWith('charts/'))).toEqual([
      'charts/what-if-pipelines-1-graph-threshold.vl.json',
      'charts/what-if-pipelines-1-graph-threshold.svg',
      'charts/what-if-pipelines-1-graph-threshold.png',
      'charts/identity-tradeoff.vl.json',
      'charts/identity-tradeoff.svg',
      'charts/identity-tradeoff.png',
    ]);
    const md = files.find((f) => f.name === 'summary.md')!.content as string;
    expect(md).toContain(
      '- Identity: `knn` under `graph` serves 0.3010 at pairwise precision 0.620 / recall 0.810 (`graph match threshold (pipeline graph) = 0.5`), ' +
        '0.3340 at pairwise precision 0.930 / recall 0.580 (`graph match threshold (pipeline graph) = 0.85`), ' +
        '0.3180 at pairwise precision 0.990 / recall 0.370 (`graph match threshold (pipeline graph) = 0.97`) (offline 0.4000).',
    );
    expect(md).toContain('- chart: `charts/identity-tradeoff.png`');
    expect(md).toMatch(/\| pairwise precision \| pairwise recall \|/);
    expect(md).toContain('| `0.85` | `knn` | `graph` | 0.4000 [0.3900, 0.4100] | 0.3340 [0.3240, 0.3440] | 0.0660 [0.0610, 0.0710] | 500 | 0.930 | 0.580 |');
    const html = files.find((f) => f.name === 'report.html')!.content as string;
    expect(html).toContain('id="chart-identity-tradeoff"');
  });

  it('leaves the chart out when no resolver moved (a refresh sweep)', async () => {
    const { files, charts } = await buildSweepReport(SWEEP_FIXTURE);
    expect(charts).toBe(1);
    expect(files.some((f) => f.name.includes(TRADEOFF_NAME))).toBe(false);
    expect(files.find((f) => f.name === 'summary.md')!.content).not.toContain('Identity:');
  });
});

describe('sweep table with resolution quality', () => {
  it('keeps the rates of each row, not the counts', () => {
    const q: ResolutionQuality = {
      pairwisePrecision: 0.9,
      pairwiseRecall: 0.4,
      bcubedPrecision: 0.95,
      bcubedRecall: 0.7,
      keysPerPerson: 1.5,
      purity: 0.99,
      coverage: 0.6,
      keys: 10,
      persons: 5,
      requests: 3,
      atMs: 0,
    };
    expect(sweepIdentity(q)).toEqual({
      pairwisePrecision: 0.9,
      pairwiseRecall: 0.4,
      bcubedPrecision: 0.95,
      bcubedRecall: 0.7,
      purity: 0.99,
      coverage: 0.6,
      keysPerPerson: 1.5,
    });
    expect(sweepIdentity(undefined)).toBeNull();
    expect(SWEEP_VERSION).toBe('recgap.sweep/3');
  });

  it('writes them as CSV columns after requests, empty when not measured', () => {
    const lines = sweepCsv(t).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'point,pipelines.1.graph.threshold,model,pipeline,metric,frozen,frozen_lo,frozen_hi,served,served_lo,served_hi,gap,gap_lo,gap_hi,relative_gap,requests,' +
        'pairwise_precision,pairwise_recall,bcubed_precision,bcubed_recall,purity,coverage,keys_per_person',
    );
    expect(lines[4]).toBe('0,0.5,knn,graph,ndcg@10,0.4,0.39,0.41,0.301,0.291,0.311,0.099,0.094,0.104,0.2475,500,0.62,0.81,0.81,0.905,0.905,0.905,1.19');
    const none = sweepCsv({ ...t, rows: [{ ...t.rows[3], identity: null }] })
      .trimEnd()
      .split('\n');
    expect(none[1].endsWith(',500,,,,,,,')).toBe(true);
  });

  it('prints pairwise precision/recall in the terminal table', () => {
    const text = sweepText(t).split('\n');
    expect(text[2]).toMatch(/ pairwise P\/R$/);
    expect(text[2]).toMatch(/^graph match threshold \(pipeline graph\) +model +pipeline +frozen ndcg@10 +served +gap +pairwise P\/R$/);
    expect(text[3 + 3]).toMatch(/^0\.5 +knn +graph +0\.4000 +0\.3010 \[0\.2910, 0\.3110\] +0\.0990 \[0\.0940, 0\.1040\] +0\.620\/0\.810$/);
  });
});
