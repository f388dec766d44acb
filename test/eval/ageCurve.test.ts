import { describe, expect, it } from 'vitest';
import { ageBinIndex, binByAge, DEFAULT_AGE_EDGES_MS, fitRelevanceLoss, fitRelevanceLosses } from '../../src/eval/ageCurve.ts';
import { minimizeOnGrid } from '../../src/stats/minimize.ts';
import { MS } from '../../src/util/duration.ts';
import { Rng } from '../../src/util/rng.ts';

/** Ages log-uniform between 1 minute and 30 days. */
function ages(rng: Rng, n: number): Float64Array {
  const lo = Math.log(MS.m);
  const hi = Math.log(30 * MS.d);
  return Float64Array.from({ length: n }, () => Math.exp(lo + (hi - lo) * rng.float()));
}

describe('binByAge', () => {
  const H = MS.h;
  const D = MS.d;
  // One request per row: age -> expected bin.
  const rows: Array<[number, string]> = [
    [-5, '<1h'], // clock skew lands in the first bin
    [0, '<1h'],
    [30 * MS.m, '<1h'],
    [H, '1-6h'], // edges are inclusive below
    [5 * H, '1-6h'],
    [6 * H, '6-24h'],
    [23 * H, '6-24h'],
    [D, '1-2d'],
    [3 * D, '2-4d'],
    [5 * D, '4-7d'],
    [10 * D, '7-14d'],
    [14 * D, '>=14d'],
    [30 * D, '>=14d'],
    [Infinity, 'empty'],
    [Infinity, 'empty'],
    [NaN, 'none'], // no history: in no bin
  ];
  const ageMs = Float64Array.from(rows, (r) => r[0]);

  it('labels the default bins and counts requests, including empty views', () => {
    const bins = binByAge(ageMs, {});
    expect(bins.map((b) => b.label)).toEqual(['<1h', '1-6h', '6-24h', '1-2d', '2-4d', '4-7d', '7-14d', '>=14d', 'empty']);
    const expected = new Map<string, number>();
    for (const [, label] of rows) expected.set(label, (expected.get(label) ?? 0) + 1);
    for (const b of bins) expect(b.count).toBe(expected.get(b.label));
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(rows.length - 1);
    expect(bins[0]).toMatchObject({ loMs: 0, hiMs: H, empty: false });
    expect(bins[7]).toMatchObject({ loMs: 14 * D, hiMs: Infinity, empty: false });
    expect(bins[8]).toMatchObject({ loMs: Infinity, hiMs: Infinity, empty: true, count: 2 });
  });

  it('averages each series per bin, ignoring NaN values', () => {
    const x = Float64Array.from(rows, (_, i) => i);
    const y = Float32Array.from(rows, (_, i) => (i === 1 ? NaN : 1));
    const bins = binByAge(ageMs, { x, y });
    // '<1h' holds rows 0, 1, 2: mean x = 1; y ignores row 1's NaN.
    expect(bins[0].means).toEqual({ x: 1, y: 1 });
    // '>=14d' holds rows 11, 12; 'empty' rows 13, 14; row 15 (NaN lag) none.
    expect(bins[7].means.x).toBe(11.5);
    expect(bins[8].means.x).toBe(13.5);
  });

  it('keeps empty bins with NaN means and labels custom edges', () => {
    const bins = binByAge(new Float64Array([10 * MS.m, 100 * MS.m]), { v: new Float64Array([1, 2]) }, [30 * MS.m, 90 * MS.m, 2 * H]);
    expect(bins.map((b) => b.label)).toEqual(['<30m', '30-90m', '90-120m', '>=2h', 'empty']);
    expect(bins.map((b) => b.count)).toEqual([1, 0, 1, 0, 0]);
    expect(bins[1].means.v).toBeNaN();
    expect(bins[2].means.v).toBe(2);
  });

  it('exposes the bin index per request', () => {
    expect(Array.from(ageBinIndex(new Float64Array([30 * MS.m, 2 * H, Infinity, NaN]), [H]))).toEqual([0, 1, 2, -1]);
    expect(DEFAULT_AGE_EDGES_MS).toHaveLength(7);
  });

  it.each([
    [[], /invalid edgesMs: empty/],
    [[H, H], /invalid edgesMs: 3600000, 3600000; expected finite, positive, strictly increasing/],
    [[0, H], /invalid edgesMs/],
  ])('rejects edges %j', (edges, message) => {
    expect(() => binByAge(ageMs, {}, edges)).toThrow(message);
  });

  it('rejects a series of the wrong length', () => {
    expect(() => binByAge(ageMs, { x: new Float64Array(2) })).toThrow('invalid series "x": length 2; expected 16');
  });
});

