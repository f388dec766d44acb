// The phase of a batch schedule. A pipeline that names no `origin` does not know on which weekday and hour
// its job runs, so its answer is the expected value over a uniformly distributed phase. Each request is
// served under one of `count` evenly spaced phases (a systematic sample with a seeded random start, picked
// per request by a hash of its person and session): the mean over requests is then an unbiased estimate of
// the phase-averaged metric, and every configuration of a run uses the same phase for the same request,
// so comparisons stay paired. Requests of one phase are replayed together under one concrete schedule.
import { hash3 } from '../util/hash.ts';
import type { ServingConfig } from './serving.ts';

/** A schedule averaged over its phase (ServingConfig.phase); null there means the origin is pinned. */
export interface SchedulePhase {
  /** Evenly spaced phases, each a share 1 / count of the period apart. */
  count: number;
  /** Random start in [0, 1 / count): phase k shifts cut 0 by (offset + k / count) * periodMs. */
  offset: number;
  /**
   * The span over which the shift is uniform: the least common multiple of the refresh and retrain
   * cadences (so both are uniform in phase), kept by the decomposition's variants so that fixing one
   * factor never moves another's cuts.
   */
  periodMs: number;
  /** Seed of the per-request phase hash. */
  seed: number;
}

/** What the phase of a request is hashed from (the session is needed only for a schedule with a phase). */
export interface PhaseRequests {
  readonly length: number;
  readonly person: Int32Array;
  readonly session?: Int32Array;
}

const PHASE_SALT = 0x0f4a5e17;
/** Beyond this, the least common multiple of two cadences is not worth averaging over: use the longer. */
const MAX_PERIOD_FACTOR = 64;

/**
 * The phase period of a schedule: lcm(refresh cadence, retrain cadence), or the longer of the two when
 * the lcm is unreasonably long (cadences that are not whole multiples of a common unit); null when the
 * configuration has no batch schedule (stream refresh, no retraining).
 *
 * @example
 * schedulePeriodMs({ kind: 'batch', cadenceMs: 2 * DAY }, 7 * DAY) // 14 days
 */
export function schedulePeriodMs(refresh: ServingConfig['refresh'], retrainMs: number | null): number | null {
  const cadences = [refresh.kind === 'batch' ? refresh.cadenceMs : null, retrainMs].filter((c): c is number => c !== null);
  if (cadences.length === 0) return null;
  if (cadences.length === 1) return cadences[0];
  const [a, b] = cadences;
  const l = (a / gcd(a, b)) * b;
  return l <= MAX_PERIOD_FACTOR * Math.max(a, b) ? l : Math.max(a, b);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Phase index per request: hash of (seed, person, session) mod count, so a request keeps its phase
 * whatever part, shard, sample or worker it is replayed in.
 *
 * @example
 * const k = requestPhases(requests, phase); // k[r] in [0, phase.count)
 */
export function requestPhases(req: PhaseRequests, phase: Pick<SchedulePhase, 'count' | 'seed'>): Uint8Array {
  const out = new Uint8Array(req.length);
  if (phase.count <= 1) return out;
  const session = req.session;
  if (!session) throw new RangeError('requestPhases: the requests carry no session column');
  for (let r = 0; r < req.length; r++) out[r] = hash3(phase.seed ^ PHASE_SALT, req.person[r], session[r]) % phase.count;
  return out;
}

/**
 * The concrete (pinned) configuration of phase k: cut 0 moved by (offset + k / count) of the period.
 *
 * @example
 * phaseConfig(weekly, 3).originMs // weekly.originMs + (offset + 3 / 8) * 7 days
 */
export function phaseConfig(c: ServingConfig, k: number): ServingConfig {
  const p = c.phase;
  if (!p) return c;
  return { ...c, originMs: c.originMs + Math.floor((p.offset + k / p.count) * p.periodMs), phase: null };
}

/**
 * Call `fn` once per phase with the rows (indices into `req`, ascending) served under that phase and the
 * concrete configuration; a pinned configuration is one call with every row.
 *
 * @example
 * forEachPhase(requests, config, (rows, concrete) => replayRows(rows, concrete));
 */
export function forEachPhase(req: PhaseRequests, c: ServingConfig, fn: (rows: Int32Array | null, concrete: ServingConfig, k: number) => void): void {
  if (!c.phase) {
    fn(null, c, 0);
    return;
  }
  const which = requestPhases(req, c.phase);
  const counts = new Int32Array(c.phase.count);
  for (let r = 0; r < which.length; r++) counts[which[r]]++;
  for (let k = 0; k < c.phase.count; k++) {
    if (counts[k] === 0) continue;
    const rows = new Int32Array(counts[k]);
    for (let r = 0, j = 0; r < which.length; r++) if (which[r] === k) rows[j++] = r;
    fn(rows, phaseConfig(c, k), k);
  }
}
