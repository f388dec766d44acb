// How far a person's next purchases follow global popularity: the offline NDCG@10 of the popularity model under
// the audit's protocol (split at 75%, a 7-day label window, purchases as positives, the frozen view). Matching the
// item-popularity curve alone leaves open whether each person buys the popular items (a popularity-driven shop)
// or their own (a taste-driven one); the world's betaPop sets that balance (docs/method.md 2.7), and it decides
// how much a profile is worth, and so how much a stale or fragmented one loses (check 03).
import { InputError } from '../errors.ts';
import type { EventLog } from '../log/eventLog.ts';
import { runScenario } from '../run/run.ts';
import { parseScenario } from '../scenario/load.ts';
import { silentReporter } from '../util/progress.ts';

/** The frozen evaluation only: one pipeline equal to the offline view, no bootstrap. */
const PROTOCOL = [
  'name: calibration-popularity',
  'seed: 7',
  'train: { until: "75%" }',
  'eval: { k: [10], window: 7d, positives: [purchase], bootstrap: 0 }',
  'models: [ { name: pop, type: popularity } ]',
  'pipelines: [ { name: offline, refresh: stream, latency: 0, identity: oracle } ]',
].join('\n');

/**
 * Popularity's offline NDCG@10 on `log` (types in the twin's names, lens.ts); NaN when the log has no purchases
 * or no request after the split has one in its window.
 *
 * @example
 * await popularityNdcg(sourceView(log, lens)) // 0.085 on Online Retail
 */
export async function popularityNdcg(log: EventLog): Promise<number> {
  if (!log.dict.type.includes('purchase')) return Number.NaN;
  try {
    const run = await runScenario(parseScenario(PROTOCOL, 'calibration'), { log, reporter: silentReporter() });
    return run.results.results[0].metrics['ndcg@10'].frozen.mean;
  } catch (e) {
    // No request to evaluate is "cannot be measured", not a failure of the calibration.
    if (e instanceof InputError) return Number.NaN;
    throw e;
  }
}
