// Every user-facing error and warning as a function in one place, so messages stay consistent and tests
// compare against the function rather than a copied string.

/** An input or usage error: printed as one line, exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly exitCode = 2;
}

/** A failure while running a valid job: printed as one line, exit code 1. */
export class RunError extends Error {
  override readonly name = 'RunError';
  readonly exitCode = 1;
}

/** The signals that stop a run from outside (Ctrl-C, kill, a closed terminal). */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * The run was stopped by a signal (Ctrl-C) that reached a process it was waiting on: the CLI ends by that signal,
 * after the usual cleanup, as an interrupted program does (exit status 128 + the signal's number in a shell).
 */
export class InterruptedError extends RunError {
  constructor(
    message: string,
    readonly signal: StopSignal,
  ) {
    super(message);
  }
}

const SHOW_MAX = 60;

/**
 * A value in a message, on one short line: JSON, except that non-finite numbers read as YAML writes them
 * (.inf, -.inf, .nan; JSON would print null) and cycles or long values are cut with "..." (text a little later).
 *
 * @example
 * show(Infinity) // '.inf'
 * show([0.5, NaN]) // '[0.5,.nan]'
 */
export function show(v: unknown): string {
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    return s.length > SHOW_MAX + 20 ? s.slice(0, SHOW_MAX + 16) + '..."' : s;
  }
  if (v === undefined) return 'nothing';
  const s = compact(v, SHOW_MAX + 1, new Set());
  return s.length > SHOW_MAX ? s.slice(0, SHOW_MAX - 3) + '...' : s;
}

/** JSON-like text of `v`, stopping once longer than `budget` (values can be large or cyclic). */
function compact(v: unknown, budget: number, open: Set<object>): string {
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  if (v === null || typeof v !== 'object') return (typeof v === 'bigint' ? undefined : JSON.stringify(v)) ?? String(v);
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const j: unknown = toJSON.call(v);
    if (j === null || typeof j !== 'object') return compact(j, budget, open);
    v = j;
  }
  if (open.has(v as object)) return '...';
  open.add(v as object);
  const list = Array.isArray(v);
  let out = list ? '[' : '{';
  let first = true;
  for (const [k, x] of list ? (v as unknown[]).map((x, i) => [i, x] as const) : Object.entries(v as object)) {
    if (!list && (x === undefined || typeof x === 'function' || typeof x === 'symbol')) continue;
    out += (first ? '' : ',') + (list ? '' : JSON.stringify(k) + ':') + (x === undefined ? 'null' : compact(x, budget - out.length, open));
    first = false;
    if (out.length > budget) break;
  }
  open.delete(v as object);
  return out + (list ? ']' : '}');
}

