// Small synthetic worlds for the audit tests: 3000 persons over 60 days generate in about half a second.
import { Rng } from '../../src/util/rng.ts';
import { generateWorld, type World } from '../../src/world/generate.ts';
import { DEFAULT_WORLD, type WorldSpec } from '../../src/scenario/worldSpec.ts';

export const DAY_MS = 86_400_000;

/**
 * A world with planted OU drift rate `kappa` (per day) and sigma = scale * sqrt(2 kappa), so the taste
 * offset's stationary norm is `scale` whatever kappa (scale 1 is DEFAULT_WORLD's drift size).
 */
export function driftWorld(kappa: number, scale: number, seed: number, persons = 3000, overrides: Partial<WorldSpec> = {}): World {
  const spec: WorldSpec = {
    ...DEFAULT_WORLD,
    persons,
    items: 1000,
    categories: 20,
    days: 60,
    drift: { ...DEFAULT_WORLD.drift, kappa, sigma: scale * Math.sqrt(2 * kappa) },
    ...overrides,
  };
  return generateWorld(spec, Rng.fromSeed(seed));
}
