// A pilot sample of views' centred utilities, drawn from its own stream before the simulation, so the
// funnel's parameters can mean average rates (see funnel.ts) rather than rates at an arbitrary utility.
import type { Rng } from '../util/rng.ts';
import type { Catalog } from './items.ts';
import type { Persons } from './persons.ts';
import type { TasteDrift } from './taste.ts';
import type { ViewSampler } from './views.ts';

/** Persons and views per person in the pilot: enough for rates within about a tenth of a percent point. */
const PILOT_PERSONS = 2000;
const PILOT_VIEWS = 4;

/**
 * Centred utilities of pilot views: persons drawn uniformly, taste at a stationary draw of the drift
 * (the state most sessions see), at session times spread uniformly over the period.
 *
 * @example
 * const sample = pilotUtilities(catalog, persons, sampler, drift, startMs, endMs, rng.fork('calibration'));
 * const funnel = Funnel.calibrated(spec.funnel, sample);
 */
export function pilotUtilities(catalog: Catalog, persons: Persons, sampler: ViewSampler, drift: TasteDrift, startMs: number, endMs: number, rng: Rng): Float64Array {
  const d = catalog.dim;
  if (persons.count === 0) return new Float64Array(0);
  const out = new Float64Array(PILOT_PERSONS * PILOT_VIEWS);
  const x = new Float64Array(d);
  const theta = new Float64Array(d);
  let k = 0;
  for (let n = 0; n < PILOT_PERSONS; n++) {
    const u = rng.int(persons.count);
    drift.start(x, rng);
    for (let j = 0; j < d; j++) theta[j] = persons.mu[u * d + j] + x[j];
    sampler.prepare(theta, Math.round(startMs + rng.float() * (endMs - startMs)));
    for (let v = 0; v < PILOT_VIEWS; v++) {
      sampler.draw(rng);
      out[k++] = sampler.centeredUtility;
    }
  }
  return out;
}
