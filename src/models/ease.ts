// EASE^R (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): an item x item weight
// matrix in closed form, the strongest simple baseline on implicit data when the catalogue is modest.
import type { FitContext, Model, Profile } from './model.ts';
import type { SavedModel } from './artifacts.ts';
import { f32 } from './artifacts.ts';
import { identityMap, toLogScores, type ItemMap } from './itemMap.ts';
import { profileReader } from './profileItems.ts';
import { invertSpd } from './cholesky.ts';
import { personItems } from './trainingSets.ts';
import { modelMsg } from './messages.ts';
import { axpy } from '../tf/axpy.ts';
import { InputError, RunError } from '../errors.ts';
import type { EventLog } from '../log/eventLog.ts';

/** Above this many items ease refuses: the dense inverse would need hours and gigabytes. */
export const EASE_MAX_ITEMS = 20_000;

export interface EaseOptions {
  /**
   * L2 penalty on B. null (the default) scales it to the data: lambda = lambdaScale x the mean number of
   * training persons per item (the mean diagonal of X^T X). Steck's 500 on ML-20M is about 0.5 x that.
   */
  lambda: number | null;
  /** Multiplier for the data-scaled lambda; ignored when lambda is given. */
  lambdaScale: number;
  /** Profile items lose half their weight every halfLifeMs before the newest one; 0 = binary profile. */
  halfLifeMs: number;
}

export const EASE_DEFAULTS: EaseOptions = { lambda: null, lambdaScale: 0.5, halfLifeMs: 0 };

export interface EaseConfig {
  lambda: number;
  halfLifeMs: number;
}

/**
 * Fit EASE^R on the binary person x item matrix X of training events (any type):
 * P = (X^T X + lambda I)^-1, B = I - P diag(1 / diag(P)), i.e. B_ij = -P_ij / P_jj, B_jj = 0.
 * Scores: s = x B for the profile's distinct items x (recency-weighted with a half-life), plus a tiny
 * popularity prior that only orders items no profile item reaches (and ranks an empty profile).
 *
 * Limits: refuses more than EASE_MAX_ITEMS (20,000) items. Cost: sum over persons of |items|^2 for the
 * Gram matrix, then n^3 float64 flops in TypeScript (about 3 GFLOP/s on one core: 9 s at 3,000 items,
 * 5 min at 10,000), and 12 n^2 bytes (Float64 Gram + Float32 B).
 *
 * @example
 * const ease = fitEase('ease', ctx, { ...EASE_DEFAULTS, lambda: 200 });
 */
export function fitEase(name: string, ctx: FitContext, opts: EaseOptions): Model {
  const { log } = ctx;
  const n = log.dict.item.length;
  if (n > EASE_MAX_ITEMS) throw new InputError(modelMsg.tooManyItemsForEase(name, n, EASE_MAX_ITEMS));

  // 1. Gram matrix G = X^T X over each person's distinct training items (lower triangle suffices).
  const g = new Float64Array(n * n);
  const degree = new Float64Array(n);
  const { offsets, items } = personItems(ctx);
  for (let p = 0; p + 1 < offsets.length; p++) {
    for (let a = offsets[p]; a < offsets[p + 1]; a++) {
      const ra = items[a] * n;
      for (let b = offsets[p]; b < offsets[p + 1]; b++) g[ra + items[b]]++;
      degree[items[a]]++;
    }
  }

  // 2. Ridge and inverse.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += degree[i] / n;
  const lambda = opts.lambda ?? Math.max(1, opts.lambdaScale * mean);
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  const b = new Float32Array(n * n);
  const d = new Float64Array(n);
  try {
    invertSpd(
      g,
      n,
      (i, j, p) => {
        if (i === j) return;
        b[i * n + j] = -p / d[j];
        b[j * n + i] = -p / d[i];
      },
      d,
    );
  } catch (e) {
    if (e instanceof RangeError) throw new RunError(modelMsg.notPositiveDefinite(name, lambda), { cause: e });
    throw e;
  }
  return easeModel(name, log, identityMap(n), [...log.dict.item], b, popularityPrior(degree), { lambda, halfLifeMs: opts.halfLifeMs });
}

/**
 * Rebuild a saved ease model for `log` (items mapped by id).
 *
 * @example
 * const ease = easeFromSaved(readSaved(dir) as SavedModel<EaseConfig>, log, map);
 */
export function easeFromSaved(saved: SavedModel<EaseConfig>, log: EventLog, map: ItemMap): Model {
  const n = saved.items.length;
  return easeModel(saved.name, log, map, saved.items, f32(saved, 'B', [n, n]), f32(saved, 'prior', [n]), saved.config);
}

/**
 * A tiny popularity prior (at most 1e-6): orders items that no profile item reaches.
 *
 * @example
 * popularityPrior([1, 4]); // [2.5e-7, 1e-6]
 */
export function popularityPrior(degree: ArrayLike<number>): Float32Array {
  let max = 1;
  for (let i = 0; i < degree.length; i++) max = Math.max(max, degree[i]);
  const prior = new Float32Array(degree.length);
  for (let i = 0; i < degree.length; i++) prior[i] = (1e-6 * degree[i]) / max;
  return prior;
}

function easeModel(name: string, log: EventLog, map: ItemMap, itemIds: readonly string[], b: Float32Array, prior: Float32Array, config: EaseConfig): Model {
  const n = map.nModel;
  const read = profileReader(log, map, config.halfLifeMs);
  const row = map.identity ? null : new Float32Array(n);
  /** Scores in model order into dst (n values): prior + sum of w_i B[i, :], a sparse row combination. */
  const scoreInto = (events: Int32Array, dst: Float32Array): void => {
    dst.set(prior);
    const { n: k, items, weights } = read.distinct(events);
    for (let x = 0; x < k; x++) axpy(weights[x], b, items[x] * n, dst, 0, n);
  };
  const score = (profile: Profile, out: Float32Array): void => {
    if (!row) {
      scoreInto(profile.events, out);
      return;
    }
    scoreInto(profile.events, row);
    toLogScores(map, row, 1, out);
  };
  return {
    name,
    type: 'ease',
    nItems: map.nLog,
    dependsOn: 'events',
    score,
    // Measured (bench/models.ts): profiles touch a few dozen rows of B, so combining those rows beats a
    // dense batch x items by items matMul on wasm by a wide margin; the batch is a loop.
    perProfile: true,
    scoreBatch(profiles, out) {
      const nLog = map.nLog;
      for (let r = 0; r < profiles.length; r++) score(profiles[r], out.subarray(r * nLog, (r + 1) * nLog));
    },
    toSaved: () => ({
      type: 'ease',
      name,
      items: [...itemIds],
      config,
      weights: [
        { name: 'B', shape: [n, n], data: b },
        { name: 'prior', shape: [n], data: prior },
      ],
    }),
  };
}
