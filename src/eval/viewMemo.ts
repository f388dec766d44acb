// Rankings shared across view sources (docs/method.md 4.6). Sources often serve the same request the
// same view: the streaming oracle pipeline serves exactly the frozen view, a daily login-level batch
// serves most requests what streaming login serves. A model whose ranking depends only on the view's
// events then ranks that request identically under both, and its metrics row (ranking x the request's
// labels) is the same too. The memo keeps, per request, a fingerprint of each finished source's view, so
// a later source copies the metrics row instead of scoring the model again.
import type { Model } from '../models/model.ts';
import type { SourceResult } from './replay.ts';

/** One finished source: its view fingerprints and metric tables, both indexed by the memo's rows. */
interface Finished {
  h1: Int32Array;
  h2: Int32Array;
  len: Int32Array;
  metrics: Float32Array[];
}

/**
 * Whether `model` may take another source's metrics row for a request whose view holds the same events:
 * its ranking must depend only on the view's events and be computed profile by profile, so that the
 * copied row is bit for bit what scoring would give. Batched models (TensorFlow.js, external processes)
 * are left out: their kernels may round differently with the batch a profile is in.
 *
 * @example
 * memoizable(itemKnn) // true
 */
export function memoizable(model: Model): boolean {
  return model.dependsOn !== 'request' && (!model.scoreBatch || model.perProfile === true);
}

/**
 * View fingerprints of every finished source over one request set, for `models` (one array, the same
 * for every source that uses the memo).
 *
 * Two views are taken as equal when their lengths, first and last events and two independent 32-bit
 * hashes of the event indices all agree: unequal views of equal length and ends collide with
 * probability about 2^-64 per comparison.
 *
 * @example
 * const memo = new ViewMemo(requests.length, models);
 * memo.begin();
 * const frozen = replay(log, requests, frozenSource(log, byPerson), models, { ks, memo });
 * memo.commit(frozen);
 */
export class ViewMemo {
  private readonly done: Finished[] = [];
  private current: Finished | null = null;
  /** Per model: may it use the memo (memoizable). */
  readonly usable: boolean[];

  constructor(
    readonly nRequests: number,
    readonly models: readonly Model[],
  ) {
    this.usable = models.map(memoizable);
  }

  /** Whether any model can use the memo at all (else callers may skip fingerprints). */
  get active(): boolean {
    return this.usable.some(Boolean);
  }

  /** Start recording the views of a new source. */
  begin(): void {
    const n = this.nRequests;
    this.current = { h1: new Int32Array(n), h2: new Int32Array(n), len: new Int32Array(n).fill(-1), metrics: [] };
  }

  /**
   * Record the view of request `row` for the current source and return the index of an earlier source
   * that served the same view (-1 when none did). Call between begin and commit.
   */
  record(row: number, events: Int32Array): number {
    const cur = this.current!;
    const n = events.length;
    let a = 0x2f693b53 ^ n;
    let b = 0x6c8e9cf5 ^ n;
    for (let i = 0; i < n; i++) {
      const e = events[i];
      a = Math.imul(a ^ e, 0x9e3779b1);
      a ^= a >>> 15;
      b = Math.imul(b + e, 0x85ebca77) ^ (b >>> 13);
    }
    a = fmix(a);
    b = fmix(b ^ Math.imul(n, 0xc2b2ae3d));
    // Ends folded in: cheap, and they separate views that differ only where a prefix was cut.
    if (n > 0) b ^= Math.imul(events[0] + 1, 0x27d4eb2f) ^ Math.imul(events[n - 1] + 1, 0x165667b1);
    cur.h1[row] = a;
    cur.h2[row] = b;
    cur.len[row] = n;
    for (let s = 0; s < this.done.length; s++) {
      const f = this.done[s];
      if (f.len[row] === n && f.h1[row] === a && f.h2[row] === b) return s;
    }
    return -1;
  }

  /** Metric table of model `m` of earlier source `s` (rows of the memo). */
  table(s: number, m: number): Float32Array {
    return this.done[s].metrics[m];
  }

  /** Finish the current source with its tables (rows of the memo). */
  commit(result: SourceResult): void {
    const cur = this.current!;
    cur.metrics = result.metrics;
    this.done.push(cur);
    this.current = null;
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
