// The behaviour stage: every person's sessions, views, carts and purchases over the period, drawn
// from the behaviour stream only (identity is applied later and never feeds back into these draws).
import type { Rng } from '../util/rng.ts';
import { nextSessionStart, oneSessionStart, SESSION_SEPARATION_MS } from './activity.ts';
import { SessionSimulator } from './behavior.ts';
import { BehaviorLog } from './behaviorLog.ts';
import { pilotUtilities } from './calibration.ts';
import { Funnel } from './funnel.ts';
import type { Catalog } from './items.ts';
import type { Persons } from './persons.ts';
import { ActivePromotions, type Promotions } from './promotions.ts';
import { PendingReturns } from './returns.ts';
import type { Seasonality } from './seasonality.ts';
import type { WorldSpec } from '../scenario/worldSpec.ts';
import { daysBetween, TasteDrift } from './taste.ts';
import { placeReturns } from './timeline.ts';
import { ViewSampler } from './views.ts';

const DAY_MS = 86_400_000;

/**
 * Simulate all persons in index order, after calibrating the funnel on a pilot sample (calibration.ts).
 * Each person draws from their own fork of `rng` (named by index), so a person's behaviour depends only
 * on the seed, the behaviour settings and the catalogue, not on how many persons come before them.
 *
 * Session arrivals closer than SESSION_SEPARATION_MS to the end of the person's previous session are
 * absorbed into it (the person is still browsing), so a person's sessions never overlap and are at
 * least 30 minutes apart.
 *
 * @example
 * const log = simulateBehavior(spec, catalog, persons, promotions, seasonality, rng.fork('behavior'));
 * log.events; // number of behaviour events
 */
export function simulateBehavior(
  spec: WorldSpec,
  catalog: Catalog,
  persons: Persons,
  promotions: Promotions,
  seasonality: Seasonality,
  rng: Rng,
  onProgress?: (done: number, total: number) => void,
): BehaviorLog {
  const P = spec.persons;
  const d = catalog.dim;
  const endMs = spec.startMs + spec.days * DAY_MS;
  const { sessionsPerDay, viewsPerSession, diurnal } = spec.activity;
  const expectedSessions = P * spec.days * sessionsPerDay * 1.05;
  const expectedEvents = expectedSessions * viewsPerSession * (1 + 2 * spec.funnel.cart) * 1.1;
  const out = new BehaviorLog(expectedEvents, expectedSessions);

  const sampler = new ViewSampler(catalog, seasonality, new ActivePromotions(promotions, catalog));
  const drift = new TasteDrift(spec.drift, catalog);
  const pilot = pilotUtilities(spec, catalog, sampler, drift, rng.fork('calibration'));
  const simulator = new SessionSimulator(spec, catalog, sampler, Funnel.calibrated(spec.funnel, pilot));
  const pending = new PendingReturns();
  const x = new Float64Array(d);
  const theta = new Float64Array(d);
  const every = Math.max(1, Math.floor(P / 100));

  for (let u = 0; u < P; u++) {
    const prng = rng.fork(`p${u}`);
    const firstSession = out.sessions;
    const rate = sessionsPerDay * persons.activity[u];
    let t = spec.startMs;
    let last = NaN;
    let busyUntil = -Infinity;
    // A one-off person has a single session at a random time, then no more arrivals (the period's end).
    const once = persons.oneOff[u] === 1;
    const next = (from: number) =>
      once ? (Number.isNaN(last) ? oneSessionStart(spec.startMs, endMs, diurnal, prng) : endMs) : nextSessionStart(from, rate, diurnal, endMs, prng);
    while ((t = next(t)) < endMs) {
      if (t < busyUntil) continue;
      if (Number.isNaN(last)) drift.start(x, prng);
      else drift.advance(x, daysBetween(last, t), prng);
      for (let j = 0; j < d; j++) theta[j] = persons.mu[u * d + j] + x[j];
      const session = simulator.run(out, u, theta, t, pending, prng);
      last = t;
      busyUntil = out.sessionEnd[session] + SESSION_SEPARATION_MS;
    }
    placeReturns(out, u, firstSession, pending);
    // The final report comes from generateWorld once the log is assembled.
    if (onProgress && (u + 1) % every === 0 && u + 1 < P) onProgress(u + 1, P);
  }
  return out;
}
