// Every audit message as a function: option errors, and the name and detail line of each check (the
// number in words plus one sentence on what to do). Tests compare against these functions.
import { formatDurationMs } from '../util/duration.ts';
import type { Verdict } from './checks.ts';
import type { DriftStatus } from './drift.ts';
import type { IdentityStats } from './identityCoverage.ts';

const show = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)));

/**
 * A share as a percentage with one decimal, 'n/a' for NaN.
 *
 * @example
 * percent(0.3125) // '31.3%'
 */
export function percent(x: number): string {
  return x === x ? `${(100 * x).toFixed(1)}%` : 'n/a';
}

/**
 * A duration in the largest readable unit with one decimal; 'never' for Infinity, 'n/a' for NaN.
 *
 * @example
 * readableDuration(2.5 * 86_400_000) // '2.5 days'
 */
export function readableDuration(ms: number): string {
  if (!(ms === ms)) return 'n/a';
  if (ms === Infinity) return 'never';
  const abs = Math.abs(ms);
  if (abs >= 86_400_000) return `${(ms / 86_400_000).toFixed(1)} days`;
  if (abs >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} hours`;
  if (abs >= 60_000) return `${(ms / 60_000).toFixed(1)} minutes`;
  return formatDurationMs(Math.round(ms));
}

export interface FreshnessWords {
  verdict: Verdict;
  /** Median pipeline lag: served signal age minus the key's inactivity, per request. */
  lagMedianMs: number;
  ageMedianMs: number;
  /** Median time since the key's previous visit: what no pipeline can remove. */
  inactivityMedianMs: number;
  /** True when the schedule was averaged over its phase (no origin given). */
  phaseAveraged: boolean;
  tauMs: number;
  halfLifeMs: number;
  status: DriftStatus;
  refresh: number | 'stream';
  latencyMs: number;
  requests: number;
  hiddenShare: number;
}

export interface IdentityWords {
  verdict: Verdict;
  stats: IdentityStats;
  journeyMs: number;
}

export interface WindowWords {
  verdict: Verdict;
  outsideShare: number;
  /** 95% interval of the share outside (Wilson, over effective buyers). */
  outsideLo: number;
  outsideHi: number;
  buyers: number;
  firstTouchOutsideShare: number;
  windowMs: number;
  conversions: number;
  medianMs: number;
  capturedAtDay: number;
}

const FRESHNESS_ACTION: Record<Verdict, (tauMs: number) => string> = {
  fail: (tau) =>
    `Profiles lag the persons' own history by more than the time it takes behaviour to move: refresh more often than every ${readableDuration(tau)} or stream recent events into the profile.`,
  warn: () => 'The pipeline lag is a noticeable share of the drift window: consider a shorter refresh cadence or lower latency.',
  pass: () => "Profiles keep up with the persons' own history relative to how fast behaviour changes; refresh cadence is not the lever.",
  unknown: () => 'The log is too short or sparse to measure how fast behaviour drifts: a longer log, or more events per person, would answer this check.',
};

const IDENTITY_ACTION: Record<Verdict, string> = {
  fail: "Key-level profiles miss most buyers' history: stitch keys by login (with retroactive stitching) or a device graph before serving.",
  warn: 'Stitch keys by login to recover the split journeys, and measure the lift with check 03.',
  pass: "Key-level profiles see most buyers' journeys whole; identity is not the main gap.",
  unknown: 'The log has too few converting persons with known identity to measure split journeys.',
};

const WINDOW_ACTION: Record<Verdict, string> = {
  fail: 'Lengthen the offline label window (see the captured share per window) or model delayed feedback; otherwise offline labels miss conversions the recommender caused.',
  warn: 'Consider a longer label window and check how the metric moves with W.',
  pass: 'The label window captures nearly all conversions.',
  unknown: 'Too few conversions to tell: the interval reaches from below 10% to above 25%; a longer log, or more buyers, would answer it.',
};