describe('fitRelevanceLoss', () => {
  it('recovers planted L_inf and tau from noiseless data', () => {
    const rng = Rng.fromSeed(1);
    const a = ages(rng, 2000);
    const lInf = 0.3;
    const tauMs = 2 * MS.d;
    const loss = a.map((x) => lInf * (1 - Math.exp(-x / tauMs)));
    const fit = fitRelevanceLoss(a, loss);
    // Tolerance: 1e-9 relative on both parameters (golden-section stops at 1e-10 in log tau).
    expect(Math.abs(fit.lInf / lInf - 1)).toBeLessThan(1e-9);
    expect(Math.abs(fit.tauMs / tauMs - 1)).toBeLessThan(1e-9);
    expect(fit.rmse).toBeLessThan(1e-12);
    expect(fit.n).toBe(2000);
    expect(fit.tauAtBound).toBe(false);
  });

  it('recovers planted parameters from noisy data, with empty views at L_inf and NaN lags left out', () => {
    const rng = Rng.fromSeed(2);
    const n = 20_000;
    const a = ages(rng, n);
    const lInf = 0.05;
    const tauMs = 3 * MS.h;
    const loss = a.map((x) => lInf * (1 - Math.exp(-x / tauMs)) + 0.05 * rng.normal());
    // 2.5% of requests have no history (lag NaN) and a loss that would wreck the fit; another 2.5% an empty
    // served view (lag Infinity), whose loss is L_inf plus noise.
    for (let i = 0; i < n; i += 20) {
      if (i % 40 === 0) {
        a[i] = NaN;
        loss[i] = 100;
      } else {
        a[i] = Infinity;
        loss[i] = lInf + 0.05 * rng.normal();
      }
    }
    const fit = fitRelevanceLoss(a, loss);
    // Stated tolerance with noise sd = L_inf (signal-to-noise 1 per request) and 19.5k requests:
    // L_inf within 5%, tau within 15%; rmse near the noise sd.
    expect(fit.n).toBe(n - n / 40);
    expect(fit.nEmpty).toBe(n / 40);
    expect(Math.abs(fit.lInf / lInf - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit.tauMs / tauMs - 1)).toBeLessThan(0.15);
    expect(fit.rmse).toBeCloseTo(0.05, 2);
  });

  it('returns NaN fields when no request has a usable lag', () => {
    expect(fitRelevanceLoss(new Float64Array([NaN, -1]), new Float64Array([1, 2]))).toEqual({
      lInf: NaN,
      tauMs: NaN,
      rmse: NaN,
      n: 0,
      nEmpty: 0,
      tauAtBound: false,
    });
  });

  it('identifies L_inf from empty views and tau from one finite lag', () => {
    // loss(1h) = L (1 - e^-1/tau_h) = 0.05 (1 - e^-1) with L = 0.05 from the empty views: tau = 1h exactly.
    const y = 0.05 * (1 - Math.exp(-1));
    const fit = fitRelevanceLoss(new Float64Array([MS.h, MS.h, Infinity, Infinity]), new Float64Array([y, y, 0.05, 0.05]));
    expect(fit.lInf).toBeCloseTo(0.05, 9);
    expect(fit.tauMs / MS.h).toBeCloseTo(1, 6);
    expect(fit.nEmpty).toBe(2);
  });

  it('leaves L_inf and tau unidentified when all lags are equal', () => {
    const fit = fitRelevanceLoss(new Float64Array([MS.h, MS.h, MS.h, NaN]), new Float64Array([0.1, 0.3, 0.2, 5]));
    expect(fit.lInf).toBeNaN();
    expect(fit.tauMs).toBeNaN();
    // Residual of the best constant 0.2: sqrt((0.01 + 0.01 + 0) / 3).
    expect(fit.rmse).toBeCloseTo(Math.sqrt(0.02 / 3), 12);
    expect(fit.n).toBe(3);
  });

  it('flags tau at the end of the search range for a loss still linear in age', () => {
    const rng = Rng.fromSeed(3);
    const a = ages(rng, 500);
    const fit = fitRelevanceLoss(
      a,
      a.map((x) => x / (30 * MS.d)),
    );
    expect(fit.tauAtBound).toBe(true);
    expect(fit.tauMs).toBeCloseTo(365 * MS.d, -7);
  });
});

