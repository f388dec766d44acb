import { describe, expect, it } from 'vitest';
import { FIELD_SLOTS, PATTERNS, patternOf } from '../../src/identity/compare.ts';
import { FellegiSunter } from '../../src/identity/fellegiSunter.ts';
import { Rng } from '../../src/util/rng.ts';

const F = FIELD_SLOTS.length;
const normalize = (w: number[]) => w.map((x) => x / w.reduce((a, b) => a + b, 0));

/** Planted parameters: matches agree on the high levels, non-matches on the low ones. */
function planted() {
  const m = FIELD_SLOTS.map((s) => normalize(Array.from({ length: s - 1 }, (_, l) => (l + 1) ** 3)));
  const u = FIELD_SLOTS.map((s) => normalize(Array.from({ length: s - 1 }, (_, l) => (s - 1 - l) ** 3)));
  return { m, u };
}

/** Pattern counts of n pairs drawn from the model (lambda, m, u); `labelled` of each class set aside with their labels. */
function draw(n: number, lambda: number, labelled: number, rng: Rng) {
  const { m, u } = planted();
  const hist = new Float64Array(PATTERNS);
  const match = new Float64Array(PATTERNS);
  const nonMatch = new Float64Array(PATTERNS);
  const pick = (w: number[]) => rng.categorical(w);
  for (let i = 0; i < n; i++) {
    const isMatch = rng.float() < lambda;
    const p = patternOf(Array.from({ length: F }, (_, f) => pick(isMatch ? m[f] : u[f])));
    if (i < labelled) (isMatch ? match : nonMatch)[p]++;
    else hist[p]++;
  }
  return { hist, match, nonMatch, m, u };
}

describe('FellegiSunter EM', () => {
  it('recovers planted m, u and lambda from unlabelled pattern counts', () => {
    const rng = Rng.fromSeed(3);
    const { hist, m, u } = draw(60_000, 0.2, 0, rng);
    const fs = new FellegiSunter();
    // u starts from "random pairs": here the non-match distribution itself, as random pairs nearly are.
    const random = draw(20_000, 0, 0, Rng.fromSeed(4)).hist;
    fs.start(random);
    fs.fit(hist);
    expect(fs.lambda).toBeCloseTo(0.2, 1);
    for (let f = 0; f < F; f++) {
      for (let l = 0; l < m[f].length; l++) {
        expect(Math.abs(fs.m[f][l] - m[f][l])).toBeLessThan(0.03);
        expect(Math.abs(fs.u[f][l] - u[f][l])).toBeLessThan(0.03);
      }
    }
  });

  it('uses known matches and non-matches as fixed labels', () => {
    const { hist, match, nonMatch } = draw(20_000, 0.3, 4000, Rng.fromSeed(5));
    const fs = new FellegiSunter();
    fs.start(draw(5000, 0, 0, Rng.fromSeed(6)).hist);
    fs.fit(hist, { match, nonMatch });
    expect(fs.lambda).toBeCloseTo(0.3, 1);
    // The all-strongest pattern is a match, the all-weakest a non-match.
    expect(fs.posterior(patternOf(FIELD_SLOTS.map((s) => s - 2)))).toBeGreaterThan(0.99);
    expect(fs.posterior(patternOf(FIELD_SLOTS.map(() => 0)))).toBeLessThan(0.01);
  });

  it('gives missing fields no weight', () => {
    const fs = new FellegiSunter();
    fs.start(new Float64Array(PATTERNS));
    const missing = FIELD_SLOTS.map((s) => s - 1);
    expect(fs.weight(patternOf(missing))).toBe(0);
    expect(fs.posterior(patternOf(missing))).toBeCloseTo(fs.lambda, 12);
  });
});
