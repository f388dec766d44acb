// Behaviour drift measured from a log (docs/method.md 6.1, check 01): how fast a person's category (or item)
// distribution moves away from itself, as the time scale tau of S(D) = c + (1 - c) exp(-D / tau).
import { NONE, type EventLog } from '../log/eventLog.ts';
import { groupEvents } from '../log/groupIndex.ts';
import { poissonWeight, quantile7 } from '../stats/bootstrap.ts';
import { MS } from '../util/duration.ts';
import { collectDriftRows, type DriftRows } from './driftPairs.ts';
import { fitDriftCurve } from './driftFit.ts';
import { auditMsg } from './messages.ts';
import { checkMask } from './typeMask.ts';

/** Default lag grid: sub-day lags resolve fast drift; the grid is cut at half the log's span. */
export const DEFAULT_DRIFT_LAGS_MS: readonly number[] = [0.25, 0.5, 1, 2, 3, 5, 7, 10, 14, 21, 28].map((d) => d * MS.d);

/** Search range of tau; "no decay" is reported as the upper end. */
export const DRIFT_TAU_MIN_MS = MS.h;
export const DRIFT_TAU_MAX_MS = 365 * MS.d;

export interface DriftOptions {
  /** Whose distribution drifts: the log's person, or the key. Default: person when any event has one. */
  by?: 'person' | 'key';
  /** Lags D (ms); default DEFAULT_DRIFT_LAGS_MS. Lags beyond half the log's span are dropped. */
  lagsMs?: readonly number[];
  /** An entity's events separated by at least this start a new window; default 30 min. */
  gapMs?: number;
  /** use[type] = 1 for event types that express taste; default the 'view' type when the log has it, else all. */
  types?: Uint8Array;
  /** Entities a lag point needs to enter the fit; default 20. */
  minPersons?: number;
  /** Windows per entity at most (evenly thinned beyond); default 500. */
  maxWindows?: number;
  /** Smallest fitted decline of S across the used lags that counts as drift; default 0.02. */
  minDrop?: number;
  /** Seed of the person bootstrap; default 0. */
  seed?: number;
  /** Bootstrap replicates; default 200. */
  replicates?: number;
  /** Coverage of the band; default 0.95. */
  level?: number;
}

export interface DriftPoint {
  /** Mean lag of the window pairs in the bin (person-averaged). */
  lagMs: number;
  /** Mean similarity across the lag over mean similarity within a window (1 = no drift). */
  similarity: number;
  /** Entities with at least one window pair in the bin. */
  persons: number;
  /** Window pairs in the bin. */
  pairs: number;
  /** Whether the point entered the fit (persons >= minPersons). */
  used: boolean;
}

export type DriftStatus = 'decay' | 'no-decay' | 'too-little-data';

export interface DriftEstimate {
  /** 'decay': tau measured; 'no-decay': similarity does not fall (tau = DRIFT_TAU_MAX_MS); 'too-little-data': NaN. */
  status: DriftStatus;
  tauMs: number;
  halfLifeMs: number;
  /** Long-run similarity: the share of a person's self-similarity that never decays (1 for 'no-decay'). */
  c: number;
  /** Fitted fall of S between the first and the last lag used: the drift the lag grid actually observes. */
  decline: number;
  /** Person-bootstrap percentile interval of tau (replicates without a material decline count as DRIFT_TAU_MAX_MS; NaN with 0 replicates). */
  band: { lo: number; hi: number };
  level: number;
  replicates: number;
  points: DriftPoint[];
  /** Entities that contributed to at least one point. */
  persons: number;
  by: 'person' | 'key';
  labels: 'category' | 'item';
}

interface NormalizedDriftOptions {
  by: 'person' | 'key';
  lagsMs: number[];
  gapMs: number;
  types: Uint8Array;
  minPersons: number;
  maxWindows: number;
  minDrop: number;
  seed: number;
  replicates: number;
  level: number;
}

