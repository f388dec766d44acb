// whatif.html without a browser: the controls each setting gets, the data the views filter (the grid's exact
// numbers, with each setting's value index), each point's shares and money taken from its results, and the
// page itself (one inline script allowed by its hash, data that cannot close its block, under the budget).
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { compile, type TopLevelSpec } from 'vega-lite';
import { controlKind, whatIfDatasets, whatIfParams, WHATIF_CHARTS } from '../../src/report/charts/whatIfExplorer.ts';
import { buildWhatIfPage, scriptJson, WHATIF_MAX_BYTES } from '../../src/report/whatIfPage.ts';
import { whatIfDetail, type WhatIfDetail } from '../../src/report/whatIfData.ts';
import { sweepMsg } from '../../src/report/messages.ts';
import type { SweepTable } from '../../src/results/sweep.ts';
import { SWEEP_FIXTURE, TWO_AXIS_SWEEP_FIXTURE } from './sweepFixture.ts';
import { HOSTILE, HOSTILE_MODEL, loadFixture } from './helpers.ts';

/** Hand-made details for a table: one share per factor and one money row per non-baseline pipeline. */
function detailsOf(t: SweepTable): WhatIfDetail[] {
  return t.points.map((p) => ({
    point: p.point,
    shares: t.rows
      .filter((r) => r.point === p.point)
      .flatMap((r) => [
        { model: r.model, pipeline: r.pipeline, factor: 'staleness', share: { mean: r.gap.mean / 2, lo: 0, hi: r.gap.mean } },
        { model: r.model, pipeline: r.pipeline, factor: 'identity', share: { mean: r.gap.mean / 2, lo: 0, hi: r.gap.mean } },
      ]),
    money: t.rows
      .filter((r) => r.point === p.point && r.pipeline !== t.pipelines[0])
      .map((r) => ({
        model: r.model,
        pipeline: r.pipeline,
        deltaRevenuePerMonth: { mean: 1000 * (p.point + 1), lo: 500, hi: 1500 * (p.point + 1) },
        cost: { oneOff: 100, perMonth: 10 },
        netPerMonth: { mean: 1000 * (p.point + 1) - 10, lo: 490, hi: 1500 * (p.point + 1) - 10 },
        paybackMonths: 100 / (1000 * (p.point + 1) - 10),
      })),
    baseline: t.pipelines[0],
    currency: 'EUR',
    businessSource: 'scenario' as const,
    intervals: 'paired' as const,
  }));
}

describe('what-if page controls', () => {
  it.each([
    [{ kind: 'duration', order: ['1h', '1d', '7d'] }, 'range'],
    [{ kind: 'number', order: ['0.1', '0.5', '0.9'] }, 'range'],
    [{ kind: 'category', order: ['stream', '1h', '6h', '1d', '7d'] }, 'range'],
    [{ kind: 'category', order: ['key', 'login', 'graph'] }, 'select'],
    [{ kind: 'category', order: ['stream', 'key'] }, 'select'],
  ] as const)('%j gets a %s', (axis, kind) => {
    expect(controlKind({ kind: axis.kind, order: [...axis.order] })).toBe(kind);
  });

  it('binds one param per setting over the index of its value, starting at the given point', () => {
    const t = structuredClone(TWO_AXIS_SWEEP_FIXTURE);
    t.axes[1] = { ...t.axes[1], kind: 'category', order: ['0.9', 'high', 'low'] };
    expect(whatIfParams(t, { 'pipelines.1.refresh': '1d', 'world.identity.loginRate': 'high' })).toEqual([
      { name: 'ax0', value: 1, bind: { input: 'range', min: 0, max: 2, step: 1, name: 'refresh cadence (pipeline stitched) ' } },
      { name: 'ax1', value: 1, bind: { input: 'select', options: [0, 1, 2], labels: ['0.9', 'high', 'low'], name: 'login rate ' } },
    ]);
  });
});

