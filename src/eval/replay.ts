// The replay engine: for every view source, walk the requests in time order, build each request's
// profile once, and score every model on it. Per-request metrics land in columnar tables so frozen and
// served results stay paired request by request.
import type { EventLog } from '../log/eventLog.ts';
import type { Model, Profile } from '../models/model.ts';
import type { Requests } from './requests.ts';
import type { ViewSource } from './viewSource.ts';
import { topK, topKSparse, finishSparse } from '../util/topk.ts';
import { scoreRanking, METRIC_COUNT } from './metrics.ts';
import type { ViewMemo } from './viewMemo.ts';

export interface ReplayOptions {
  ks: readonly number[];
  /**
   * excludeSeen 'view': isPositive[type] = 1 for the event types whose items each view leaves out of its
   * own ranking (the items of the positive events among the view's events). Under 'person' the requests
   * carry the items instead (seenItems), the same for every view.
   */
  viewSeen?: Uint8Array;
  /**
   * Views of sources already replayed over the same requests with the same models: a request whose view
   * an earlier source served too takes that source's metrics row for every memoizable model (between
   * memo.begin and memo.commit, which the caller makes).
   */
  memo?: ViewMemo;
  /** The memo's row of each request (a phase's subset of the memo's requests); default: the same row. */
  memoRows?: Int32Array;
  /** Called with (done, total) requests, for progress reporting. */
  onProgress?: (done: number, total: number) => void;
}

export interface SourceResult {
  /** metrics[m]: requests x (ks.length * 4) per-request metric table of model m (layout of scoreRanking). */
  metrics: Float32Array[];
  /** Signal age per request: t minus the newest event in the view; NaN when the view is empty. */
  ageMs: Float64Array;
  /** Number of events in each request's view. */
  viewSize: Int32Array;
  /** 1 when the request key had no event before the served view's cut (a fresh key); 0 for the frozen view. */
  unknownKey: Uint8Array;
}

const CHUNK = 256;

/**
 * Replay all requests through one view source and score every model.
 *
 * Rankings are shared where they must be equal: once overall for profile-free models, and per
 * (cut, identity cluster) for models whose ranking depends only on the view's events. Under excludeSeen
 * 'view' the exclusion too depends only on the view's events, so a profile-free model shares its ranking
 * once among views without a positive event and per (cut, cluster) otherwise; under 'person' nothing is
 * shared (the excluded items are the person's).
 *
 * @example
 * const frozen = replay(log, requests, frozenSource(log, byPerson), models, { ks: [10, 20] });
 */
export function replay(log: EventLog, req: Requests, source: ViewSource, models: readonly Model[], opts: ReplayOptions): SourceResult {
  const r = new Replayer(log, req, source, models.length, opts);
  r.advance(req.length, models);
  return r.result;
}

/**
 * A replay that advances through the requests in segments, so that a source whose model is retrained on
 * a schedule can be given each segment's models (fitted once per retrain cut and shared by every source
 * on that schedule). The view source keeps its state between segments.
 *
 * @example
 * const r = new Replayer(log, req, source, 2, { ks: [10] });
 * r.advance(firstSegmentEnd, modelsOfCut0);
 * r.advance(req.length, modelsOfCut1);
 */
export class Replayer {
  readonly result: SourceResult;
  private done = 0;
  private readonly cols: number;
  private readonly kMax: number;
  private readonly nItems: number;
  private readonly labelMask: Uint8Array;
  private readonly seenMask: Uint8Array | undefined;
  private readonly rowBuf: Float64Array;
  private readonly batchRows: number;
  private readonly scores: Float32Array;
  private readonly ranked: Int32Array;
  /** excludeSeen 'view': items of view x's positive events, viewItems[viewOff[x] .. viewOff[x + 1]) (chunk rows). */
  private readonly viewOff: Int32Array;
  private readonly sameAs: Int32Array;
  /** Sparse scoring scratch: the items a profile reaches, and one flag per item (all 0 between uses). */
  private readonly reached: Uint8Array;
  private viewItems = new Int32Array(1024);
  private lastModels: readonly Model[] | null = null;
  private shared: Array<{ cutMs: number; byCluster: Map<number, Int32Array>; once: Int32Array | null }> = [];

