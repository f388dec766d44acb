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

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
};

export const msg = {
  scenarioNotFound: (file: string) => `scenario file not found: ${file}`,
  yamlSyntax: (where: string, detail: string) => `${where}: invalid YAML: ${detail}`,
  yamlNotMapping: (file: string) => `${file}: a scenario must be a YAML mapping of settings (name, world, train, eval, models, pipelines)`,
  unknownKey: (where: string, path: string, key: string, suggestion: string | undefined) =>
    `${where}: unknown key "${key}" in ${path || 'the scenario'}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
  invalidValue: (where: string, path: string, value: unknown, expected: string) => `${where}: ${path} is ${show(value)}; expected ${expected}`,
  missingKey: (where: string, path: string, expected: string) => `${where}: ${path} is missing; expected ${expected}`,
  duplicateName: (where: string, path: string, name: string) => `${where}: ${path} name "${name}" is used twice; names must be unique`,
  devicesSum: (where: string, sum: number) => `${where}: world.identity.devices must sum to 1 (got ${+sum.toFixed(6)})`,
  noRequests: (until: string, windowText: string) =>
    `no requests to evaluate: no session starts between the train split (${until}) and the end of the log minus the label window (${windowText}); move train.until earlier or shorten eval.window`,
  noLabelledRequests: (requests: number, positives: string) =>
    `none of the ${requests} requests has a positive event (${positives}) in its label window; check eval.positives and eval.window`,
  unknownPositive: (type: string, known: readonly string[]) => `eval.positives: unknown event type "${type}"; the log has ${known.join(', ')}`,
  unknownChannel: (pipeline: string, channel: string, known: readonly string[]) =>
    `pipelines.${pipeline}.channels: unknown channel "${channel}"; the log has ${known.join(', ')}`,
  notImplemented: (where: string, path: string, value: string, allowed: readonly string[]) =>
    `${where}: ${path} "${value}" is not available yet; expected one of ${allowed.join(', ')}`,
  badSeed: (value: string) => `--seed must be a non-negative integer (got ${show(value)})`,
  emptyTraining: (until: string) => `no events before the train split ${until}: nothing to fit the models on; move train.until later`,
};
