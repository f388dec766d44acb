// A pilot sample of views' centred utilities, drawn from its own stream before the simulation, so the
// funnel's parameters can mean average rates (see funnel.ts) rather than rates at an arbitrary utility.
import type { Rng } from '../util/rng.ts';
import type { Catalog } from './items.ts';
import { drawPersons } from './persons.ts';
import type { WorldSpec } from '../scenario/worldSpec.ts';
import type { TasteDrift } from './taste.ts';
import type { ViewSampler } from './views.ts';

/** Pilot persons and views per person: enough for rates within about a tenth of a percentage point. */
const PILOT_PERSONS = 2000;
const PILOT_VIEWS = 4;

/**
 * Centred utilities of pilot views. The pilot persons are fresh draws from the persons' distribution
 * (not the world's persons), so the calibration depends on the settings and the catalogue but not on
 * how many persons the world has. Taste is a stationary draw of the drift (the state most sessions see);
 * session times are spread uniformly over the period.
 *
 * @example
 * const sample = pilotUtilities(spec, catalog, sampler, drift, rng.fork('calibration'));
 * const funnel = Funnel.calibrated(spec.funnel, sample);
 */
export function pilotUtilities(spec: WorldSpec, catalog: Catalog, sampler: ViewSampler, drift: TasteDrift, rng: Rng): Float64Array {
  const d = catalog.dim;
  const pilot = drawPersons({ ...spec, persons: PILOT_PERSONS }, catalog, rng.fork('persons'));
  const draws = rng.fork('views');
  const periodMs = spec.days * 86_400_000;
  const out = new Float64Array(PILOT_PERSONS * PILOT_VIEWS);
  const x = new Float64Array(d);
  const theta = new Float64Array(d);
  let k = 0;
  for (let u = 0; u < PILOT_PERSONS; u++) {
    drift.start(x, draws);
    for (let j = 0; j < d; j++) theta[j] = pilot.mu[u * d + j] + x[j];
    sampler.prepare(theta, Math.round(spec.startMs + draws.float() * periodMs));
    for (let v = 0; v < PILOT_VIEWS; v++) {
      sampler.draw(draws);
      out[k++] = sampler.centeredUtility;
    }
  }
  return out;
}
