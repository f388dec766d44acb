// The charts of a sweep: the what-if chart plots the gap (with its paired interval) and the served metric
// (with the offline score for reference) against the setting, named in words and in its natural order; two
// settings get their interaction (a heatmap of the gap and lines coloured by the second setting); more than
// two say which pair is drawn; no chart is wider than MAX_CHART_WIDTH.
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { expectGolden } from './golden.ts';
import { MAX_CHART_WIDTH, OFFLINE_SERIES, whatIfChart } from '../../src/report/charts/whatIf.ts';
import { interactionHeatmap, interactionLines } from '../../src/report/charts/interaction.ts';
import { buildSweepReport, interactionNames, interactionRows, whatIfName, whatIfRows } from '../../src/report/sweepReport.ts';
import { renderSvg } from '../../src/report/render.ts';
import { sweepMsg } from '../../src/report/messages.ts';
import { wrapText } from '../../src/report/charts/theme.ts';
import type { SweepTable } from '../../src/results/sweep.ts';
import { SWEEP_FIXTURE, THREE_AXIS_SWEEP_FIXTURE, THRESHOLD_SWEEP_FIXTURE, TWO_AXIS_SWEEP_FIXTURE } from './sweepFixture.ts';

type Datum = Record<string, unknown>;
const values = (spec: TopLevelSpec) => (spec as unknown as { data: { values: Datum[] } }).data.values;
const subtitle = (spec: TopLevelSpec) => (spec as unknown as { title: { subtitle: string[] } }).title.subtitle.join('\n');
const whatIf = (t: SweepTable, i = 0) =>
  whatIfChart(
    t.axes[i],
    whatIfRows(t, t.axes[i].path),
    t.metric,
    t.pipelines,
    t.models,
    t.axes.length > 1 ? `held ${t.axes.filter((_, j) => j !== i).map((a) => a.values[0])}` : '',
  );
const interaction = (t: SweepTable) => {
  const rows = interactionRows(t);
  return {
    heatmap: interactionHeatmap(t.axes[0], t.axes[1], rows, t.metric, t.models, t.pipelines, ''),
    lines: interactionLines(t.axes[0], t.axes[1], rows, t.metric, t.models, t.pipelines, ''),
  };
};
const svgWidth = (svg: string) => Number(svg.match(/^<svg[^>]*\bwidth="([0-9.]+)"/)![1]);

