// The replay engine: for every view source, walk the requests in time order, build each request's
// profile once, and score every model on it. Per-request metrics land in columnar tables so frozen and
// served results stay paired request by request.
import type { EventLog } from '../log/eventLog.ts';
import type { Model, Profile } from '../models/model.ts';
import type { Requests } from './requests.ts';
import type { ViewSource } from './viewSource.ts';
import { topK } from './topk.ts';
import { scoreRanking, METRIC_COUNT } from './metrics.ts';

export interface ReplayOptions {
  ks: readonly number[];
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
}

const CHUNK = 256;

/**
 * Replay all requests through one view source and score every model.
 *
 * Rankings are shared where they must be equal: once overall for profile-free models, and per
 * (cut, identity cluster) for models whose ranking depends only on the view's events.
 *
 * @example
 * const frozen = replay(log, requests, frozenSource(log, byPerson), models, { ks: [10, 20] });
 */
export function replay(log: EventLog, req: Requests, source: ViewSource, models: readonly Model[], opts: ReplayOptions): SourceResult {
  const R = req.length;
  const ks = opts.ks;
  const kMax = ks[ks.length - 1];
  const cols = ks.length * METRIC_COUNT;
  const nItems = log.dict.item.length;
  const metrics = models.map(() => new Float32Array(R * cols));
  const ageMs = new Float64Array(R);
  const viewSize = new Int32Array(R);

  const labelMask = new Uint8Array(nItems);
  const seenMask = req.seenOffsets ? new Uint8Array(nItems) : undefined;
  const rowBuf = new Float64Array(cols);
  const batchRows = Math.max(1, Math.min(CHUNK, Math.floor(4_000_000 / Math.max(1, nItems))));
  const scores = new Float32Array(batchRows * nItems);
  const ranked = new Int32Array(kMax);

  // Per-model ranking caches.
  const shared = models.map(() => ({ cutMs: NaN, byCluster: new Map<number, Int32Array>(), once: null as Int32Array | null }));

  const views: Profile[] = [];
  const viewMeta: Array<{ cutMs: number; cluster: number }> = [];
  for (let c0 = 0; c0 < R; c0 += batchRows) {
    const c1 = Math.min(R, c0 + batchRows);
    views.length = 0;
    viewMeta.length = 0;
    for (let r = c0; r < c1; r++) {
      const t = req.tsMs[r];
      const v = source.view(t, req.key[r], req.person[r]);
      const n = v.events.length;
      viewSize[r] = n;
      ageMs[r] = n ? t - log.tsMs[v.events[n - 1]] : NaN;
      views.push({ events: v.events, nowMs: t, requestId: r });
      viewMeta.push(v);
    }
    for (let m = 0; m < models.length; m++) {
      const model = models[m];
      const cache = shared[m];
      // With excludeSeen the final ranking differs per request even for equal scores.
      const canShare = !seenMask;
      const todo: number[] = [];
      const rankings: Array<Int32Array | null> = new Array(c1 - c0).fill(null);
      for (let x = 0; x < c1 - c0; x++) {
        if (canShare && model.dependsOn === 'none' && cache.once) rankings[x] = cache.once;
        else if (canShare && model.dependsOn === 'events' && !Number.isNaN(viewMeta[x].cutMs)) {
          if (viewMeta[x].cutMs !== cache.cutMs) {
            cache.cutMs = viewMeta[x].cutMs;
            cache.byCluster.clear();
          }
          const hit = cache.byCluster.get(viewMeta[x].cluster);
          if (hit) rankings[x] = hit;
          else todo.push(x);
        } else todo.push(x);
      }
      scoreProfiles(model, todo.map((x) => views[x]), scores, nItems);
      for (let y = 0; y < todo.length; y++) {
        const x = todo[y];
        const r = c0 + x;
        const row = scores.subarray(y * nItems, (y + 1) * nItems);
        if (seenMask) setMask(seenMask, req.seenItems!, req.seenOffsets![r], req.seenOffsets![r + 1], 1);
        const got = topK(row, kMax, ranked, seenMask);
        if (seenMask) setMask(seenMask, req.seenItems!, req.seenOffsets![r], req.seenOffsets![r + 1], 0);
        const list = ranked.slice(0, got);
        rankings[x] = list;
        if (canShare && model.dependsOn === 'none') cache.once = list;
        if (canShare && model.dependsOn === 'events' && !Number.isNaN(viewMeta[x].cutMs)) {
          // A later request in this chunk may have moved the cache to a newer cut already.
          if (viewMeta[x].cutMs === cache.cutMs) cache.byCluster.set(viewMeta[x].cluster, list);
        }
      }
      const table = metrics[m];
      for (let x = 0; x < c1 - c0; x++) {
        const r = c0 + x;
        const list = rankings[x]!;
        const l0 = req.labelOffsets[r];
        const l1 = req.labelOffsets[r + 1];
        setMask(labelMask, req.labelItems, l0, l1, 1);
        scoreRanking(list, list.length, labelMask, l1 - l0, ks, rowBuf, 0);
        setMask(labelMask, req.labelItems, l0, l1, 0);
        table.set(rowBuf, r * cols);
      }
    }
    opts.onProgress?.(c1, R);
  }
  return { metrics, ageMs, viewSize };
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
