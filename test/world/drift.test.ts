import { describe, expect, it } from 'vitest';
import type { World } from '../../src/world/generate.ts';
import { DAY_MS, smallSpec, world } from './helpers.ts';

/**
 * Mean over persons of the cosine similarity of category-view counts: between split halves of the same
 * week (the noise floor) and across week 1 and week 6 with the same half sizes.
 */
function weekSimilarity(w: World): { within: number; cross: number; persons: number } {
  const { spec, log, items } = w;
  const C = spec.categories;
  const P = spec.persons;
  // counts[(week * 2 + half) ][person * C + category], week 0 = first week, 1 = sixth week
  const counts = [0, 1, 2, 3].map(() => new Float64Array(P * C));
  const seen = new Int32Array(P * 2);
  for (let e = 0; e < log.length; e++) {
    if (log.type[e] !== 0) continue;
    const week = Math.floor((log.tsMs[e] - spec.startMs) / (7 * DAY_MS));
    if (week !== 0 && week !== 5) continue;
    const b = week === 0 ? 0 : 1;
    const p = log.person[e];
    const half = seen[p * 2 + b]++ % 2;
    counts[b * 2 + half][p * C + items.category[log.item[e]]]++;
  }
  const cos = (x: Float64Array, y: Float64Array, p: number) => {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let c = p * C; c < (p + 1) * C; c++) {
      xy += x[c] * y[c];
      xx += x[c] * x[c];
      yy += y[c] * y[c];
    }
    return xy / Math.sqrt(xx * yy);
  };
  let within = 0;
  let cross = 0;
  let persons = 0;
  for (let p = 0; p < P; p++) {
    if (seen[p * 2] < 20 || seen[p * 2 + 1] < 20) continue;
    persons++;
    within += (cos(counts[0], counts[1], p) + cos(counts[2], counts[3], p)) / 2;
    cross += (cos(counts[0], counts[3], p) + cos(counts[1], counts[2], p)) / 2;
  }
  return { within: within / persons, cross: cross / persons, persons };
}

const driftSpec = (kappa: number, sigma: number, shiftRate = 0) =>
  smallSpec({ persons: 300, days: 42, activity: { sessionsPerDay: 2, diurnal: false }, drift: { kappa, sigma, shiftRate, shiftStrength: 1.5 } });

describe('taste drift', () => {
  it('without drift, week 1 and week 6 are as similar as split halves of the same week', () => {
    for (const seed of [7, 8]) {
      const s = weekSimilarity(world(driftSpec(0, 0), seed));
      expect(s.persons).toBeGreaterThan(100);
      expect(Math.abs(s.within - s.cross)).toBeLessThan(0.02);
    }
  });

  it('with kappa = 1 and a sizeable sigma, week 6 has measurably moved away from week 1', () => {
    for (const seed of [7, 8]) {
      const s = weekSimilarity(world(driftSpec(1, 3), seed));
      expect(s.persons).toBeGreaterThan(100);
      expect(s.within - s.cross).toBeGreaterThan(0.05);
    }
  });

  it('moves more with a larger sigma at the same kappa', () => {
    const small = weekSimilarity(world(driftSpec(1, 1)));
    const large = weekSimilarity(world(driftSpec(1, 3)));
    expect(large.within - large.cross).toBeGreaterThan(small.within - small.cross + 0.02);
  });

  it('moves taste through regime shifts alone (no diffusion)', () => {
    const s = weekSimilarity(world(driftSpec(0, 0, 0.1)));
    expect(s.within - s.cross).toBeGreaterThan(0.05);
  });
});
