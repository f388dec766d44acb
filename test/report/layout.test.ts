// Layout of the run report's charts on a run with many models and pipelines: every chart fits the
// report's 1,240-px column, the waterfall is a full grid (no empty panels with stray axes), legends list
// only what is drawn, and slope-chart labels never overlap.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSmall } from '../helpers.ts';
import { runCharts } from '../../src/report/charts/index.ts';
import { computeRoi } from '../../src/report/roi.ts';
import { renderSvg } from '../../src/report/render.ts';
import { dodgeLabels } from '../../src/report/charts/labelDodge.ts';
import { reportMsg } from '../../src/report/messages.ts';
import { roiTable, tableHtml } from '../../src/report/tables.ts';
import type { Results } from '../../src/results/results.ts';
import type { ChartEntry } from '../../src/report/charts/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read Vega-Lite specs by path; their types are unions too wide to narrow at every step
type Spec = Record<string, any>;

describe('dodgeLabels', () => {
  it('moves labels that would overlap apart around their values, keeping their order', () => {
    // 0.35 and 0.345 are 3 px apart on a 240-px axis over [0, 0.4]; 12 px is 0.02: the pair centres on 0.3475.
    const ys = dodgeLabels([0.35, 0.345, 0.1], [0, 0.4], 240, 12);
    expect(ys[0]).toBeCloseTo(0.3575, 12);
    expect(ys[1]).toBeCloseTo(0.3375, 12);
    expect(ys[2]).toBe(0.1);
  });

  it('stacks labels at the bottom of the axis upwards instead of below it', () => {
    // gap = 10 px on 100 px over [0, 1] = 0.1; three labels near 0 become 0, 0.1, 0.2 in their order.
    expect(dodgeLabels([0.01, 0, 0.005], [0, 1], 100, 10).map((y) => Math.round(y * 1e9) / 1e9)).toEqual([0.2, 0, 0.1]);
  });

  it('leaves labels that are far enough apart where they are', () => {
    expect(dodgeLabels([0.1, 0.5, 0.9], [0, 1], 200, 12)).toEqual([0.1, 0.5, 0.9]);
  });

  it('keeps order, spacing and the domain for random inputs that fit', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rand() * 8);
      const v = Array.from({ length: n }, () => rand());
      const ys = dodgeLabels(v, [0, 1], 300, 12);
      const order = v.map((_, i) => i).sort((a, b) => v[b] - v[a] || a - b);
      for (let j = 1; j < n; j++) expect(ys[order[j - 1]] - ys[order[j]]).toBeGreaterThanOrEqual(0.04 - 1e-9);
      for (const y of ys) {
        expect(y).toBeGreaterThanOrEqual(-1e-12);
        expect(y).toBeLessThanOrEqual(1 + 1e-12);
      }
    }
  });
});