  constructor(
    private readonly log: EventLog,
    private readonly req: Requests,
    private readonly source: ViewSource,
    nModels: number,
    private readonly opts: ReplayOptions,
  ) {
    const R = req.length;
    this.kMax = opts.ks[opts.ks.length - 1];
    this.cols = opts.ks.length * METRIC_COUNT;
    this.nItems = log.dict.item.length;
    this.result = {
      metrics: Array.from({ length: nModels }, () => new Float32Array(R * this.cols)),
      ageMs: new Float64Array(R),
      viewSize: new Int32Array(R),
      unknownKey: new Uint8Array(R),
    };
    this.labelMask = new Uint8Array(this.nItems);
    this.seenMask = req.seenOffsets || opts.viewSeen ? new Uint8Array(this.nItems) : undefined;
    this.rowBuf = new Float64Array(this.cols);
    this.batchRows = Math.max(1, Math.min(CHUNK, Math.floor(4_000_000 / Math.max(1, this.nItems))));
    this.scores = new Float32Array(this.batchRows * this.nItems);
    this.ranked = new Int32Array(this.kMax);
    this.viewOff = new Int32Array(this.batchRows + 1);
    this.sameAs = new Int32Array(this.batchRows);
    this.reached = new Uint8Array(this.nItems);
  }

  /** Replay requests [done, to) with `models` (one per metrics table, in order). */
  advance(to: number, models: readonly Model[]): void {
    const { log, req, source, result, nItems, cols, kMax, labelMask, seenMask, rowBuf, scores, ranked } = this;
    const ks = this.opts.ks;
    const viewSeen = this.opts.viewSeen;
    // Under 'person' the final ranking differs per request even for equal scores and views.
    const canShare = !req.seenOffsets;
    if (models !== this.lastModels) {
      // New (retrained) models: no ranking computed with the old ones may be reused.
      this.lastModels = models;
      this.shared = models.map(() => ({ cutMs: NaN, byCluster: new Map<number, Int32Array>(), once: null }));
    }
    const views: Profile[] = [];
    const viewMeta: Array<{ cutMs: number; cluster: number }> = [];
    const viewOff = this.viewOff;
    const memo = this.opts.memo?.active && this.opts.memo.models === models ? this.opts.memo : undefined;
    const memoRows = this.opts.memoRows;
    // sameAs[x]: the earlier source that served chunk row x the same view (-1: none).
    const sameAs = this.sameAs;
    // plain(x): view x excludes nothing of its own (always so unless excludeSeen 'view').
    const plain = (x: number) => viewOff[x + 1] === viewOff[x];
    // How the ranking of view x may be shared: once overall, per (cut, cluster), or not at all.
    const shareOf = (model: Model, x: number): 'once' | 'view' | null => {
      if (!canShare || model.dependsOn === 'request') return null;
      if (model.dependsOn === 'none' && plain(x)) return 'once';
      return Number.isNaN(viewMeta[x].cutMs) ? null : 'view';
    };
    for (let c0 = this.done; c0 < to; c0 += this.batchRows) {
      const c1 = Math.min(to, c0 + this.batchRows);
      views.length = 0;
      viewMeta.length = 0;
      for (let r = c0; r < c1; r++) {
        const t = req.tsMs[r];
        const v = source.view(t, req.key[r], req.person[r], req.login[r]);
        const n = v.events.length;
        result.viewSize[r] = n;
        result.unknownKey[r] = v.unknownKey ? 1 : 0;
        result.ageMs[r] = n ? t - log.tsMs[v.events[n - 1]] : NaN;
        views.push({ events: v.events, nowMs: t, requestId: req.ids ? req.ids[r] : r });
        viewMeta.push(v);
        viewOff[r - c0 + 1] = viewSeen ? this.collectPositives(viewOff[r - c0], v.events, viewSeen) : 0;
        sameAs[r - c0] = memo ? memo.record(memoRows ? memoRows[r] : r, v.events) : -1;
      }
      for (let m = 0; m < models.length; m++) {
        const model = models[m];
        const cache = this.shared[m];
        const todo: number[] = [];
        const rankings: Array<Int32Array | null> = new Array(c1 - c0).fill(null);
        const table = result.metrics[m];
        const copyFrom = memo?.usable[m] ? memo : undefined;
        for (let x = 0; x < c1 - c0; x++) {
          if (copyFrom && sameAs[x] >= 0) {
            // The same view scored by an earlier source: its row is this row (same ranking, same labels).
            const g = memoRows ? memoRows[c0 + x] : c0 + x;
            table.set(copyFrom.table(sameAs[x], m).subarray(g * cols, (g + 1) * cols), (c0 + x) * cols);
            continue;
          }
          const share = shareOf(model, x);
          if (share === 'once' && cache.once) rankings[x] = cache.once;
          else if (share === 'view') {
            if (viewMeta[x].cutMs !== cache.cutMs) {
              cache.cutMs = viewMeta[x].cutMs;
              cache.byCluster.clear();
            }
            const hit = cache.byCluster.get(viewMeta[x].cluster);
            if (hit) rankings[x] = hit;
            else todo.push(x);
          } else todo.push(x);
        }
        const sparse = model.sparse;
        if (!sparse)
          scoreProfiles(
            model,
            todo.map((x) => views[x]),
            scores,
            nItems,
          );
        for (let y = 0; y < todo.length; y++) {
          const x = todo[y];
          const r = c0 + x;
          let got: number;
          if (sparse) {
            // One profile at a time into the scorer's row: only the items it reaches are written and ranked.
            const nt = sparse.score(views[x]);
            if (seenMask) {
              this.setExcluded(r, x, seenMask, 1);
              got = topKSparse(sparse.scores, sparse.touched, nt, sparse.baseline, sparse.order, kMax, ranked, this.reached, seenMask);
              this.setExcluded(r, x, seenMask, 0);
            } else {
              // The scorer keeps the reached items' heap itself (no call per item), then the baseline joins.
              const cap = Math.min(kMax, nItems);
              const size = sparse.select(nt, cap);
              ranked.set(sparse.heap.subarray(0, size));
              got = finishSparse(sparse.scores, size, sparse.baseline, sparse.order, cap, ranked, sparse.reached);
            }
          } else {
            const row = scores.subarray(y * nItems, (y + 1) * nItems);
            got = seenMask ? this.rankExcluding(row, r, x, seenMask) : topK(row, kMax, ranked);
          }
          const list = ranked.slice(0, got);
          rankings[x] = list;
          const share = shareOf(model, x);
          if (share === 'once') cache.once = list;
          // A later request in this chunk may have moved the cache to a newer cut already.
          if (share === 'view' && viewMeta[x].cutMs === cache.cutMs) {
            cache.byCluster.set(viewMeta[x].cluster, list);
          }
        }
        for (let x = 0; x < c1 - c0; x++) {
          const r = c0 + x;
          const list = rankings[x];
          if (list === null) continue; // copied from the memo
          const l0 = req.labelOffsets[r];
          const l1 = req.labelOffsets[r + 1];
          setMask(labelMask, req.labelItems, l0, l1, 1);
          scoreRanking(list, list.length, labelMask, l1 - l0, ks, rowBuf, 0);
          setMask(labelMask, req.labelItems, l0, l1, 0);
          table.set(rowBuf, r * cols);
        }
      }
      this.opts.onProgress?.(c1, req.length);
    }
    this.done = Math.max(this.done, to);
  }