/**
 * Measure behaviour drift.
 *
 * Pipeline: 1. windows per entity (bursts of events with gaps < gapMs), each split into interleaved halves;
 * 2. for each pair of windows whose lag falls in a bin around a grid lag, 1 - Jensen-Shannon divergence
 * between half-windows across the lag and between the halves of each window (the same-window noise floor),
 * on equal-size samples (driftPairs.ts); 3. per lag, S(D) = mean over entities of the across-lag similarity
 * divided by the mean of their floors, so S(0) = 1; 4. weighted least squares of
 * S(D) = c + (1 - c) exp(-D / tau) (weights = entities per point); 5. person-clustered Poisson bootstrap
 * (seeded, as eval/bootstrap.ts) of the whole fit for the band of tau.
 *
 * Why 1 - JSD on windows, not Jaccard: Jaccard of category sets ignores how often each category is used and
 * saturates for heavy users; JSD compares the distributions and is bounded in [0, 1]. Its small-sample bias
 * is cancelled because every comparison is between samples of the same size (see driftPairs.ts).
 *
 * Mapping to a planted OU drift rate kappa: category logits move with the taste offset x(t), whose
 * autocorrelation is exp(-kappa D); similarity is a smooth function of the pair (x(t), x(t + D)), a sum of
 * powers of exp(-kappa D) with non-negative weights (Mehler expansion), so S falls at least as fast as
 * exp(-kappa D) and tau is, up to noise, at or below 1 / kappa: close to it when the drift moves category
 * logits little, lower as the drift grows. test/audit/driftWorld.test.ts states the factors measured.
 *
 * Why windows are bursts of activity rather than calendar days: a day-long window averages taste over its
 * width, and its split-half floor compares events hours apart, which biases tau upwards when drift is
 * fast relative to the window; bursts are minutes long, so lags are exact and the floor sits at lag 0.
 *
 * "No decay" ('no-decay', tau = DRIFT_TAU_MAX_MS, c = 1): the fitted curve falls by less than minDrop between the
 * first and the last lag used, or the bootstrap lower bound of that fall is not above 0. The fall is taken
 * across the observed lags, not from S(0) = 1: a curve already flat at the smallest lag (below 1 by
 * session-to-session variation, or by drift faster than the smallest lag) gives no reason to refresh
 * profiles faster, and on item labels within-session re-views alone put the first point below 1.
 * Too few lags or entities: 'too-little-data', NaN estimates.
 *
 * @example
 * const drift = measureDrift(world.log, world.items.category, { seed: 7 });
 * drift.tauMs / 86_400_000;  // e.g. 3.1 (days)
 * drift.band;                // { lo: 2.6 * 864e5, hi: 3.7 * 864e5 }
 */
export function measureDrift(log: EventLog, categoryOf?: Int32Array, options: DriftOptions = {}): DriftEstimate {
  const o = normalizeDriftOptions(log, options);
  const { labels, nLabels } = eventLabels(log, categoryOf);
  const entity = o.by === 'person' ? log.person : log.key;
  const nEntities = o.by === 'person' ? log.dict.person.length : log.dict.key.length;
  const base = { level: o.level, replicates: o.replicates, by: o.by, labels: categoryOf ? ('category' as const) : ('item' as const) };

  // 1-2. Window pairs per entity and lag bin, over the lags the log's span supports.
  const span = log.length > 0 ? log.tsMs[log.length - 1] - log.tsMs[0] : 0;
  const lags = o.lagsMs.filter((d) => d <= span / 2);
  if (lags.length < 3) return tooLittle(base, []);
  const edgesMs = lagEdges(lags);
  const keep = new Uint8Array(log.length);
  for (let i = 0; i < log.length; i++) keep[i] = o.types[log.type[i]] && entity[i] !== NONE ? 1 : 0;
  const groups = groupEvents(entity, nEntities, keep);
  const rows = collectDriftRows({ labels, nLabels, tsMs: log.tsMs, groups, edgesMs, gapMs: o.gapMs, maxWindows: o.maxWindows });

  // 3. Points.
  const K = lags.length;
  const agg = aggregate(rows, K, null, 0);
  const used = new Uint8Array(K);
  let nUsed = 0;
  for (let k = 0; k < K; k++) {
    if (agg.persons[k] < o.minPersons || !(agg.floor[k] > 0)) continue;
    used[k] = 1;
    nUsed++;
  }
  const points: DriftPoint[] = [];
  for (let k = 0; k < K; k++) {
    if (agg.persons[k] === 0) continue;
    points.push({
      lagMs: agg.lag[k] / agg.persons[k],
      similarity: agg.cross[k] / agg.floor[k],
      persons: agg.persons[k],
      pairs: agg.pairs[k],
      used: used[k] === 1,
    });
  }
  const persons = countEntities(rows);
  if (nUsed < 3) return tooLittle(base, points, persons);

  // 4. Fit.
  const fit = fitPoints(agg, used);
  const first = used.indexOf(1);
  const last = used.lastIndexOf(1);
  const dFirst = agg.lag[first] / agg.persons[first];
  const dLast = agg.lag[last] / agg.persons[last];
  const declineOf = (f: { tauMs: number; c: number }) => (1 - f.c) * (Math.exp(-dFirst / f.tauMs) - Math.exp(-dLast / f.tauMs));
  // 5. Bootstrap: refit on person-resampled points; a replicate without a material decline has no tau.
  const B = o.replicates;
  const tauB = new Float64Array(B);
  const declineB = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const f = fitPoints(aggregate(rows, K, o.seed, b), used);
    declineB[b] = declineOf(f);
    tauB[b] = declineB[b] >= o.minDrop ? f.tauMs : DRIFT_TAU_MAX_MS;
  }
  tauB.sort();
  declineB.sort();
  const alpha = (1 - o.level) / 2;
  const decline = declineOf(fit);
  const decays = decline >= o.minDrop && (B === 0 || quantile7(declineB, alpha) > 0);
  const tauMs = decays ? fit.tauMs : DRIFT_TAU_MAX_MS;
  return {
    ...base,
    status: decays ? 'decay' : 'no-decay',
    tauMs,
    halfLifeMs: tauMs * Math.LN2,
    // Without decay the reported curve is flat at 1 (the points keep whatever level the data show).
    c: decays ? fit.c : 1,
    decline,
    band: { lo: quantile7(tauB, alpha), hi: quantile7(tauB, 1 - alpha) },
    points,
    persons,
  };
}

