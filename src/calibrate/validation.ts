// The validation table: every statistic on the source against the twin generated from the written twin.yaml,
// with the relative error, and the audit's verdicts on both. A matched statistic is one the fit aimed at; the
// goal is every one of them within VALIDATION_TOLERANCE and every verdict equal.
import { relativeError } from './fixedPoint.ts';
import { knobValue } from './knobs.ts';
import type { Measured } from './logStats.ts';
import { calibrateMsg, showValue, SMALL_LOG_PERSONS } from './messages.ts';
import type { Calibration } from './calibrate.ts';

/** The goal for a matched statistic: within 10% of the source's value. */
export const VALIDATION_TOLERANCE = 0.1;

/** Statistics shown beside the matched ones; reported unless the plan matches them (oneVisitShare with lognormal activity). */
const REPORTED = ['oneVisitShare', 'popularityNdcg'];

export interface StatRow {
  name: string;
  label: string;
  log: number;
  twin: number;
  /** |twin - log| / |log|. */
  error: number;
  status: 'matched' | 'reported';
  /** Matched and within the tolerance; null for reported rows. */
  ok: boolean | null;
  /**
   * A missed statistic whose knob sits at a bound: the setting, the bound (the generator cannot go further), and
   * the value the log wants beyond it when the fit can say (lognormal activity), else null.
   */
  bound: { setting: string; value: number; wants: number | null } | null;
}

export interface VerdictRow {
  id: string;
  name: string;
  log: string;
  twin: string;
  /** The numbers behind the verdicts (NaN for unknown). */
  logValue: number;
  twinValue: number;
}

/**
 * Rows in a fixed order: the log's size, activity, popularity, funnel, drift, identity.
 *
 * @example
 * statRows(cal, twinMeasured).filter((r) => r.ok === false) // the statistics that miss the goal
 */
export function statRows(cal: Calibration, twin: Measured): StatRow[] {
  const names = [...new Set([...cal.plan.matched, ...REPORTED])].filter((k) => k in cal.source.stats);
  const order = (k: string) => {
    const i = ORDER.indexOf(k.split('.')[0]);
    return i < 0 ? ORDER.length : i;
  };
  names.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return names.map((name) => {
    const log = cal.source.stats[name];
    const value = twin.stats[name] ?? Number.NaN;
    const error = relativeError(value, log);
    const status = cal.plan.matched.includes(name) ? 'matched' : 'reported';
    const ok = status === 'matched' ? error <= VALIDATION_TOLERANCE : null;
    return { name, label: calibrateMsg.statLabel(name), log, twin: value, error, status, ok, bound: ok === false ? boundOf(cal, name) : null };
  });
}

/** The knob of `stat` when it sits at one of its bounds in the twin's world. */
export function boundOf(cal: Calibration, stat: string): StatRow['bound'] {
  for (const knob of [...cal.plan.knobs, ...cal.plan.driftKnobs, ...cal.plan.activityKnobs]) {
    if (knob.stat !== stat) continue;
    const value = knobValue(cal.plan.world, knob);
    const setting = knob.path.join('.');
    if (value <= knob.min || value >= knob.max) return { setting, value, wants: cal.plan.wanted.get(setting) ?? null };
  }
  return null;
}

const ORDER = [
  'persons',
  'items',
  'events',
  'days',
  'visitsPerPerson',
  'visitsCv',
  'oneVisitShare',
  'eventsPerVisit',
  'zipf',
  'popularityNdcg',
  'cartPerView',
  'purchasePerCart',
  'purchasePerView',
  'sameVisitShare',
  'laterDelayDays',
  'tauDays',
  'driftLoss',
  'keysPerPerson',
  'multiKeyShare',
  'channel',
  'login',
  'loginAll',
];

/**
 * The table as printed: statistics, the settings not measured, the audit verdicts, and the goal line.
 *
 * @example
 * console.log(validationText('events.csv', rows, cal.plan.kept, verdicts) + '\n');
 */
export function validationText(
  input: string,
  rows: readonly StatRow[],
  kept: ReadonlyArray<{ setting: string; reason: string }>,
  verdicts: readonly VerdictRow[],
): string {
  const cells = rows.map((r) => [
    r.label,
    showValue(r.log),
    showValue(r.twin),
    Number.isFinite(r.error) ? `${(100 * r.error).toFixed(1)}%` : 'n/a',
    r.status === 'reported'
      ? calibrateMsg.statusReported()
      : r.bound
        ? calibrateMsg.statusAtBound(r.bound.setting, r.bound.value)
        : calibrateMsg.statusMatched(r.ok === true),
  ]);
  const header = calibrateMsg.tableHeader();
  const width = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => (c === 0 || c === row.length - 1 ? cell.padEnd(width[c]) : cell.padStart(width[c])))
      .join('  ')
      .trimEnd();
  const matched = rows.filter((r) => r.status === 'matched');
  const out = [calibrateMsg.tableTitle(input), '', line(header), ...cells.map(line)];
  if (kept.length > 0) out.push('', calibrateMsg.keptTitle(), ...kept.map((k) => calibrateMsg.keptLine(k.setting, k.reason)));
  if (verdicts.length > 0)
    out.push('', calibrateMsg.auditTitle(), ...verdicts.map((v) => calibrateMsg.auditLine(v.id, v.name, v.log, v.logValue, v.twin, v.twinValue)));
  const persons = rows.find((r) => r.name === 'persons')?.log ?? Number.NaN;
  if (persons < SMALL_LOG_PERSONS) out.push('', calibrateMsg.smallLog(persons));
  out.push(
    '',
    calibrateMsg.goalLine(
      matched.length,
      matched.filter((r) => r.ok).length,
      VALIDATION_TOLERANCE,
      verdicts.filter((v) => v.log === v.twin).length,
      verdicts.length,
    ),
  );
  return out.join('\n');
}
