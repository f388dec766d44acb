// The pieces of the fit: the fixed-point step, the kappa map, the device mixture, the first estimates.
import { describe, expect, it } from 'vitest';
import { fromScale, nextKnobValue, relativeError, toScale } from '../../src/calibrate/fixedPoint.ts';
import { kappaForTau } from '../../src/calibrate/driftMap.ts';
import { simplexLeastSquares } from '../../src/calibrate/deviceMix.ts';
import { activityShape, normalizeShares, untruncatedMean } from '../../src/calibrate/twinWorld.ts';
import { KNOBS, knobValue, setKnob } from '../../src/calibrate/knobs.ts';

describe('nextKnobValue: a bounded Newton step with a fixed slope', () => {
  it('log knobs move by the ratio the statistic misses, over the slope', () => {
    expect(nextKnobValue({ space: 'log', slope: 1 }, 100, 80, 90)).toBeCloseTo(112.5, 10);
    // Slope 2: half the log-distance.
    expect(nextKnobValue({ space: 'log', slope: 2 }, 100, 81, 100)).toBeCloseTo(100 / 0.9, 10);
    // A negative slope moves the other way (heterogeneity against the visits' CV).
    expect(nextKnobValue({ space: 'log', slope: -1 }, 1, 2, 1)).toBeCloseTo(2, 10);
  });

  it('logit knobs move on the logit scale', () => {
    // Statistic at logit 0 (0.5), target at logit(0.7) = ln(7/3): the knob moves from 0.5 by ln(7/3) to 0.7.
    expect(nextKnobValue({ space: 'logit', slope: 1 }, 0.5, 0.5, 0.7)).toBeCloseTo(0.7, 12);
    // The same knob at 0.2 moves by the same logit distance: to 1 / (1 + 4 * 3/7).
    expect(nextKnobValue({ space: 'logit', slope: 1 }, 0.2, 0.5, 0.7)).toBeCloseTo(1 / (1 + 12 / 7), 12);
    expect(toScale('logit', 0.5)).toBe(0);
    expect(fromScale('logit', Math.log(4))).toBeCloseTo(0.8, 12);
  });

  it('no step is larger than a factor of e (or the knob’s own limit)', () => {
    expect(nextKnobValue({ space: 'log', slope: 1 }, 1, 1, 1000)).toBeCloseTo(Math.E, 12);
    expect(nextKnobValue({ space: 'log', slope: 1, maxStep: 0.5 }, 1, 1000, 1)).toBeCloseTo(Math.exp(-0.5), 12);
  });

  it('relativeError is |twin - log| / |log|', () => {
    expect(relativeError(110, 100)).toBeCloseTo(0.1, 12);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(1, 0)).toBe(Infinity);
  });

  it('setKnob clamps, rounds to what the YAML shows, and writes durations in days', () => {
    const world: Record<string, unknown> = {};
    expect(setKnob(world, KNOBS.viewsPerSession, 0.2)).toBe(1);
    expect(setKnob(world, KNOBS.sessionsPerDay, 0.123456)).toBe(0.1235);
    expect(setKnob(world, KNOBS.persons, 1234.6)).toBe(1235);
    setKnob(world, KNOBS.delayMean, 1.23456);
    expect(world).toEqual({ activity: { viewsPerSession: 1, sessionsPerDay: 0.1235 }, persons: 1235, funnel: { delayMean: '1.235d' } });
    expect(knobValue(world, KNOBS.delayMean)).toBe(1.235);
  });
});

