// Replay through one serving configuration. A pinned schedule is one replay; a schedule averaged over its
// phase is one replay per phase over that phase's requests (each in time order under a concrete schedule,
// so resolvers advance and views are shared as usual), scattered back into one table in request order.
import type { EventLog } from '../log/eventLog.ts';
import type { Model } from '../models/model.ts';
import { forEachPhase } from '../pipeline/phases.ts';
import type { ServingConfig } from '../pipeline/serving.ts';
import type { ViewIndexes } from '../pipeline/servedView.ts';
import { METRIC_COUNT } from './metrics.ts';
import { emptySource, scatterSource, takeRequests } from './partition.ts';
import { replay, type ReplayOptions, type SourceResult } from './replay.ts';
import type { Requests } from './requests.ts';
import { servedSource } from './viewSource.ts';

/**
 * Replay `req` through `config` and score every model; tables are indexed like `req`.
 *
 * @example
 * const weekly = replayServed(log, requests, config, models, indexOf(config), { ks: [10] });
 */
export function replayServed(
  log: EventLog,
  req: Requests,
  config: ServingConfig,
  models: readonly Model[],
  idx: ViewIndexes,
  opts: ReplayOptions,
): SourceResult {
  if (!config.phase) return replay(log, req, servedSource(log, config, idx), models, opts);
  const cols = opts.ks.length * METRIC_COUNT;
  const full = emptySource(req.length, models.length, cols);
  let before = 0;
  forEachPhase(req, config, (rows, concrete) => {
    const part = takeRequests(req, rows!);
    const memoRows = opts.memo && (opts.memoRows ? Int32Array.from(rows!, (r) => opts.memoRows![r]) : rows!);
    const got = replay(log, part, servedSource(log, concrete, idx), models, {
      ...opts,
      memoRows,
      onProgress: opts.onProgress && ((d) => opts.onProgress!(before + d, req.length)),
    });
    scatterSource(got, rows!, full, cols);
    before += rows!.length;
  });
  return full;
}
