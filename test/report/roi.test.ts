import { describe, expect, it } from 'vitest';
import { computeRoi, hitKeyOf, measuredVsTrue, roiColumns } from '../../src/report/roi.ts';
import { parseRequestColumns, requestBootstrap } from '../../src/report/requestColumns.ts';
import { businessOf, pricedModel } from '../../src/report/business.ts';
import { DEFAULT_BUSINESS } from '../../src/scenario/defaults.ts';
import { loadFixture } from './helpers.ts';

const fx = loadFixture();
const table = parseRequestColumns(fx.requestsCsv, roiColumns(fx.results));
const roi = computeRoi(fx.results, table);
const b = fx.results.scenario.business;
const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;

describe('ROI (docs/method.md section 7)', () => {
  it('prices HR at the primary metric K against the first pipeline, for the offline winner by default', () => {
    expect(hitKeyOf(fx.results)).toBe('hit@10');
    expect(roi.baseline).toBe('weekly-batch');
    expect(roi.pricedModel).toBe('knn');
    expect(roi.intervals).toBe('paired');
    expect(roi.rows).toHaveLength(fx.results.models.length * fx.results.pipelines.length);
  });

  it('ΔHR is the paired mean difference of per-request hits, with an interval around it', () => {
    const row = roi.rows.find((r) => r.model === 'knn' && r.pipeline === 'daily-stitched')!;
    const a = table.columns.get('knn.daily-stitched.hit@10')!;
    const z = table.columns.get('knn.weekly-batch.hit@10')!;
    expect(row.deltaHit.mean).toBeCloseTo(mean(a) - mean(z), 10);
    // ... which also equals the difference of the served means in results.json.
    const served = (p: string) => fx.results.results.find((r) => r.model === 'knn' && r.pipeline === p)!.metrics['hit@10'].served.mean;
    expect(row.deltaHit.mean).toBeCloseTo(served('daily-stitched') - served('weekly-batch'), 5);
    expect(row.deltaHit.lo).toBeLessThan(row.deltaHit.mean);
    expect(row.deltaHit.hi).toBeGreaterThan(row.deltaHit.mean);
  });

  it('each paired ΔHR interval equals its own bootstrap interval (the batched pass changes no bit)', () => {
    const boot = requestBootstrap(table, { seed: fx.results.scenario.seed, replicates: fx.results.config.bootstrap, level: fx.results.config.level });
    let compared = 0;
    for (const row of roi.rows.filter((r) => !r.isBaseline)) {
      const a = table.columns.get(`${row.model}.${row.pipeline}.hit@10`)!;
      const z = table.columns.get(`${row.model}.${roi.baseline}.hit@10`)!;
      expect(row.deltaHit).toEqual(boot.interval(a.map((v, r) => v - z[r])));
      compared++;
    }
    expect(compared).toBe(fx.results.models.length * (fx.results.pipelines.length - 1));
  });

  it('gives the same intervals on two threads', () => {
    expect(computeRoi(fx.results, table, { threads: 2 })).toEqual(roi);
  });

  it("follows the formulas: ΔCR = exposure x incrementality x ΔHR; Δrevenue = sessions x ΔCR x AOV x margin; CAC'/CAC = CR/CR'", () => {
    for (const row of roi.rows) {
      const dcr = b.exposure * b.incrementality * row.deltaHit.mean;
      expect(row.deltaConversionRate.mean).toBeCloseTo(dcr, 12);
      expect(row.deltaOrdersPerMonth.mean).toBeCloseTo(b.sessionsPerMonth * dcr, 6);
      expect(row.deltaRevenuePerMonth.mean).toBeCloseTo(b.sessionsPerMonth * dcr * b.averageOrderValue * b.margin, 6);
      const rev = (inc: number) => b.sessionsPerMonth * b.exposure * inc * row.deltaHit.mean * b.averageOrderValue * b.margin;
      expect(row.revenueRange[0]).toBeCloseTo(rev(0.05), 6);
      expect(row.revenueRange[1]).toBeCloseTo(rev(0.3), 6);
      // The conversion rate is a share of sessions: converting sessions over sessions after the split.
      const cr0 = fx.results.counts.testConvertingSessions / fx.results.counts.testSessions;
      expect(row.cacRatio).toBeCloseTo(cr0 / (cr0 + dcr), 12);
      expect(row.spendEquivalentPerMonth).toBeCloseTo(b.marketingSpendPerMonth * (1 - cr0 / (cr0 + dcr)), 6);
      if (row.isBaseline) expect([row.deltaHit, row.cacRatio]).toEqual([{ mean: 0, lo: 0, hi: 0 }, 1]);
    }
  });

  it('hand-computed example: 200k sessions, exposure 0.6, incrementality 0.1, AOV 80, margin 0.25, ΔHR 0.05 -> EUR 12,000 per month', () => {
    const one = { ...fx.results, pipelines: fx.results.pipelines.slice(0, 2) };
    const t = { length: 4, cluster: Int32Array.of(1, 2, 3, 4), columns: new Map<string, Float64Array>() };
    for (const m of one.models) {
      t.columns.set(`${m.name}.weekly-batch.hit@10`, Float64Array.of(0, 1, 0, 1));
      t.columns.set(`${m.name}.daily-stitched.hit@10`, Float64Array.of(0, 1, 1, 1));
    }
    // 4 requests: ΔHR = 1/4; with the fixture's counts the request count differs, so intervals are dropped.
    const r = computeRoi({ ...one, counts: { ...one.counts, requests: 4 } }, t);
    const row = r.rows.find((x) => x.model === 'knn' && x.pipeline === 'daily-stitched')!;
    expect(row.deltaHit.mean).toBe(0.25);
    expect(row.deltaRevenuePerMonth.mean).toBeCloseTo(200_000 * 0.6 * 0.1 * 0.25 * 80 * 0.25, 6); // 60,000
  });

  it('without requests.csv: point estimates from the served means, no intervals', () => {
    const r = computeRoi(fx.results, null);
    expect(r.intervals).toBe('none');
    const row = r.rows.find((x) => x.model === 'knn' && x.pipeline === 'daily-stitched')!;
    expect(row.deltaHit.mean).toBeCloseTo(roi.rows.find((x) => x.model === 'knn' && x.pipeline === 'daily-stitched')!.deltaHit.mean, 5);
    expect(Number.isNaN(row.deltaRevenuePerMonth.lo)).toBe(true);
  });

  it('measured vs true conversion rate from the test-period counts', () => {
    const c = fx.results.counts;
    const m = measuredVsTrue(fx.results);
    expect(m.conversionRateMeasured).toBe(c.testConversions / c.testKeys);
    expect(m.conversionRateTrue).toBe(c.testConversions / c.testPersons);
    expect(m.visitorInflation).toBeCloseTo(c.testKeys / c.testPersons - 1, 12);
    expect(m.conversionRateMeasured).toBeLessThan(m.conversionRateTrue); // fragmentation deflates it
  });

  it('results without a business section get the documented defaults', () => {
    const old = { ...fx.results, scenario: { ...fx.results.scenario, business: undefined } } as unknown as typeof fx.results;
    expect(businessOf(old)).toEqual({ ...DEFAULT_BUSINESS, source: 'defaults' });
    expect(pricedModel(old, businessOf(old))).toBe('knn');
    expect(pricedModel(fx.results, { ...b, model: 'ease' })).toBe('ease');
  });
});