describe('kappaForTau: the line through the probes, inverted', () => {
  it('on tau = 2 / kappa exactly, any target is hit', () => {
    const probes = [0.1, 0.2, 0.4, 0.8].map((kappa) => ({ kappa, tauDays: 2 / kappa }));
    expect(kappaForTau(probes, 4, 1)).toBeCloseTo(0.5, 10);
    expect(kappaForTau(probes, 3, 1)).toBeCloseTo(2 / 3, 10);
  });

  it('the doc example: tau 8, 4, 2 at kappa 0.1, 0.2, 0.4 and a target of 3', () => {
    expect(
      kappaForTau(
        [
          { kappa: 0.1, tauDays: 8 },
          { kappa: 0.2, tauDays: 4 },
          { kappa: 0.4, tauDays: 2 },
        ],
        3,
        0.2,
      ),
    ).toBeCloseTo(0.8 / 3, 10);
  });

  it('leaves out probes without decay (tau 365, censored), and keeps the guess with fewer than two left', () => {
    const probes = [
      { kappa: 0.05, tauDays: 365 },
      { kappa: 0.1, tauDays: 10 },
      { kappa: 0.2, tauDays: 5 },
    ];
    expect(kappaForTau(probes, 2.5, 0.3)).toBeCloseTo(0.4, 10);
    expect(
      kappaForTau(
        [
          { kappa: 0.05, tauDays: 365 },
          { kappa: 0.1, tauDays: 10 },
        ],
        2.5,
        0.3,
      ),
    ).toBe(0.3);
    // A line that rises with kappa (noise) cannot be inverted.
    expect(
      kappaForTau(
        [
          { kappa: 0.1, tauDays: 2 },
          { kappa: 0.2, tauDays: 3 },
        ],
        2.5,
        0.3,
      ),
    ).toBe(0.3);
  });

  it('stays within a factor of 4 of the probed kappas', () => {
    const probes = [0.1, 0.2].map((kappa) => ({ kappa, tauDays: 1 / kappa }));
    expect(kappaForTau(probes, 0.01, 0.15)).toBeCloseTo(0.8, 10);
  });
});

describe('simplexLeastSquares: the device mix as a mixture of one-count histograms', () => {
  it('recovers the weights of an exact mixture', () => {
    const columns = [
      [0.7, 0.2, 0.1, 0],
      [0.2, 0.5, 0.2, 0.1],
      [0.05, 0.25, 0.4, 0.3],
    ];
    const w = [0.5, 0.35, 0.15];
    const target = columns[0].map((_, i) => w.reduce((a, wj, j) => a + wj * columns[j][i], 0));
    simplexLeastSquares(columns, target).forEach((x, j) => expect(x).toBeCloseTo(w[j], 10));
  });

  it('puts no weight where the unconstrained fit would go negative', () => {
    // The target is the first column: any weight on the others only adds error.
    expect(
      simplexLeastSquares(
        [
          [1, 0],
          [0, 1],
          [0.5, 0.5],
        ],
        [1, 0],
      ),
    ).toEqual([1, 0, 0]);
    // Halfway between two columns: the third, equal to the midpoint, is as good as the pair.
    const mid = simplexLeastSquares(
      [
        [1, 0],
        [0, 1],
      ],
      [0.5, 0.5],
    );
    expect(mid[0]).toBeCloseTo(0.5, 12);
    expect(mid[1]).toBeCloseTo(0.5, 12);
  });
});

describe('first estimates of the activity settings', () => {
  it('activityShape inverts CV^2 = 1/mean + 1/shape within the knob bounds', () => {
    expect(activityShape(4, 1)).toBeCloseTo(4 / 3, 12);
    expect(activityShape(4, 0.5)).toBe(100); // no spread beyond Poisson: the upper bound
    expect(activityShape(3, 10)).toBe(0.1); // wider than the family reaches: the lower bound
  });

  it('untruncatedMean undoes the zero truncation of a negative binomial', () => {
    // Shape 1 (geometric), mean 1: P(0) = 1/2, so the persons who show up average 2.
    expect(untruncatedMean(2, 1)).toBeCloseTo(1, 9);
    // Shape 2, mean 2: P(0) = (1 + 1)^-2 = 1/4, shown mean 2 / (3/4).
    expect(untruncatedMean(8 / 3, 2)).toBeCloseTo(2, 9);
  });

  it('normalizeShares makes a mix sum to exactly 1 at four decimals', () => {
    const world = { identity: { channelMix: { app: 1, mweb: 1, desktop: 1 }, devices: [0.2, 0.2, 0.1] } };
    normalizeShares(world, ['identity', 'channelMix']);
    normalizeShares(world, ['identity', 'devices']);
    expect(world.identity.channelMix).toEqual({ app: 0.3334, mweb: 0.3333, desktop: 0.3333 });
    expect(world.identity.devices).toEqual([0.4, 0.4, 0.2]);
    expect(Object.values(world.identity.channelMix).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
