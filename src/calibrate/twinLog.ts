// A twin world generated exactly as `recgap generate` would generate it from the twin file: the world section
// goes through the scenario parser (YAML text -> validated -> normalized) and the run's log stage, so a
// calibration round sees the same events the written twin.yaml will produce.
import type { EventLog } from '../log/eventLog.ts';
import { parseScenario } from '../scenario/load.ts';
import { loadLog } from '../run/loadLog.ts';
import { silentReporter } from '../util/progress.ts';
import type { WorldInput } from './knobs.ts';

/**
 * The scenario text of a twin world with the least a scenario needs beside it (one model, one pipeline).
 * JSON is YAML, so the world is written exactly as the data says.
 *
 * @example
 * parseScenario(worldScenarioText({ persons: 100 }, 7))
 */
export function worldScenarioText(world: WorldInput, seed: number): string {
  return [
    'name: calibration-round',
    `seed: ${seed}`,
    `world: ${JSON.stringify(world)}`,
    'models: [ { name: pop, type: popularity } ]',
    'pipelines: [ { name: live, refresh: stream } ]',
  ].join('\n');
}

/**
 * Generate the twin of a scenario text (a calibration round's or the written twin.yaml).
 *
 * @example
 * const { log, categories } = await generateTwin(worldScenarioText(world, 7), 'twin.yaml');
 */
export async function generateTwin(text: string, file: string): Promise<{ log: EventLog; categories: Int32Array }> {
  const scenario = parseScenario(text, file);
  const { log, itemCategory } = await loadLog(scenario, silentReporter());
  return { log, categories: itemCategory! };
}