describe('fitRelevanceLosses', () => {
  // fitRelevanceLoss as it was before lags of 0 and Infinity skipped exp and fits shared their grid.
  function referenceFit(ageMs: Float64Array, loss: Float64Array) {
    const keep = [...ageMs.keys()].filter((r) => ageMs[r] >= 0 && loss[r] === loss[r] && Math.abs(loss[r]) < Infinity);
    const a = Float64Array.from(keep, (r) => ageMs[r]);
    const y = Float64Array.from(keep, (r) => loss[r]);
    const n = a.length;
    const g = new Float64Array(n);
    const moments = (tau: number) => {
      let sgg = 0;
      let sgy = 0;
      for (let j = 0; j < n; j++) {
        g[j] = -Math.expm1(-a[j] * (1 / tau));
        sgg += g[j] * g[j];
        sgy += g[j] * y[j];
      }
      return { sgg, sgy };
    };
    const sse = (logTau: number) => {
      const { sgg, sgy } = moments(Math.exp(logTau));
      const lInf = sgg > 0 ? sgy / sgg : 0;
      let res = 0;
      for (let j = 0; j < n; j++) res += (y[j] - lInf * g[j]) ** 2;
      return res;
    };
    const { x, atBound } = minimizeOnGrid(sse, Math.log(60_000), Math.log(365 * 86_400_000), 60, 1e-10);
    const res = sse(x);
    const { sgg, sgy } = moments(Math.exp(x));
    return {
      lInf: sgg > 0 ? sgy / sgg : NaN,
      tauMs: Math.exp(x),
      rmse: Math.sqrt(res / n),
      n,
      nEmpty: keep.filter((r) => ageMs[r] === Infinity).length,
      tauAtBound: atBound,
    };
  }

  it('equals the one-at-a-time fit and the plain exp-per-request fit, bit for bit', () => {
    const rng = Rng.fromSeed(21);
    const R = 3000;
    const lag = Float64Array.from({ length: R }, () => {
      const u = rng.float();
      return u < 0.3 ? 0 : u < 0.45 ? Infinity : u < 0.47 ? NaN : rng.exponential(1 / (2 * 86_400_000));
    });
    const loss = (scale: number, nanShare: number) =>
      Float64Array.from(lag, (a) => (rng.float() < nanShare ? NaN : scale * (a === Infinity ? 1 : 1 - Math.exp(-(a || 0) / 86_400_000)) + 0.1 * rng.normal()));
    const losses = [loss(0.3, 0), loss(0.1, 0), loss(0.2, 0.05)];
    const fits = fitRelevanceLosses(lag, losses);
    losses.forEach((y, i) => {
      expect(fits[i]).toEqual(fitRelevanceLoss(lag, y));
      expect(fits[i]).toEqual(referenceFit(lag, y));
    });
    expect(fits[0].nEmpty).toBeGreaterThan(0);
    expect(fits[2].n).toBeLessThan(fits[0].n);
  });

  it('shares the grid among one, two and three losses with the same usable requests, each equal to the plain fit', () => {
    const rng = Rng.fromSeed(22);
    const R = 2000;
    const lag = Float64Array.from({ length: R }, () => (rng.float() < 0.2 ? 0 : rng.float() < 0.1 ? Infinity : rng.exponential(1 / (3 * 86_400_000))));
    const loss = (scale: number) => Float64Array.from(lag, (a) => scale * (a === Infinity ? 1 : -Math.expm1(-a / 86_400_000)) + 0.05 * rng.normal());
    const losses = [loss(0.3), loss(0.1), loss(0.5)];
    for (const group of [losses.slice(0, 1), losses.slice(0, 2), losses]) {
      const fits = fitRelevanceLosses(lag, group);
      group.forEach((y, i) => {
        for (const key of ['lInf', 'tauMs', 'rmse', 'n', 'nEmpty', 'tauAtBound'] as const)
          expect(Object.is(fits[i][key], referenceFit(lag, y)[key])).toBe(true);
      });
    }
  });
});