describe('run charts with five models and four pipelines', () => {
  let results: Results;
  let charts: ChartEntry[];
  const spec = (name: string) => charts.find((c) => c.name === name)!.spec as unknown as Spec;

  beforeAll(async () => {
    const run = await runSmall({
      persons: 1200,
      models:
        '[ { name: pop, type: popularity }, { name: recent, type: recency-popularity }, { name: knn, type: itemknn }, { name: knn20, type: itemknn, neighbors: 20 }, { name: ease, type: ease } ]',
      pipelines: [
        '  - { name: weekly-keys, refresh: 7d, latency: 1d, identity: key }',
        '  - { name: daily-login, refresh: 1d, latency: 1h, identity: login }',
        '  - { name: hourly-graph, refresh: 1h, latency: 10m, identity: graph }',
        '  - { name: hourly-oracle, refresh: 1h, latency: 10m, identity: oracle }',
      ].join('\n'),
    });
    results = run.results;
    charts = runCharts({ results, roi: computeRoi(results, null), window: null });
  }, 120_000);

  it('renders every chart within the report column (1,240 px) and without warnings', async () => {
    for (const c of charts.filter((x) => x.spec)) {
      const { svg, warnings } = await renderSvg(c.spec!);
      expect(warnings, c.name).toEqual([]);
      const width = Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
      expect(width, c.name).toBeLessThanOrEqual(1240);
    }
  });

  it('draws the waterfall as a model x pipeline grid with no empty cell', () => {
    const s = spec('gap-decomposition');
    expect(s.facet.row.field).toBe('model');
    expect(s.facet.column.field).toBe('pipeline');
    const rows: Spec[] = s.data.values;
    const models = new Set(rows.map((r) => r.model));
    const pipelines = new Set(rows.map((r) => r.pipeline));
    for (const m of models)
      for (const p of pipelines)
        expect(
          rows.some((r) => r.model === m && r.pipeline === p),
          `${m} on ${p}`,
        ).toBe(true);
    // Only kinds that have a bar are in the colour legend.
    const kinds = s.spec.layer[0].encoding.color.scale.domain as string[];
    expect(kinds).toEqual(['score', 'loss', 'gain'].filter((k) => rows.some((r) => r.kind === k)));
  });

  it('lists only the drawn line styles in the age curve legend', () => {
    const s = spec('age-curve');
    const drawn = new Set((s.data.values as Spec[]).filter((r) => r.layer === 'fit').map((r) => r.tau));
    expect(new Set(s.spec.layer[0].encoding.strokeDash.scale.domain)).toEqual(drawn);
  });

  it('keeps the model labels of the slope chart at least 12 px apart at both ends', () => {
    const s = spec('model-versions');
    const top = s.layer[1].layer[0].encoding.y.scale.domain[1] as number;
    const labels = s.layer[2].data.values as Spec[];
    for (const side of ['left', 'right']) {
      const ys = labels
        .filter((l) => l.side === side)
        .map((l) => ((l.labelAt as number) / top) * 260)
        .sort((a, b) => a - b);
      expect(ys).toHaveLength(results.models.length);
      for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(12 - 0.01);
    }
    // Every score carries its interval bar.
    const points = s.layer[1].data.values as Spec[];
    expect(points).toHaveLength(results.models.length * (1 + results.pipelines.length));
    expect(points.every((p) => p.lo !== null && p.hi !== null && p.lo <= p.mean && p.mean <= p.hi)).toBe(true);
  });

  it('marks the true-person pipeline as the ceiling in the money table, without CAC or spend', () => {
    const roi = computeRoi(results, null);
    const html = tableHtml(roiTable(roi));
    const row = html.split('\n').find((l) => l.includes('<code>hourly-oracle</code>'))!;
    expect(row).toContain('(ceiling: true person, not an option)');
    expect(row.match(/<td class="num"><\/td>/g)).toHaveLength(2);
  });
});

describe('tables in HTML', () => {
  it("puts a number's interval on its own line under it", () => {
    const html = tableHtml({ head: ['x', 'v'], rows: [['a', '0.0146 [0.0061, 0.0229]']], numeric: [false, true] });
    expect(html).toContain('<td class="num">0.0146<span class="ci">[0.0061, 0.0229]</span></td>');
  });
});

describe('an age curve with nothing to draw', () => {
  it('is a note, not an empty plot', async () => {
    // Every served view empty: all requests in the "empty" bin, none on the lag axis.
    const run = await runSmall({
      persons: 300,
      models: '[ { name: knn, type: itemknn } ]',
      pipelines: '  - { name: never, refresh: 1000d, latency: 0, identity: key }',
    });
    const r = run.results;
    for (const x of r.results) for (const b of x.lagCurve.bins) if (b.label !== 'empty') b.count = 0;
    const entry = runCharts({ results: r, roi: computeRoi(r, null), window: null }).find((c) => c.name === 'age-curve')!;
    expect(entry.spec).toBeNull();
    expect(entry.note).toBe(reportMsg.noLagData());
  }, 60_000);
});