/** Fill the defaults and check the options; throws RangeError with an `invalid <name>` message. */
function normalizeDriftOptions(log: EventLog, opt: DriftOptions): NormalizedDriftOptions {
  let hasPerson = false;
  for (let i = 0; i < log.length && !hasPerson; i++) hasPerson = log.person[i] !== NONE;
  const by = opt.by ?? (hasPerson ? 'person' : 'key');
  if (by !== 'person' && by !== 'key') throw new RangeError(auditMsg.invalid('by', by, "'person' or 'key'"));
  const lagsMs = [...(opt.lagsMs ?? DEFAULT_DRIFT_LAGS_MS)].sort((a, b) => a - b);
  for (const d of lagsMs) if (!(d > 0 && d < Infinity)) throw new RangeError(auditMsg.invalid('lagsMs', d, 'positive finite lags in ms'));
  for (let k = 1; k < lagsMs.length; k++) if (lagsMs[k] === lagsMs[k - 1]) throw new RangeError(auditMsg.invalid('lagsMs', lagsMs[k], 'distinct lags'));
  const types = opt.types ? checkMask('types', opt.types, log) : defaultTasteTypes(log);
  const positiveInt = (name: string, v: number) => {
    if (!(Number.isInteger(v) && v > 0)) throw new RangeError(auditMsg.invalid(name, v, 'a positive integer'));
    return v;
  };
  const gapMs = opt.gapMs ?? 30 * MS.m;
  if (!(gapMs > 0)) throw new RangeError(auditMsg.invalid('gapMs', gapMs, 'a positive duration in ms'));
  const replicates = opt.replicates ?? 200;
  if (!(Number.isInteger(replicates) && replicates >= 0)) throw new RangeError(auditMsg.invalid('replicates', replicates, 'a non-negative integer'));
  const level = opt.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(auditMsg.invalid('level', level, 'a number in (0, 1)'));
  const minDrop = opt.minDrop ?? 0.02;
  if (!(minDrop >= 0 && minDrop < 1)) throw new RangeError(auditMsg.invalid('minDrop', minDrop, 'a number in [0, 1)'));
  const seed = opt.seed ?? 0;
  if (!Number.isInteger(seed)) throw new RangeError(auditMsg.invalid('seed', seed, 'an integer'));
  return {
    by,
    lagsMs,
    gapMs,
    types,
    minPersons: positiveInt('minPersons', opt.minPersons ?? 20),
    maxWindows: positiveInt('maxWindows', opt.maxWindows ?? 500),
    minDrop,
    seed,
    replicates,
    level,
  };
}

