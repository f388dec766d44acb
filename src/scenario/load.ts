// The scenario boundary: YAML text -> validated input -> normalized Scenario. Errors name the file, the
// line, the key path, the bad value and what is allowed, in one line.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineCounter } from 'yaml';
import { InputError, msg } from '../errors.ts';
import { scenarioSchema } from './schema.ts';
import { normalizeScenario } from './normalize.ts';
import type { Scenario } from './types.ts';
import { applyOverrides, parseOverrides } from './overrides.ts';
import { formatIssue, valueAt } from './issues.ts';
import { lineOfPath, readYaml } from './yaml.ts';

/**
 * Read, validate and normalize a scenario file.
 *
 * @example
 * const scenario = loadScenario('scenarios/quickstart.yaml');
 */
export function loadScenario(file: string, overrides: readonly string[] = []): Scenario {
  return parseScenario(readScenarioText(file), file, overrides);
}

/** Largest scenario file read: a scenario is a page of settings; anything larger is the wrong file. */
export const MAX_SCENARIO_BYTES = 1 << 20;

/**
 * A scenario file's text: a regular file (or a pipe, as `<(...)` gives) of at most MAX_SCENARIO_BYTES.
 * A folder, a device such as /dev/zero, or a larger file is an InputError, and nothing is read past the limit.
 *
 * @example
 * readScenarioText('scenarios/quickstart.yaml').startsWith('#') // true
 */
export function readScenarioText(file: string): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch {
    throw new InputError(msg.scenarioNotFound(file));
  }
  if (st.isDirectory()) throw new InputError(msg.scenarioIsFolder(file));
  if (!st.isFile() && !st.isFIFO()) throw new InputError(msg.scenarioNotAFile(file));
  if (st.size > MAX_SCENARIO_BYTES) throw new InputError(msg.scenarioTooLarge(file, MAX_SCENARIO_BYTES));
  // A pipe has no size: read up to one byte past the limit.
  const buf = Buffer.alloc(MAX_SCENARIO_BYTES + 1);
  const fd = openSync(file, 'r');
  let length = 0;
  try {
    for (let n = 1; n > 0 && length < buf.length; length += n) n = readSync(fd, buf, length, buf.length - length, null);
  } finally {
    closeSync(fd);
  }
  if (length > MAX_SCENARIO_BYTES) throw new InputError(msg.scenarioTooLarge(file, MAX_SCENARIO_BYTES));
  return buf.toString('utf8', 0, length);
}

/**
 * Validate and normalize scenario text; `file` only names the source in messages. `overrides`
 * (`path=value`, as given to --set) apply before validation; errors in them name the override.
 */
export function parseScenario(text: string, file = 'scenario', overrides: readonly string[] = []): Scenario {
  // 1. Overrides, checked for their syntax before anything else.
  const parsedOverrides = parseOverrides(overrides);

  // 2. YAML -> plain data. The core schema has no custom tags: a crafted file cannot construct objects or run
  //    code, and unknown tags (`!!js/function`) are errors because a scenario is plain data.
  const lineCounter = new LineCounter();
  const yaml = readYaml(text, { unknownTags: 'error', lineCounter });
  if (!yaml.ok) throw new InputError(yaml.message(`${file}:${lineCounter.linePos(yaml.offset).line}`));
  const { doc, data } = yaml;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new InputError(msg.yamlNotMapping(file));
  applyOverrides(data as Record<string, unknown>, parsedOverrides, file);

  // 3. Validate against the schema; messages locate a key path in the last override that set it, or the file.
  const where = (path: readonly PropertyKey[]) => {
    const o = parsedOverrides.findLast((ov) => ov.path.every((seg, i) => path[i] === seg));
    if (o) return `--set ${o.text}`;
    const line = lineOfPath(doc, lineCounter, path);
    return line ? `${file}:${line}` : file;
  };
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) throw new InputError(formatIssue(parsed.error.issues, data, where));

  // 4. Normalize: defaults, units, and the checks the schema cannot express.
  const { scenario, issues } = normalizeScenario(parsed.data, file === 'scenario' ? '.' : dirname(file));
  if (!scenario) {
    const first = issues[0];
    throw new InputError(msg.invalidValue(where(first.path), first.path.join('.'), valueAt(data, first.path), first.message));
  }
  return scenario;
}
