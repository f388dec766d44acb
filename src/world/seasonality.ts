// Seasonality (docs/method.md 2.5): sinusoidal per-category multipliers on the log scale, each
// category with its own random phase, so categories rise and fall at different times.
import type { Rng } from '../util/rng.ts';
import type { WorldSpec } from '../scenario/worldSpec.ts';

export interface Seasonality {
  readonly amplitude: number;
  readonly periodMs: number;
  readonly originMs: number;
  /** category -> phase in [0, 2 pi) */
  readonly phase: Float64Array;
}

/**
 * Draw one phase per category.
 *
 * @example
 * const season = drawSeasonality(spec, rng);
 * seasonalTerm(season, 3, spec.startMs); // amplitude * sin(phase_3)
 */
export function drawSeasonality(spec: WorldSpec, rng: Rng): Seasonality {
  const phase = new Float64Array(spec.categories);
  for (let c = 0; c < phase.length; c++) phase[c] = 2 * Math.PI * rng.float();
  return { amplitude: spec.seasonality.amplitude, periodMs: spec.seasonality.periodMs, originMs: spec.startMs, phase };
}

/**
 * Log-scale multiplier of category `c` at `tMs`: amplitude * sin(2 pi (t - origin) / period + phase_c).
 *
 * @example
 * seasonalTerm(season, 0, tMs); // 0 when amplitude is 0
 */
export function seasonalTerm(season: Seasonality, c: number, tMs: number): number {
  if (season.amplitude === 0 || !(season.periodMs > 0)) return 0;
  return season.amplitude * Math.sin((2 * Math.PI * (tMs - season.originMs)) / season.periodMs + season.phase[c]);
}
