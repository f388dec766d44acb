// docs/method.md invariant 8.9: the drift estimator recovers a planted OU drift rate kappa.
//
// What the estimator implies (src/audit/drift.ts): similarity of category distributions is a smooth
// function of the taste offsets at the two times, whose correlation is exp(-kappa D); by the Mehler
// expansion S(D) - c is a non-negative mixture of exp(-k kappa D), k >= 1. The fitted single exponential
// therefore has tau <= 1 / kappa, close to it when drift moves category logits little and lower as the
// higher harmonics grow with the drift's size. Measured over seeds 1-8 (3000 persons, 60 days):
//   stationary |x| (scale) 1, DEFAULT_WORLD's size: tau kappa 0.59-1.53, band contains 1/kappa in 21 of 24 runs;
//   scale 2: tau kappa 0.69-1.03; scale 3: tau kappa 0.60-0.76 (bands exclude 1/kappa: the bias above).
import { describe, expect, it } from 'vitest';
import { measureDrift, type DriftEstimate } from '../../src/audit/drift.ts';
import { DAY_MS, driftWorld } from './worlds.ts';

const KAPPAS = [0.1, 0.3, 1.0];

function estimate(kappa: number, scale: number, seed: number): DriftEstimate {
  const w = driftWorld(kappa, scale, seed);
  return measureDrift(w.log, w.items.category, { seed });
}

describe('invariant 9: planted drift is recovered', () => {
  it('at the default drift size, the band contains 1/kappa and tau orders with kappa', () => {
    const est = KAPPAS.map((k) => estimate(k, 1, 1));
    est.forEach((d, i) => {
      const planted = DAY_MS / KAPPAS[i];
      expect(d.status).toBe('decay');
      expect(d.band.lo).toBeLessThanOrEqual(planted);
      expect(d.band.hi).toBeGreaterThanOrEqual(planted);
      expect(d.halfLifeMs).toBeCloseTo(d.tauMs * Math.LN2, 6);
    });
    expect(est[0].tauMs).toBeGreaterThan(est[1].tauMs);
    expect(est[1].tauMs).toBeGreaterThan(est[2].tauMs);
  });

  it('with strong drift, tau is within [0.5, 1.05] / kappa and the bands separate the kappas', () => {
    const est = KAPPAS.map((k) => estimate(k, 3, 2));
    est.forEach((d, i) => {
      expect(d.status).toBe('decay');
      const ratio = (d.tauMs / DAY_MS) * KAPPAS[i];
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(1.05);
      // Strong drift leaves a clear long-run level below 1 and a large fall across the lags.
      expect(d.c).toBeLessThan(0.8);
      expect(d.decline).toBeGreaterThan(0.2);
    });
    expect(est[0].band.lo).toBeGreaterThan(est[1].band.hi);
    expect(est[1].band.lo).toBeGreaterThan(est[2].band.hi);
  });
});
