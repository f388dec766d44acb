// Options that take a value must get one. yargs reads `--out` at the end of the line, or before another option
// (`--workers --quiet`), as "not given" and silently uses the default, and `--out=` as an empty text; both are
// a slip the user should hear about. Options with a fixed set of values are checked here too, so the message
// lists the values on one line (yargs words it over several, and only the first line is printed). The values
// yargs cannot type (durations, worker counts, seeds, column maps) are parsed here too, each with its one-line error.
import { InputError } from '../errors.ts';
import { cliMsg } from './messages.ts';
import { resolveWorkers } from '../run/workers.ts';
import type { ColumnMap } from '../scenario/types.ts';
import { parseDurationMs } from '../util/duration.ts';

/** What yargs' getOptions() says about the command's options (the parts read here). */
export interface OptionKinds {
  string: readonly string[];
  array: readonly string[];
  number?: readonly string[];
  choices: Readonly<Record<string, readonly unknown[]>>;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Throw an InputError for the first value option given without a value, or given a value outside its choices.
 *
 * @example
 * checkOptionValues(['run', '--out'], { string: ['out'], array: [], choices: {} }, { out: 'reports' }, 'run');
 * // throws: --out needs a value (see recgap run --help)
 */
export function checkOptionValues(args: readonly string[], kinds: OptionKinds, parsed: Readonly<Record<string, unknown>>, command: string): void {
  const takesValue = new Set([...kinds.string, ...kinds.array, ...(kinds.number ?? [])].map(kebab));
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (token === '--') break;
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    const name = kebab(token.slice(2, eq < 0 ? undefined : eq));
    if (!takesValue.has(name)) continue;
    const next = args[i + 1];
    const missing = eq >= 0 ? token.length === eq + 1 : next === undefined || next === '' || next.startsWith('--');
    if (missing) throw new InputError(cliMsg.missingValue(`--${name}`, command));
  }
  for (const [name, allowed] of Object.entries(kinds.choices)) {
    const given = parsed[name];
    for (const v of Array.isArray(given) ? given : given === undefined ? [] : [given])
      if (!allowed.includes(v)) throw new InputError(cliMsg.badChoice(`--${kebab(name)}`, String(v), allowed.map(String)));
  }
}

/** A duration option's value in ms, or an InputError naming the flag. */
export function durationArg(flag: string, v: string): number {
  const ms = parseDurationMs(v);
  if (ms === undefined) throw new InputError(cliMsg.badDuration(flag, v));
  return ms;
}

/** --workers: 'auto' (the machine's cores) or 1-64. */
export function parseWorkers(v: string): number {
  if (v === 'auto') return resolveWorkers('auto');
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 64) throw new InputError(cliMsg.badWorkers(v));
  return Number(v);
}

/** --seed: an unsigned 32-bit integer, or undefined when not given. */
export function parseSeed(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 2 ** 32 - 1) throw new InputError(cliMsg.badSeed(v));
  return Number(v);
}

/** `--columns time=ts,person=user`: canonical field -> source column, fields as in a scenario's data.columns. */
export function parseColumnsArg(text: string): ColumnMap {
  const fields = ['time', 'person', 'key', 'login', 'session', 'item', 'event', 'value', 'channel', 'ip', 'userAgent', 'geo'];
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [field, column, ...rest] = pair.split('=');
    if (!field || !column || rest.length || !fields.includes(field.trim())) throw new InputError(cliMsg.badColumns(pair, fields));
    out[field.trim()] = column.trim();
  }
  return out as ColumnMap;
}