describe('the baseline conversion rate', () => {
  const withCounts = (sessions: number, converting: number, rate: number | null) => {
    const r = structuredClone(fx.results);
    r.counts = { ...r.counts, testSessions: sessions, testConvertingSessions: converting };
    r.scenario = { ...r.scenario, business: { ...r.scenario.business, baselineConversionRate: rate } };
    return r;
  };

  it('is measured as converting sessions over sessions when the log has sessions without a conversion', () => {
    const roi = computeRoi(withCounts(1000, 31, null), null);
    expect(roi.baseConversionRate).toBe(0.031);
    expect(roi.baseConversionRateSource).toBe('log');
  });

  it('is unavailable on a log whose every session converts (only purchases), so CAC is not priced', () => {
    const roi = computeRoi(withCounts(500, 500, null), null);
    expect(roi.baseConversionRate).toBeNaN();
    expect(roi.baseConversionRateSource).toBe('unavailable');
    for (const row of roi.rows) expect(row.cacRatio).toBeNaN();
  });

  it('comes from business.baselineConversionRate when the scenario gives one', () => {
    const roi = computeRoi(withCounts(500, 500, 0.02), null);
    expect(roi.baseConversionRate).toBe(0.02);
    expect(roi.baseConversionRateSource).toBe('business');
  });
});