describe('what-if page data', () => {
  it("carries every row's exact frozen, served and gap with the index of each setting's value", () => {
    const t = TWO_AXIS_SWEEP_FIXTURE;
    const d = whatIfDatasets(t, detailsOf(t));
    expect(d.metrics).toHaveLength(t.rows.length * 3);
    for (const r of t.rows) {
      const ix = { ix0: t.axes[0].order.indexOf(r.settings[t.axes[0].path]), ix1: t.axes[1].order.indexOf(r.settings[t.axes[1].path]) };
      const at = (kind: string) => d.metrics.find((m) => m.point === r.point && m.model === r.model && m.pipeline === r.pipeline && m.kind === kind);
      expect(at('offline')).toMatchObject({ ...ix, mean: r.frozen.mean, lo: r.frozen.lo, hi: r.frozen.hi });
      expect(at('served')).toMatchObject({ ...ix, mean: r.served.mean, lo: r.served.lo, hi: r.served.hi });
      expect(at('gap')).toMatchObject({ ...ix, mean: r.gap.mean, lo: r.gap.lo, hi: r.gap.hi });
    }
    // Identity: once per point and pipeline (the first model's row), five measures.
    expect(d.identity).toHaveLength(t.points.length * t.pipelines.length * 5);
    expect(d.money.map((m) => m.mean)).toEqual(t.points.flatMap((p) => t.models.map(() => 1000 * (p.point + 1) - 10)));
    expect(d.money.every((m) => m.net === true)).toBe(true);
  });

  it("takes a point's shares from its results (they sum to the gap) and its money net of the pipeline's cost", () => {
    const { results } = loadFixture();
    const r = structuredClone(results);
    r.scenario.business!.costs = { 'daily-stitched': { oneOff: 5000, perMonth: 700 } };
    const d = whatIfDetail(4, r, null);
    expect(d).toMatchObject({ point: 4, baseline: 'weekly-batch', currency: 'EUR', businessSource: 'scenario', intervals: 'none' });
    const metric = r.config.primaryMetric;
    for (const x of r.results) {
      const shares = d.shares.filter((s) => s.model === x.model && s.pipeline === x.pipeline);
      expect(shares.map((s) => s.factor)).toEqual(x.decomposition.factors);
      const sum = shares.reduce((a, s) => a + s.share.mean, 0);
      // results.json keeps 7 significant digits: the sum agrees to rounding.
      expect(sum).toBeCloseTo(x.metrics[metric].gap.mean, 5);
    }
    expect(d.money.map((m) => m.pipeline)).not.toContain('weekly-batch');
    expect(d.money).toHaveLength(r.models.length * (r.pipelines.length - 1));
    for (const m of d.money) {
      if (m.pipeline === 'daily-stitched') {
        expect(m.cost).toEqual({ oneOff: 5000, perMonth: 700 });
        expect(m.netPerMonth!.mean).toBeCloseTo(m.deltaRevenuePerMonth.mean - 700, 9);
      } else expect(m.netPerMonth).toBeNull();
    }
  });
});

describe('whatif.html', () => {
  const { files, bytes, warnings } = buildWhatIfPage(TWO_AXIS_SWEEP_FIXTURE, detailsOf(TWO_AXIS_SWEEP_FIXTURE));
  const page = files.find((f) => f.name === 'whatif.html')!.content as string;

  it('writes the page and each Vega-Lite spec beside it, every spec compiling without a warning', () => {
    expect(files.map((f) => f.name)).toEqual([...Object.values(WHATIF_CHARTS).map((s) => `charts/${s}.vl.json`), 'whatif.html']);
    expect(warnings).toEqual([]);
    for (const f of files.filter((x) => x.name.endsWith('.vl.json'))) {
      const spec = JSON.parse(f.content as string) as TopLevelSpec & { params: Array<{ name: string }> };
      expect(spec.params.map((p) => p.name)).toEqual(['ax0', 'ax1']);
      const seen: string[] = [];
      const logger = {
        level: () => logger,
        warn: (...a: unknown[]) => (seen.push(a.join(' ')), logger),
        info: () => logger,
        debug: () => logger,
        error: () => logger,
      };
      compile(spec, { logger: logger as never });
      expect(seen, f.name).toEqual([]);
    }
  });

  it('runs one inline script, allowed by its sha256 in the Content-Security-Policy, and loads nothing', () => {
    const scripts = [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((s) => s[1])).toEqual([' type="application/json" id="whatif-data"', '']);
    const hash = createHash('sha256').update(scripts[1][2], 'utf8').digest('base64');
    const csp = page.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)![1].replaceAll('&#39;', "'");
    expect(csp).toBe(`default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`);
    expect(page).not.toMatch(/<(link|img|iframe|object)\b|<script[^>]*\ssrc=/i);
    expect(bytes).toBe(Buffer.byteLength(page));
    expect(bytes).toBeLessThanOrEqual(WHATIF_MAX_BYTES);
  });

  it('keeps hostile names inside the data block as data', () => {
    const t = structuredClone(SWEEP_FIXTURE);
    t.models = t.models.map((m) => (m === 'knn' ? HOSTILE_MODEL : m));
    t.pipelines = t.pipelines.map((p) => (p === 'weekly-batch' ? HOSTILE : p));
    for (const r of t.rows) {
      if (r.model === 'knn') r.model = HOSTILE_MODEL;
      if (r.pipeline === 'weekly-batch') r.pipeline = HOSTILE;
    }
    const html = buildWhatIfPage(t, detailsOf(t)).files.find((f) => f.name === 'whatif.html')!.content as string;
    const block = html.match(/<script type="application\/json" id="whatif-data">([\s\S]*?)<\/script>/)![1];
    expect(block).not.toContain('<');
    expect(JSON.stringify(JSON.parse(block))).toContain(HOSTILE);
    expect(html.split('<script>alert(1)').length).toBe(1);
    expect(scriptJson({ a: '</script>\u2028', b: NaN })).toBe('{"a":"\\u003c/script>\\u2028","b":null}');
  });

  it('warns, with the message, when the page is over its budget', () => {
    const wide = structuredClone(SWEEP_FIXTURE);
    const many = Array.from({ length: 150 }, (_, i) => `pipeline-${i}-${'x'.repeat(40)}`);
    wide.pipelines = many;
    wide.rows = wide.points.flatMap((p) =>
      many.flatMap((pipeline) => wide.models.map((model) => ({ ...SWEEP_FIXTURE.rows[0], point: p.point, settings: p.settings, model, pipeline }))),
    );
    const r = buildWhatIfPage(wide, detailsOf(wide));
    expect(r.bytes).toBeGreaterThan(WHATIF_MAX_BYTES);
    expect(r.warnings).toEqual([sweepMsg.whatIfTooLarge(r.bytes, WHATIF_MAX_BYTES)]);
  });
});