/** Views express taste; carts and purchases repeat a viewed item and would inflate same-window similarity. */
function defaultTasteTypes(log: EventLog): Uint8Array {
  const view = log.dict.type.indexOf('view');
  const mask = new Uint8Array(Math.max(1, log.dict.type.length));
  if (view < 0) mask.fill(1);
  else mask[view] = 1;
  return mask;
}

function eventLabels(log: EventLog, categoryOf: Int32Array | undefined): { labels: Int32Array; nLabels: number } {
  if (!categoryOf) return { labels: log.item, nLabels: log.dict.item.length };
  const nItems = log.dict.item.length;
  if (categoryOf.length < nItems) throw new RangeError(auditMsg.invalid('categoryOf', `length ${categoryOf.length}`, `one category per item (${nItems})`));
  let max = -1;
  for (let i = 0; i < nItems; i++) {
    const c = categoryOf[i];
    if (c < 0) throw new RangeError(auditMsg.invalid('categoryOf', `${c} at item ${i}`, 'non-negative category indices'));
    if (c > max) max = c;
  }
  const labels = new Int32Array(log.length);
  for (let i = 0; i < log.length; i++) labels[i] = categoryOf[log.item[i]];
  return { labels, nLabels: max + 1 };
}

/**
 * Bin edges at the geometric midpoints between grid lags (and half a step beyond each end), so each lag
 * bin is centred on its grid lag on a log scale.
 *
 * @example
 * lagEdges([1, 4, 16]) // Float64Array [0.5, 2, 8, 32]
 */
export function lagEdges(lagsMs: readonly number[]): Float64Array {
  const K = lagsMs.length;
  const edges = new Float64Array(K + 1);
  for (let k = 1; k < K; k++) edges[k] = Math.sqrt(lagsMs[k - 1] * lagsMs[k]);
  edges[0] = K > 1 ? (lagsMs[0] * lagsMs[0]) / edges[1] : lagsMs[0] / 2;
  edges[K] = K > 1 ? (lagsMs[K - 1] * lagsMs[K - 1]) / edges[K - 1] : lagsMs[0] * 2;
  return edges;
}

interface Aggregate {
  cross: Float64Array;
  floor: Float64Array;
  lag: Float64Array;
  persons: Float64Array;
  pairs: Float64Array;
}

/** Per-bin sums over entities, each weighted 1 (seed null) or by its Poisson(1) weight in replicate b. */
function aggregate(rows: DriftRows, K: number, seed: number | null, b: number): Aggregate {
  const a: Aggregate = {
    cross: new Float64Array(K),
    floor: new Float64Array(K),
    lag: new Float64Array(K),
    persons: new Float64Array(K),
    pairs: new Float64Array(K),
  };
  let last = -1;
  let w = 1;
  for (let r = 0; r < rows.length; r++) {
    const e = rows.entity[r];
    if (seed !== null && e !== last) {
      w = poissonWeight(seed, e, b);
      last = e;
    }
    if (w === 0) continue;
    const k = rows.bin[r];
    a.cross[k] += w * rows.cross[r];
    a.floor[k] += w * rows.floor[r];
    a.lag[k] += w * rows.lagMs[r];
    a.persons[k] += w;
    a.pairs[k] += w * rows.pairs[r];
  }
  return a;
}

function fitPoints(a: Aggregate, used: Uint8Array): { tauMs: number; c: number } {
  const K = used.length;
  const lag = new Float64Array(K);
  const s = new Float64Array(K);
  const w = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    // A bin left empty by a replicate drops out (weight 0) rather than poisoning the sums with NaN.
    if (!used[k] || a.persons[k] === 0 || !(a.floor[k] > 0)) continue;
    lag[k] = a.lag[k] / a.persons[k];
    s[k] = a.cross[k] / a.floor[k];
    w[k] = a.persons[k];
  }
  return fitDriftCurve(lag, s, w, DRIFT_TAU_MIN_MS, DRIFT_TAU_MAX_MS);
}

function countEntities(rows: DriftRows): number {
  let n = 0;
  for (let r = 0; r < rows.length; r++) if (r === 0 || rows.entity[r] !== rows.entity[r - 1]) n++;
  return n;
}

function tooLittle(base: Pick<DriftEstimate, 'level' | 'replicates' | 'by' | 'labels'>, points: DriftPoint[], persons = 0): DriftEstimate {
  return { ...base, status: 'too-little-data', tauMs: NaN, halfLifeMs: NaN, c: NaN, decline: NaN, band: { lo: NaN, hi: NaN }, points, persons };
}