export const auditMsg = {
  /** Why a check is unknown (verdict `unknown`): what the log lacks and what would answer the check. */
  noDeviceKeys:
    'unknown: the log has one key per person (no device or cookie ids), so it cannot show fragmentation; map a device column as the key (data.columns.key) to measure it. Check 03 injects fragmentation to model it, and says so.',
  conversionsOnly: (types: readonly string[]) =>
    `unknown: every event type in the log (${types.join(', ')}) counts as a conversion, so no conversion has an earlier touch to measure its delay from; a log with the views or carts before each purchase, counted as touches rather than conversions, would answer it`,
  gapNotMeasured: (why: string) => `unknown: ${why} (on the audit's command line: --split and --window)`,
  /** Check 03 ranks the top GAP_K items; a catalogue that small is listed whole. */
  gapKBeyondCatalogue: (k: number, items: number) =>
    `check 03 ranks the top ${k} items and the log has only ${items}: every item is listed, so HR@${k} is 1 and the NDCG@${k} gap measures only the order of ${items} items`,
  driftNotMeasured:
    'unknown: the log is too short or sparse to measure a drift window, so staleness cannot be judged against it; a longer log, or more events per person, would answer it',
  /** An invalid option: names the option, the bad value and what is allowed. */
  invalid: (name: string, value: unknown, expected: string) => `invalid ${name}: ${show(value)}; expected ${expected}`,
  unknownType: (name: string, known: readonly string[]) => `unknown event type "${name}"; the log has ${known.join(', ')}`,

  freshnessName: 'Signal freshness',
  freshnessDetail: (w: FreshnessWords): string => {
    const served = `refresh ${w.refresh === 'stream' ? 'stream' : formatDurationMs(w.refresh)}${w.phaseAveraged ? ' at any hour and weekday' : ''}, latency ${formatDurationMs(w.latencyMs)}`;
    const age =
      `Median pipeline lag is ${readableDuration(w.lagMedianMs)} over ${w.requests} requests (${served}): ` +
      `the served signal is ${readableDuration(w.ageMedianMs)} old at the median, of which the key's own inactivity is ${readableDuration(w.inactivityMedianMs)}`;
    const hidden = w.hiddenShare > 0 ? ` ${percent(w.hiddenShare)} of requests see none of their key's earlier history.` : '';
    if (w.status === 'too-little-data') {
      return `${age}, but the log is too short or sparse to measure the drift window, so freshness cannot be judged.${hidden} Measure drift on a longer log with repeat visitors (a few weeks at least).`;
    }
    if (w.status === 'no-decay') {
      return `${age}; the log shows no measurable behaviour drift, so staleness costs little relevance here (held to the upper bound ${readableDuration(w.tauMs)}).${hidden} Refresh cadence is not the lever; look at identity and the label window.`;
    }
    return `${age}; against a drift window of ${readableDuration(w.tauMs)} (half-life ${readableDuration(w.halfLifeMs)}); fail above ${readableDuration(w.tauMs)}, warn above ${readableDuration(w.tauMs / 2)}.${hidden} ${FRESHNESS_ACTION[w.verdict](w.tauMs)}`;
  },

  identityName: 'Identity coverage',
  identityDetail: (w: IdentityWords): string => {
    const s = w.stats;
    const never = `${percent(s.neverLoginEventShare)} of events and ${percent(s.neverLoginConversionShare)} of conversions are on keys that never log in`;
    if (s.persons === 0) {
      return `The log has no person ids, so multi-key journeys cannot be measured; ${never}. Add a stable account id to the export, or audit a sample where persons are known.`;
    }
    if (s.convertingPersons === 0) {
      return `No known person converts in the log, so multi-key purchase journeys cannot be measured; ${never}; persons average ${s.keysPerPerson.mean.toFixed(2)} keys. Check the positive event types.`;
    }
    return (
      `${percent(s.multiKeyJourneyPersonShare)} of ${s.convertingPersons} converting persons had a purchase journey spanning several keys within ${readableDuration(w.journeyMs)} ` +
      `(Criteo: about 31% of US purchase journeys span devices); warn above 20%, fail above 40%. ${never}; persons average ${s.keysPerPerson.mean.toFixed(2)} keys, ` +
      `${percent(s.anonymousShare)} of events are anonymous. ${IDENTITY_ACTION[w.verdict]}`
    );
  },

  windowName: 'Conversion window alignment',
  windowDetail: (w: WindowWords): string => {
    if (w.conversions === 0)
      return 'The log has no conversions of the positive types, so the label window cannot be checked. Configure the positive event types.';
    return (
      `${percent(w.outsideShare)} [${percent(w.outsideLo)}, ${percent(w.outsideHi)}] of ${w.conversions} conversions (${w.buyers} buyers) arrive ${readableDuration(w.windowMs)} or more after the session in which the buyer last touched the item, outside the label window ` +
      `(${percent(w.firstTouchOutsideShare)} counting from the first touch); median delay ${readableDuration(w.medianMs)}, and a 1-day window would capture ${percent(w.capturedAtDay)} ` +
      `(Chapelle 2014: about half of conversions come after 24 h). ` +
      `Warn above 10%, fail above 25%. ${WINDOW_ACTION[w.verdict]}`
    );
  },
};
