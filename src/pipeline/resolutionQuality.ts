// Resolution quality of a serving configuration: its resolver replayed through the requests as the served
// views are (same cuts, phases and request-time logins), scored against the person column: key-level
// pairwise and B-cubed numbers (identity/quality.ts) and per request the purity and coverage of the profile.
import type { EventLog } from '../log/eventLog.ts';
import { groupPrefix, lowerBoundTime } from '../log/groupIndex.ts';
import { keyClusterQuality, majorityPerson, type ResolutionQuality } from '../identity/quality.ts';
import type { ResolverSettings } from '../identity/options.ts';
import { buildViewIndexes, ServedViews, type ViewIndexes } from './servedView.ts';
import type { ServingConfig } from './serving.ts';
import { forEachPhase } from './phases.ts';

/** Requests as quality needs them; without `login` no request carries one (no request-time login lookup). */
export interface QualityRequests {
  readonly length: number;
  readonly tsMs: Float64Array;
  readonly key: Int32Array;
  readonly person: Int32Array;
  readonly login?: Int32Array;
  readonly session?: Int32Array;
}

/**
 * Resolution quality of a serving configuration's identity resolver, against the person column.
 *
 * Replays the resolver through the requests as ServedViews does (same cuts, same clusters, same
 * retroactive rules, the same request-time login lookup, the same phase per request when the schedule is
 * averaged over its phase) with all channels, so the numbers measure identity alone, not channel silos.
 * Key-level numbers (pairwise, B-cubed, keysPerPerson) are taken at the latest request's cut, over keys
 * with an event before it; each key belongs to the person with most of its events there (shared
 * devices: the majority user), ties to the smaller person index. Purity and coverage are per request.
 *
 * @example
 * const q = resolutionQuality(log, { ...config, graph: { ...DEFAULT_GRAPH, threshold: 0.8 } }, requests);
 * q.pairwisePrecision; q.pairwiseRecall; q.coverage;
 */
export function resolutionQuality(
  log: EventLog,
  config: ServingConfig & ResolverSettings,
  requests: QualityRequests,
  indexes?: ViewIndexes,
): ResolutionQuality {
  const idx = indexes ?? buildViewIndexes(log, null);
  const sums = { puritySum: 0, purityN: 0, coverageSum: 0, coverageN: 0 };
  let lastCut = NaN;
  let resolver: ServedViews['identity'] = null;
  let any = false;
  forEachPhase(requests, config, (rows, concrete) => {
    const views = new ServedViews(log, { ...concrete, channels: null }, idx);
    const cut = servedSums(log, views, idx, requests, rows, sums);
    // Key-level numbers at the latest cut any phase reached.
    if (!any || cut > lastCut) {
      lastCut = cut;
      resolver = views.identity;
    }
    any = true;
  });
  if (!any) resolver = new ServedViews(log, { ...config, phase: null, channels: null }, idx).identity;
  const bound = lastCut === lastCut ? lowerBoundTime(log.tsMs, lastCut) : log.length;
  const r = resolver as ServedViews['identity'];
  if (requests.length === 0) r?.advanceTo(bound);
  const owner = majorityPerson(log, idx.byKey, bound);
  const keys = keyClusterQuality(owner, r ? (k) => r.clusterOf(k) : (k) => owner[k]);
  const { puritySum, purityN, coverageSum, coverageN } = sums;
  return {
    ...keys,
    purity: purityN ? puritySum / purityN : NaN,
    coverage: coverageN ? coverageSum / coverageN : NaN,
    requests: requests.length,
    atMs: lastCut,
  };
}

/** Add the purity and coverage of `rows` of the requests (null = all) to `sums`; returns the last request's cut. */
function servedSums(
  log: EventLog,
  views: ServedViews,
  idx: ViewIndexes,
  requests: QualityRequests,
  rows: Int32Array | null,
  sums: { puritySum: number; purityN: number; coverageSum: number; coverageN: number },
): number {
  let lastCut = NaN;
  const n = rows ? rows.length : requests.length;
  // Counting a view's events of the person reads one scattered log row per event: do it once per
  // (cut, cluster, person). The oracle's view is the person's own history, so all of it is theirs.
  const oracle = views.identity === null;
  let bound = 0;
  let ownCut = NaN;
  const ownOf = new Map<number, { person: number; own: number }>();
  for (let j = 0; j < n; j++) {
    const r = rows ? rows[j] : j;
    const person = requests.person[r];
    const v = views.view(requests.tsMs[r], requests.key[r], person, requests.login ? requests.login[r] : -1);
    if (v.cutMs !== lastCut) bound = lowerBoundTime(log.tsMs, v.cutMs);
    lastCut = v.cutMs;
    let own: number;
    if (oracle) own = v.events.length;
    else {
      if (v.cutMs !== ownCut) {
        ownCut = v.cutMs;
        ownOf.clear();
      }
      const hit = ownOf.get(v.cluster);
      if (hit && hit.person === person) own = hit.own;
      else {
        own = 0;
        for (let e = 0; e < v.events.length; e++) if (log.person[v.events[e]] === person) own++;
        ownOf.set(v.cluster, { person, own });
      }
    }
    if (v.events.length > 0) {
      sums.puritySum += own / v.events.length;
      sums.purityN++;
    }
    const history = groupPrefix(idx.byPerson, person, bound).length;
    if (history > 0) {
      sums.coverageSum += own / history;
      sums.coverageN++;
    }
  }
  return lastCut;
}