describe('what-if chart of one setting', () => {
  const spec = whatIf(SWEEP_FIXTURE);

  it('matches its golden spec and renders without warnings', async () => {
    expectGolden('what-if-pipelines-0-refresh', spec);
    expect((await renderSvg(spec)).warnings).toEqual([]);
  });

  it('plots the gap with its paired interval and the served score with the offline one, per pipeline', () => {
    const at = (panel: string, series: string) =>
      values(spec)
        .filter((d) => d.panel === panel && d.series === series && d.model === 'knn')
        .map((d) => [d.value, d.mean, d.lo, d.hi]);
    // Fixture: knn serves 0.33, 0.31, 0.27 under weekly-batch against 0.4 offline; gap intervals +-0.005, served +-0.01.
    expect(at('gap', 'weekly-batch')).toEqual([
      ['1h', 0.07, 0.065, 0.075],
      ['1d', 0.09, 0.085, 0.095],
      ['7d', 0.13, 0.125, 0.135],
    ]);
    expect(at('served', 'weekly-batch')).toEqual([
      ['1h', 0.33, 0.32, 0.34],
      ['1d', 0.31, 0.3, 0.32],
      ['7d', 0.27, 0.26, 0.28],
    ]);
    expect(at('gap', 'streaming-oracle').map((d) => d[1])).toEqual([0, 0, 0]);
    expect(at('frozen', OFFLINE_SERIES)).toEqual([
      ['1h', 0.4, null, null],
      ['1d', 0.4, null, null],
      ['7d', 0.4, null, null],
    ]);
  });

  it('names the setting in words, panels by what they show, and leaves out a model without a gap', () => {
    const text = JSON.stringify(spec);
    expect(text).toContain('"title":"refresh cadence (pipeline weekly-batch)"');
    expect(text).not.toContain('"title":"pipelines.0.refresh"');
    expect(text).toContain('"title":["gap in ndcg@10","(offline − served)"]');
    expect(text).toContain('"title":["served ndcg@10","(dashed: offline)"]');
    expect(new Set(values(spec).map((d) => d.model))).toEqual(new Set(['knn']));
    expect(subtitle(spec)).toContain('No gap at any point, not shown: pop.');
  });

  it('orders durations and numbers naturally, keeps categories as given, and joins only ordered values by lines', () => {
    const axis = THREE_AXIS_SWEEP_FIXTURE.axes[0];
    const x = (s: TopLevelSpec) => JSON.stringify(s).match(/"x":(\{"field":"value".*?"axis":\{[^}]*\}\})/)![1];
    expect(JSON.parse(x(whatIf(THREE_AXIS_SWEEP_FIXTURE))).sort).toEqual(axis.order);
    expect(axis.values[0]).toBe('7d');
    const resolver = {
      ...SWEEP_FIXTURE,
      axes: [
        {
          path: 'pipelines.0.identity',
          label: 'identity resolver (pipeline weekly-batch)',
          kind: 'category' as const,
          values: ['login', 'key'],
          order: ['login', 'key'],
        },
      ],
      rows: SWEEP_FIXTURE.rows.map((r) => ({ ...r, settings: { 'pipelines.0.identity': r.point === 0 ? 'login' : 'key' } })).filter((r) => r.point < 2),
    };
    const cat = whatIf(resolver);
    expect(JSON.parse(x(cat)).sort).toEqual(['login', 'key']);
    const marks = JSON.stringify(cat).match(/"mark":\{"type":"(\w+)"/g)!;
    expect(marks.some((m) => m.includes('"line"'))).toBe(false);
    expect(JSON.stringify(cat)).toContain('"xOffset":{"field":"series"');
    expect(JSON.stringify(spec).match(/"mark":\{"type":"line"/g)).toHaveLength(3);
  });
});

describe('interaction of two settings', () => {
  const { heatmap, lines } = interaction(TWO_AXIS_SWEEP_FIXTURE);

  it('match their golden specs and render without warnings', async () => {
    const names = interactionNames('pipelines.1.refresh', 'world.identity.loginRate');
    expect(names).toEqual({
      heatmap: 'gap-heatmap-pipelines-1-refresh-x-world-identity-loginRate',
      lines: 'gap-lines-pipelines-1-refresh-by-world-identity-loginRate',
    });
    expectGolden(names.heatmap, heatmap);
    expectGolden(names.lines, lines);
    for (const s of [heatmap, lines]) expect((await renderSvg(s)).warnings).toEqual([]);
  });

  it('puts the gap of every point in a cell of its model and pipeline, and leaves out panels without a gap', () => {
    const cells = values(heatmap).filter((d) => d.panel === 'knn · stitched');
    expect(cells).toHaveLength(9);
    // Fixture: stitched gap = (0.02 + 0.03 i) (1.4 - 0.5 j) at cadence i and login rate j.
    expect(cells.find((d) => d.v1 === '7d' && d.v2 === '0.1')!.gap).toBeCloseTo(0.112, 6);
    expect(cells.find((d) => d.v1 === '1h' && d.v2 === '0.9')!.gap).toBeCloseTo(0.008, 6);
    expect([...new Set(values(heatmap).map((d) => d.panel))]).toEqual(['knn · weekly', 'knn · stitched']);
    expect(subtitle(heatmap)).toContain('No gap at any point, not shown: pop · weekly, pop · stitched.');
  });

  it('draws the gap against the first setting with its interval, a line per value of the second', () => {
    const line = (v2: string) =>
      values(lines)
        .filter((d) => d.panel === 'knn · stitched' && d.v2 === v2)
        .map((d) => [d.v1, d.gap, d.lo, d.hi]);
    expect(line('0.9').map((d) => d[0])).toEqual(['1h', '1d', '7d']);
    expect(line('0.9')[2][1]).toBeCloseTo(0.032, 6);
    expect((line('0.9')[2][3] as number) - (line('0.9')[2][2] as number)).toBeCloseTo(0.01, 6);
    expect(JSON.stringify(lines)).toContain('"color":{"field":"v2","type":"nominal","title":"login rate"');
  });

  it('the report draws both after the what-if charts, and says nothing about held settings', async () => {
    const { files, charts } = await buildSweepReport(TWO_AXIS_SWEEP_FIXTURE);
    const names = interactionNames('pipelines.1.refresh', 'world.identity.loginRate');
    expect(files.filter((f) => f.name.endsWith('.vl.json')).map((f) => f.name)).toEqual([
      `charts/${whatIfName('pipelines.1.refresh')}.vl.json`,
      `charts/${whatIfName('world.identity.loginRate')}.vl.json`,
      `charts/${names.heatmap}.vl.json`,
      `charts/${names.lines}.vl.json`,
      'charts/identity-tradeoff.vl.json',
    ]);
    expect(charts).toBe(5);
    const md = files.find((f) => f.name === 'summary.md')!.content as string;
    expect(md).not.toContain('The interaction charts draw');
    expect(md).toContain(
      '- login rate: `knn` under `stitched` loses 0.0280 [0.0230, 0.0330] at `0.1`, 0.0180 [0.0130, 0.0230] at `0.5`, 0.0080 [0.0030, 0.0130] at `0.9`',
    );
    expect(md).toContain('Other swept settings held at refresh cadence (pipeline stitched) = 1h.');
  });
});

describe('three settings', () => {
  it('draws the first two against each other, the third held at its first value, and says so', async () => {
    const t = THREE_AXIS_SWEEP_FIXTURE;
    const rows = interactionRows(t);
    expect(rows).toHaveLength(6 * 4 * 3 * 3);
    expect(new Set(rows.map((r) => r.gap.mean)).size).toBeGreaterThan(1);
    const { files } = await buildSweepReport(t);
    const md = files.find((f) => f.name === 'summary.md')!.content as string;
    expect(md).toContain(`- ${sweepMsg.interactionPair('refresh cadence (pipeline weekly-batch)', 'drift rate (kappa)', 'persons held at 2000')}`);
    const heatmap = JSON.parse(files.find((f) => f.name.startsWith('charts/gap-heatmap'))!.content as string);
    expect(heatmap.title.subtitle).toContain('Other swept settings held at persons = 2000.');
  });
});

describe('chart widths', () => {
  it.each([
    ['one setting', SWEEP_FIXTURE],
    ['graph threshold', THRESHOLD_SWEEP_FIXTURE],
    ['two settings', TWO_AXIS_SWEEP_FIXTURE],
    ['three settings, three models and pipelines', THREE_AXIS_SWEEP_FIXTURE],
  ])(`every chart of a sweep of %s stays within ${MAX_CHART_WIDTH} px`, async (_label, t) => {
    const { files } = await buildSweepReport(t);
    const svgs = files.filter((f) => f.name.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThan(0);
    for (const f of svgs) expect(svgWidth(f.content as string), f.name).toBeLessThanOrEqual(MAX_CHART_WIDTH);
  });

  it('wraps long titles and notes at spaces', () => {
    expect(wrapText('Other swept settings held at login rate = 0.1, refresh cadence (pipeline weekly-batch) = 1h.', 60)).toEqual([
      'Other swept settings held at login rate = 0.1, refresh',
      'cadence (pipeline weekly-batch) = 1h.',
    ]);
    expect(wrapText('', 60)).toEqual([]);
  });
});
