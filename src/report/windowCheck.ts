// The data behind the conversion-delay chart for a fresh run: audit check 04 measured on the run's own log
// with the scenario's label window and positives, saved as audit.json beside the results (a full
// `recgap audit --json` written to the same file replaces it and adds the other three checks).
import type { EventLog } from '../log/eventLog.ts';
import type { Results } from '../results/results.ts';
import { windowCheckOf } from '../audit/window.ts';
import { typeMask } from '../audit/typeMask.ts';

/** The audit-report shape `recgap audit --json` writes, with only check 04. */
export interface WindowAudit {
  input: string;
  events: number;
  settings: { window: string; positives: string[] };
  checks: ReturnType<typeof windowCheckOf>[];
}

/**
 * Check 04 on a run's log; null when the log has none of the positive event types.
 *
 * @example
 * const audit = windowAudit(run.log, run.results);
 */
export function windowAudit(log: EventLog, results: Pick<Results, 'config' | 'scenario'>): WindowAudit | null {
  const known = results.config.positives.filter((p) => log.dict.type.includes(p));
  if (!known.length) return null;
  const check = windowCheckOf(log, { windowMs: results.config.windowMs, positives: typeMask(log, known) });
  return { input: `run ${results.scenario.name}`, events: log.length, settings: { window: results.config.window, positives: known }, checks: [check] };
}
