// Stage 1 of a run: the event log, generated from the scenario's world or read from its data file, with
// fragmentation and drift injected where the scenario asks. Each step draws from its own named stream.
import type { EventLog } from '../log/eventLog.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Reporter } from '../util/progress.ts';
import { Rng } from '../util/rng.ts';
import { generateWorld } from '../world/generate.ts';
import { injectFragmentation, type FragmentReport } from '../world/fragment.ts';
import { injectDrift, type DriftReport } from '../world/injectDrift.ts';
import { ingestSummary } from '../ingest/summary.ts';
import type { LogProvenance } from '../results/results.ts';

const n = (x: number) => x.toLocaleString('en-US');

/**
 * Produce the scenario's log.
 *
 * @example
 * const { log, provenance } = await loadLog(scenario, reporter);
 */
export async function loadLog(scenario: Scenario, rep: Reporter): Promise<{ log: EventLog; provenance: LogProvenance; itemCategory: Int32Array | null }> {
  const root = Rng.fromSeed(scenario.seed);
  if (scenario.world) {
    const s = rep.stage('generate world');
    const world = generateWorld(scenario.world, root.fork('world'), (d, t) => s.tick(d, t));
    const log = world.log;
    s.end(`${n(log.length)} events, ${n(log.dict.person.length)} persons, ${n(log.dict.key.length)} keys`);
    return { log, provenance: { source: 'world', ingest: null, fragment: null, drift: null }, itemCategory: world.items.category };
  }
  const src = scenario.log!;
  const s = rep.stage('read log');
  // DuckDB loads only when a scenario reads a file (about 0.6 s of start-up otherwise).
  const { readLog } = await import('../ingest/readLog.ts');
  const { log: raw, report: ingest } = await readLog(src.data);
  s.end(ingestSummary(ingest));
  let log = raw;
  let fragment: FragmentReport | null = null;
  if (src.fragment) {
    const f = rep.stage('inject fragmentation');
    ({ log, report: fragment } = injectFragmentation(log, src.fragment, root.fork('fragment')));
    f.end(`${n(fragment.keysBefore)} keys -> ${n(fragment.keysAfter)}`);
  }
  let drift: DriftReport | null = null;
  if (src.drift.clock !== 1 || src.drift.shifts) {
    const d = rep.stage('inject drift');
    ({ log, report: drift } = injectDrift(log, src.drift, root.fork('drift')));
    d.end(`clock x${drift.clock}, ${n(drift.shiftedPersons)} persons shifted`);
  }
  // The read's duration is a timing (runtime.timingsMs has it): results.json stays the same for the same input.
  const { seconds: _seconds, ...kept } = ingest;
  return { log, provenance: { source: 'data', ingest: kept, fragment, drift }, itemCategory: null };
}