  /** Append the items of the positive events among `events` to viewItems from `at`; returns the new end. */
  private collectPositives(at: number, events: Int32Array, isPositive: Uint8Array): number {
    const { type, item } = this.log;
    let end = at;
    for (let i = 0; i < events.length; i++) {
      if (!isPositive[type[events[i]]]) continue;
      if (end === this.viewItems.length) {
        const grown = new Int32Array(2 * end);
        grown.set(this.viewItems);
        this.viewItems = grown;
      }
      this.viewItems[end++] = item[events[i]];
    }
    return end;
  }

  /** Top-K of request r (chunk row x) without its excluded items: the person's (seenItems) or the view's own positives. */
  private rankExcluding(row: Float32Array, r: number, x: number, mask: Uint8Array): number {
    this.setExcluded(r, x, mask, 1);
    const got = topK(row, this.kMax, this.ranked, mask);
    this.setExcluded(r, x, mask, 0);
    return got;
  }

  /** Set (1) or clear (0) the excluded items of request r (chunk row x) in mask. */
  private setExcluded(r: number, x: number, mask: Uint8Array, v: 0 | 1): void {
    const { req, viewItems, viewOff } = this;
    if (req.seenOffsets) setMask(mask, req.seenItems!, req.seenOffsets[r], req.seenOffsets[r + 1], v);
    setMask(mask, viewItems, viewOff[x], viewOff[x + 1], v);
  }
}

function scoreProfiles(model: Model, profiles: Profile[], out: Float32Array, nItems: number): void {
  if (profiles.length === 0) return;
  if (model.scoreBatch) {
    model.scoreBatch(profiles, out.subarray(0, profiles.length * nItems));
    return;
  }
  for (let y = 0; y < profiles.length; y++) model.score(profiles[y], out.subarray(y * nItems, (y + 1) * nItems));
}

function setMask(mask: Uint8Array, items: Int32Array, lo: number, hi: number, v: 0 | 1): void {
  for (let o = lo; o < hi; o++) mask[items[o]] = v;
}
