// Every message of the command line's own flags as a function in one place: tests compare against these.

export const cliMsg = {
  noCommand: () => 'name a command: run, merge, report, sweep, generate, audit, compare, gate, calibrate or schema',
  badDuration: (flag: string, value: string) => `${flag} must be a duration such as 7d, 6h or 30m (got ${JSON.stringify(value)})`,
  badColumns: (pair: string, fields: readonly string[]) =>
    `--columns takes field=column pairs separated by commas, fields from ${fields.join(', ')} (got ${JSON.stringify(pair)})`,
  badMatch: (value: string) => `--match pairs a model of run A with one of run B as A=B, e.g. --match prod=knn (got ${JSON.stringify(value)})`,
  badWorkers: (value: string) => `--workers must be auto or an integer from 1 to 64 (got ${JSON.stringify(value)})`,
  badSeed: (value: string) => `--seed must be an integer from 0 to 4294967295 (got ${JSON.stringify(value)})`,
  badNumber: (flag: string, value: string) => `${flag} must be a number (got ${JSON.stringify(value)})`,
  debugHint: () => '(run with --debug for the stack trace)',
  /** An option that takes a value, given without one (at the end, before another option, or as --name=). */
  missingValue: (flag: string, command: string) => `${flag} needs a value (see recgap ${command} --help)`,
  badChoice: (flag: string, value: string, allowed: readonly string[]) => `${flag} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`,
  /** yargs' own usage errors (unknown option, missing argument), on one line. */
  usage: (yargsMessage: string) =>
    yargsMessage
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join(' '),
};
