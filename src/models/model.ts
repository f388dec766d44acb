// The model interface: a fitted model scores the whole catalogue from a profile (the history a view
// gives it). Staleness and fragmentation reach the model only through the profile, as in production.
import type { EventLog } from '../log/eventLog.ts';
import type { GroupIndex } from '../log/groupIndex.ts';
import type { Rng } from '../util/rng.ts';
import type { SavedModel } from './artifacts.ts';

/** The history a view provides for one request. */
export interface Profile {
  /** Event indices into the log, ascending (= time order). */
  events: Int32Array;
  /** Request time; models may weight history by its age. */
  nowMs: number;
  /** Stable request id (for per-request randomness). */
  requestId: number;
}

export interface Model {
  readonly name: string;
  readonly type: string;
  readonly nItems: number;
  /**
   * 'none': scores ignore the profile (popularity): the ranking is computed once.
   * 'events': the ranking depends only on which events the profile holds, not on nowMs or the request,
   *   so requests that share a served view (same cut and identity cluster) share a ranking.
   * 'request': anything else (per-request randomness, time features).
   */
  readonly dependsOn: 'none' | 'events' | 'request';
  /** Write a score for every item into out[0 .. nItems). Higher is better. */
  score(profile: Profile, out: Float32Array): void;
  /**
   * Score several profiles at once into out (row-major, profiles.length x nItems). Batched models
   * (TensorFlow.js) implement this; others may loop over `score`.
   */
  scoreBatch?(profiles: readonly Profile[], out: Float32Array): void;
  /**
   * True when scoreBatch scores each profile on its own (a loop over `score`), so a profile's scores do
   * not depend on the batch it comes in; the replay then shares rankings across sources (ViewMemo).
   */
  readonly perProfile?: boolean;
  /**
   * Models whose scores are a fixed baseline plus contributions on the few items a profile reaches
   * (item-kNN: a popularity prior plus neighbour similarities) offer a sparse form; the replay then ranks
   * the reached items and the baseline's head instead of the whole catalogue (topKSparse), with the same
   * result as ranking `score`'s row.
   */
  readonly sparse?: SparseScorer;
  /** The fitted state, for saveModel (all but random and external tfjs models); the arrays are the model's own, not copies. */
  toSaved?(): SavedModel;
  /**
   * Release what the model holds outside the JavaScript heap: TensorFlow.js memory (external tfjs models),
   * the process or connection and the training file of `command` and `http` models; others hold none.
   */
  dispose?(): void;
  /**
   * `command` and `http` models: the CSV of training events they hand the model, so that a worker thread
   * rebuilding the model reuses it (FitContext.trainFile) instead of writing its own.
   */
  readonly trainFile?: string;
}

/** The sparse form of a model's scores (Model.sparse), in log item order. */
export interface SparseScorer {
  /** Score of every item a profile does not reach. */
  readonly baseline: Float32Array;
  /** Items by baseline rank (baselineOrder in util/topk.ts). */
  readonly order: Int32Array;
  /** The row score() writes: scores[item] for the items the last profile reached; other entries are stale. */
  readonly scores: Float32Array;
  /** The items the last profile reached, in touched[0..n). */
  readonly touched: Int32Array;
  /** 1 at the items the last profile reached, 0 elsewhere (finishSparse's `mark` in util/topk.ts). */
  readonly reached: Uint8Array;
  /** Where select() leaves its heap. */
  readonly heap: Int32Array;
  /** heapOfTouched (util/topk.ts) over the last profile's n reached items into heap[0..size); returns size. */
  select(n: number, cap: number): number;
  /**
   * Score a profile: write the score of every item it reaches into scores[item] and the items into
   * touched[0..n); return n. scores[item] equals score()'s row there (the baseline elsewhere).
   */
  score(profile: Profile): number;
}

/** What a model may see when it is fitted: only events with index < trainBound (ts < until). */
export interface FitContext {
  log: EventLog;
  /** Number of training events: indices [0, trainBound) have ts < until. */
  trainBound: number;
  untilMs: number;
  /** isPositive[type] = 1 for the event types that count as conversions. */
  isPositive: Uint8Array;
  /** Training events grouped by person (the frozen, person-resolved view). */
  trainByPerson: GroupIndex;
  rng: Rng;
  /** Training progress lines (epoch, loss) for the run to print on stderr; models stay silent without it. */
  onProgress?: (line: string) => void;
  /** The largest cut-off K the evaluation reads; external models are told it (absent: the catalogue size). */
  kMax?: number;
  /**
   * A CSV of exactly the training events, already written (Model.trainFile of the same fit): external models
   * use it instead of writing their own, and leave it to its owner.
   */
  trainFile?: string;
}

/**
 * Release what models hold outside the JavaScript heap (TensorFlow.js tensors); safe to call twice.
 *
 * @example
 * disposeModels(run.models); // tf.memory().numTensors is back where it was before fitting
 */
export function disposeModels(models: readonly Model[]): void {
  for (const m of models) m.dispose?.();
}