export const msg = {
  scenarioNotFound: (file: string) => `scenario file not found: ${file}`,
  scenarioIsFolder: (file: string) => `${file} is a folder, not a scenario file; name a .yaml file`,
  scenarioNotAFile: (file: string) => `${file} is not a scenario file (a device or socket); name a YAML file`,
  scenarioTooLarge: (file: string, limit: number) =>
    `${file} is larger than ${limit / 2 ** 20} MB, the limit for a scenario file; a scenario is a page of settings (is it the log? name that in data.path)`,
  yamlSyntax: (where: string, detail: string) => `${where}: invalid YAML: ${detail}`,
  yamlSecondDocument: (where: string) => `${where}: invalid YAML: a second document starts here; a scenario file holds one YAML document`,
  yamlAliasWithoutAnchor: (where: string, name: string) => `${where}: invalid YAML: alias *${name} has no anchor &${name} before it`,
  yamlAliasCycle: (where: string, name: string) =>
    `${where}: invalid YAML: alias *${name} is inside the value it refers to (&${name}), which would make it endless`,
  yamlAliasBomb: (where: string, name: string, limit: number) =>
    `${where}: invalid YAML: aliases expand to more than ${limit} values (here at *${name}); a scenario may repeat at most ${limit} values through aliases`,
  yamlCollectionKey: (where: string, kind: 'mapping' | 'list') => `${where}: a ${kind} is used as a key; keys are names such as world or persons`,
  yamlNotMapping: (file: string) => `${file}: a scenario must be a YAML mapping of settings (name, world, train, eval, models, pipelines)`,
  unknownKey: (where: string, path: string, key: string, suggestion: string | undefined) =>
    `${where}: unknown key "${key}" in ${path || 'the scenario'}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
  invalidValue: (where: string, path: string, value: unknown, expected: string) => `${where}: ${path} is ${show(value)}; expected ${expected}`,
  missingKey: (where: string, path: string, expected: string) => `${where}: ${path} is missing; expected ${expected}`,
  noRequests: (until: string, windowText: string) =>
    `no requests to evaluate: no session starts between the train split (${until}) and the end of the log minus the label window (${windowText}); move train.until earlier or shorten eval.window`,
  noLabelledRequests: (requests: number, positives: string) =>
    `none of the ${requests} requests has a positive event (${positives}) in its label window; check eval.positives and eval.window`,
  unknownPositive: (type: string, known: readonly string[]) => `eval.positives: unknown event type "${type}"; the log has ${known.join(', ')}`,
  unknownChannel: (pipeline: string, channel: string, known: readonly string[]) =>
    `pipelines.${pipeline}.channels: unknown channel "${channel}"; the log has ${known.join(', ')}`,
  overrideSyntax: (text: string) => `--set ${JSON.stringify(text)}: expected path=value, e.g. world.persons=2000`,
  overrideEmptySegment: (text: string) => `--set ${JSON.stringify(text)}: empty segment in the path`,
  overrideReservedSegment: (text: string, segment: string) =>
    `--set ${JSON.stringify(text)}: ${segment} is not a scenario key; a path may not contain __proto__, constructor or prototype`,
  overrideBadYaml: (text: string) => `--set ${JSON.stringify(text)}: the value is not valid YAML`,
  overrideMissingParent: (text: string, file: string, path: string) => `--set ${JSON.stringify(text)}: ${file} has no ${path}`,
  tooFewPersons: (distinct: number, effective: number, min: number) =>
    `intervals and p-values are not available: the requests come from ${distinct} persons (${+effective.toFixed(1)} effective, weighting by requests), fewer than the ${min} a person-clustered bootstrap needs; the means stand alone and no difference is called significant`,
  kBeyondCatalogue: (k: number, items: number) =>
    `eval.k ${k} covers the whole catalogue of ${items} items: every model lists every item, so HR and recall at that K are 1 and cannot tell models or pipelines apart; use a K well below the catalogue size`,
  shortEvaluation: (evaluated: string, pipeline: string, cadence: string) =>
    `requests can start over only ${evaluated} after the split, less than pipeline ${pipeline}'s ${cadence} cadence: its cuts barely vary within the test period; move train.until earlier or use a longer log`,
  emptyTraining: (until: string) => `no events before the train split ${until}: nothing to fit the models on; move train.until later`,
  singleTimestamp: (events: number, time: string) =>
    `all ${events.toLocaleString('en-US')} events of the log share one time, ${time}: no split can put some before and some after it, so there is nothing to train on and nothing to evaluate; check the log's time column (a date without its time of day?)`,
  emptyLog: () => 'the log has no events',
  sampleKeepsNone: (sample: number, requests: number) => `eval.sample ${sample} keeps none of the ${requests} requests; raise it`,
  dataScenarioWithoutLog: () => 'a data scenario needs its log: use runJob or loadLog first',
  workerFailed: (detail: string) => `replay worker: ${detail}`,
  workerExited: (code: number) => `replay worker exited with code ${code} before finishing`,
  identityUnavailable: (resolver: string) => `identity resolver "${resolver}" is not available yet`,
  servedViewsOutOfOrder: () => 'served views must be requested in time order',
};