describe('the oracle is a ceiling', () => {
  it('marks pipelines that serve the true person as the ceiling, and the story does not offer them as an option', async () => {
    const roi = computeRoi(fx.results, parseRequestColumns(fx.requestsCsv, roiColumns(fx.results)));
    const oracle = fx.results.pipelines.filter((p) => p.identity === 'oracle').map((p) => p.name);
    expect(oracle.length).toBeGreaterThan(0);
    for (const row of roi.rows) expect(row.ceiling).toBe(oracle.includes(row.pipeline) && !row.isBaseline);
    const { narrative } = await import('../../src/report/narrative.ts');
    const { toMd } = await import('../../src/report/prose.ts');
    const worth = narrative(fx.results, roi).worth.map(toMd);
    const ceiling = worth.filter((p) => p.startsWith('`streaming-oracle`'));
    expect(ceiling).toHaveLength(1);
    expect(ceiling[0]).toContain('it is the ceiling, not an option');
    expect(ceiling[0]).not.toContain('acquisition cost');
  });
});

describe('costs: net value, payback and return', () => {
  it('nets the monthly cost off the value, shifts the interval, and pays back the one-off cost', async () => {
    const { costOf } = await import('../../src/report/roi.ts');
    expect(costOf({ oneOff: 60_000, perMonth: 5_000 }, { mean: 25_000, lo: 20_000, hi: 30_000 })).toEqual({
      cost: { oneOff: 60_000, perMonth: 5_000 },
      netPerMonth: { mean: 20_000, lo: 15_000, hi: 25_000 },
      paybackMonths: 3,
      // (12 x 20,000 - 60,000) / (60,000 + 12 x 5,000) = 180,000 / 120,000
      roiFirstYear: 1.5,
    });
    expect(costOf({ oneOff: 10_000, perMonth: 30_000 }, { mean: 25_000, lo: 20_000, hi: 30_000 }).paybackMonths).toBe(Infinity);
    expect(costOf(undefined, { mean: 1, lo: 0, hi: 2 })).toEqual({ cost: null, netPerMonth: null, paybackMonths: NaN, roiFirstYear: NaN });
  });

  it('tells the rebuild story net of its cost', async () => {
    const { loadScenario } = await import('../../src/scenario/load.ts');
    const s = loadScenario(new URL('../../scenarios/rebuild.yaml', import.meta.url).pathname);
    expect(s.business.costs).toEqual({ rebuilt: { oneOff: 250_000, perMonth: 20_000 } });
    const { parseScenario } = await import('../../src/scenario/load.ts');
    const { smallScenarioYaml } = await import('../helpers.ts');
    expect(() => parseScenario(`${smallScenarioYaml()}\nbusiness: { costs: { nightly: { oneOff: 1 } } }\n`, 'small.yaml')).toThrow(
      'small.yaml:11: business.costs.nightly is {"oneOff":1}; expected a key naming one of the scenario\'s pipelines (weekly-batch, daily-stitched, streaming-oracle)',
    );
  });
});
