// The visit model behind calibrate's activity fit: zero-truncated moments of Gamma- and lognormal-mixed Poisson
// visits with one-off persons, and their inversion.
import { describe, expect, it } from 'vitest';
import { fitGamma, fitLognormal, gammaMoments, lognormalMoments } from '../../src/calibrate/visitModel.ts';
import { lognormalActivity } from '../../src/calibrate/twinWorld.ts';

describe('visit moments', () => {
  it('gamma: shape 1, mean 1 is geometric: P(0) = 1/2, so those who visit average 2 with P(1 | >= 1) = 1/2', () => {
    // E[X^2] = m + m^2 (1 + 1/k) = 3; over the half who show up, 6, so the variance is 6 - 4 = 2.
    const s = gammaMoments(1, 1);
    expect(s.showUp).toBeCloseTo(0.5, 12);
    expect(s.mean).toBeCloseTo(2, 12);
    expect(s.cv).toBeCloseTo(Math.SQRT2 / 2, 12);
    expect(s.one).toBeCloseTo(0.5, 12);
  });

  it('lognormal with a tiny sigma is Poisson; one-off persons add visits of exactly one', () => {
    // Poisson(1) truncated at zero: P(0) = 1/e, mean 1 / (1 - 1/e), P(1 | >= 1) = (1/e) / (1 - 1/e).
    const e = Math.exp(-1);
    const p = lognormalMoments({ m: 1, sigma: 1e-4, oneOff: 0 });
    expect(p.showUp).toBeCloseTo(1 - e, 6);
    expect(p.mean).toBeCloseTo(1 / (1 - e), 6);
    expect(p.one).toBeCloseTo(e / (1 - e), 6);
    // A quarter one-off: shown 0.25 + 0.75 (1 - 1/e); mean (0.25 + 0.75) / shown; one (0.25 + 0.75 / e) / shown.
    const q = lognormalMoments({ m: 1, sigma: 1e-4, oneOff: 0.25 });
    const shown = 0.25 + 0.75 * (1 - e);
    expect(q.showUp).toBeCloseTo(shown, 6);
    expect(q.mean).toBeCloseTo(1 / shown, 6);
    expect(q.one).toBeCloseTo((0.25 + 0.75 * e) / shown, 6);
  });

  it('lognormal second moment: E[X^2] = m + m^2 exp(sigma^2) when nobody is left out (large m)', () => {
    const s = lognormalMoments({ m: 200, sigma: 0.3, oneOff: 0 });
    expect(s.showUp).toBeCloseTo(1, 9);
    expect(s.cv).toBeCloseTo(Math.sqrt(1 / 200 + Math.exp(0.09) - 1), 9);
  });
});

describe('fitting the visit model', () => {
  it('fitLognormal inverts lognormalMoments', () => {
    const params = { m: 2.2, sigma: 1.35, oneOff: 0.21 };
    const fit = fitLognormal(lognormalMoments(params));
    expect(fit.reached).toEqual({ cv: true, one: true });
    expect(fit.params.m).toBeCloseTo(2.2, 5);
    expect(fit.params.sigma).toBeCloseTo(1.35, 5);
    expect(fit.params.oneOff).toBeCloseTo(0.21, 5);
  });

  it('fewer single visits than a lognormal alone gives: oneOff at 0, what the log wants below it', () => {
    const fit = fitLognormal({ mean: 3, cv: 1, one: 0.2 });
    expect(fit.params.oneOff).toBe(0);
    expect(fit.wantedOneOff).toBeLessThan(0);
    expect(fit.reached).toEqual({ cv: true, one: false });
    const s = lognormalMoments(fit.params);
    expect(s.mean).toBeCloseTo(3, 6);
    expect(s.cv).toBeCloseTo(1, 6);
  });

  it('fitGamma inverts gammaMoments, and says when no shape in range reaches the CV', () => {
    const fit = fitGamma(gammaMoments(8.75, 1), 0.1, 100);
    expect(fit.reached).toBe(true);
    expect(fit.m).toBeCloseTo(8.75, 6);
    expect(fit.k).toBeCloseTo(1, 6);
    // Online Retail's visits (mean 2.95, CV 1.87): beyond any Gamma shape >= 0.1 once truncated at zero.
    expect(fitGamma({ mean: 2.95, cv: 1.87 }, 0.1, 100).reached).toBe(false);
  });

  it('lognormalActivity keeps a Gamma world Gamma, and goes lognormal where no Gamma reaches the log', () => {
    const g = gammaMoments(8.75, 1);
    expect(lognormalActivity({ visitsPerPerson: g.mean, visitsCv: g.cv, oneVisitShare: g.one })).toBeNull();
    // The quickstart's visits (a Gamma world): the model's one-visit share 6.0% against the generator's 6.39%.
    expect(lognormalActivity({ visitsPerPerson: 15.3, visitsCv: 0.942, oneVisitShare: 0.0639 })).toBeNull();
    const l = lognormalActivity({ visitsPerPerson: 2.9465, visitsCv: 1.867, oneVisitShare: 0.5718 });
    expect(l?.gamma.reached).toBe(false);
    expect(l?.params.sigma).toBeCloseTo(1.3457, 3);
    expect(l?.params.oneOff).toBeCloseTo(0.2076, 3);
  });
});
