// Every statistic calibration matches, measured in one pass over a log (the source's view or the twin through
// the lens): a flat table of named numbers, NaN where the log cannot show one.
import type { EventLog } from '../log/eventLog.ts';
import { measureDrift, DRIFT_TAU_MAX_MS, type DriftStatus } from '../audit/drift.ts';
import { activityStats, personVisits } from './activityStats.ts';
import { funnelStats } from './funnelStats.ts';
import { keyStats, sessionChannelStats } from './identityStats.ts';
import { itemCounts, zipfExponent } from './zipf.ts';
import { popularityNdcg } from './predictability.ts';
import type { Lens } from './lens.ts';

const DAY_MS = 86_400_000;

/** Named statistics; channel-specific ones are `login.<channel>` and `channel.<channel>`. */
export type Stats = Record<string, number>;

export interface Measured {
  stats: Stats;
  /** Shares of persons per key bin (identityStats.ts keyBin), when the lens has keys. */
  keyHistogram: number[] | null;
  /** Drift status of check 01's fit, when drift was measured. */
  driftStatus: DriftStatus | null;
}

export interface MeasureOptions {
  lens: Lens;
  /** Item categories for the drift fit (only when lens.categories); items otherwise. */
  categories?: Int32Array;
  /** Score popularity offline (predictability.ts): reported beside the matched statistics, not fitted. */
  popularity?: boolean;
  /** Measure drift (check 01's fit, the costliest statistic); the fit's seed. */
  drift: boolean;
  seed: number;
}

/**
 * Measure `log` (already in the twin's type names, lens.ts) through `lens`.
 *
 * @example
 * const { stats } = await measureLog(sourceView(log, lens), { lens, drift: true, seed: 7 });
 * stats.visitsPerPerson; // 2.95
 */
export async function measureLog(log: EventLog, o: MeasureOptions): Promise<Measured> {
  const a = activityStats(log);
  const { visit } = personVisits(log);
  const f = funnelStats(log, visit);
  const stats: Stats = {
    persons: a.persons,
    items: a.items,
    events: a.events,
    days: a.days,
    visitsPerPerson: a.visitsPerPerson,
    visitsCv: a.visitsCv,
    oneVisitShare: a.oneVisitShare,
    eventsPerVisit: a.eventsPerVisit,
    zipf: zipfExponent(itemCounts(log)),
    cartPerView: f.cartPerView,
    purchasePerCart: f.purchasePerCart,
    purchasePerView: f.cartPerView === f.cartPerView ? NaN : f.purchasePerView,
    sameVisitShare: f.sameVisitShare,
    laterDelayDays: f.laterDelayMedianMs / DAY_MS,
  };
  if (o.popularity) stats.popularityNdcg = await popularityNdcg(log);
  let driftStatus: DriftStatus | null = null;
  if (o.drift) {
    const d = measureDrift(log, o.lens.categories ? o.categories : undefined, { seed: o.seed });
    driftStatus = d.status;
    // "No decay" is tau at the top of the search range with nothing lost; too little data is unmeasured.
    stats.tauDays = d.status === 'decay' ? d.tauMs / DAY_MS : d.status === 'no-decay' ? DRIFT_TAU_MAX_MS / DAY_MS : NaN;
    stats.driftLoss = d.status === 'decay' ? 1 - d.c : d.status === 'no-decay' ? 0 : NaN;
  }
  let keyHistogram: number[] | null = null;
  if (o.lens.keys) {
    const k = keyStats(log, byChannel(o.lens));
    stats.keysPerPerson = k.mean;
    stats.multiKeyShare = k.multiShare;
    keyHistogram = k.histogram;
  }
  if (o.lens.logins || o.lens.channels) {
    const s = sessionChannelStats(log);
    if (o.lens.logins) {
      if (o.lens.channels) for (const [c, r] of Object.entries(s.loginRate)) stats[`login.${c}`] = r;
      else stats.loginAll = s.loginRateAll;
    }
    if (o.lens.channels && o.lens.channels.length > 1) for (const [c, r] of Object.entries(s.share)) stats[`channel.${c}`] = r;
  }
  return { stats, keyHistogram, driftStatus };
}

/**
 * Whether keys are binned by channel: when the source's channels include the app (whose keys never churn).
 *
 * @example
 * byChannel(lensOf(world.log, false, 'world')) // true
 */
export function byChannel(lens: Lens): boolean {
  return lens.channels?.includes('app') === true && lens.channels.length > 1;
}
