// What a command reads, so that claiming its output folder can refuse a target that holds one of its own
// inputs: replacing OUT/<name> must never delete the scenario file, the log or a model the run reads.
import type { OutputInput } from '../results/output.ts';
import type { Scenario } from '../scenario/types.ts';

/**
 * The files a scenario reads: its data file and the models it loads, plus the scenario file itself.
 *
 * @example
 * scenarioInputs(scenario, 'scenarios/real/otto.yaml')
 * // [{ what: 'the scenario file', path: 'scenarios/real/otto.yaml' }, { what: 'the data file', path: '/.../otto.jsonl' }]
 */
export function scenarioInputs(scenario: Scenario, file?: string): OutputInput[] {
  const inputs: OutputInput[] = [];
  if (file) inputs.push({ what: 'the scenario file', path: file });
  if (scenario.log) inputs.push({ what: 'the data file', path: scenario.log.data.path });
  for (const m of scenario.models) {
    if (m.type === 'saved' || m.type === 'tfjs') inputs.push({ what: `model ${m.name}'s file`, path: m.path });
  }
  return inputs;
}
