// `--set path=value` overrides, applied to the parsed scenario before validation so an override is
// checked exactly like the same edit in the file, and errors name the override rather than a line.
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.ts';

export interface Override {
  path: (string | number)[];
  value: unknown;
  /** The override as the user typed it, for messages. */
  text: string;
}

/**
 * Parse `a.b.0.c=value` overrides (values are YAML scalars or flow collections).
 *
 * @example
 * parseOverrides(['world.persons=2000', 'pipelines.0.refresh=1d'])
 */
export function parseOverrides(overrides: readonly string[]): Override[] {
  return overrides.map((o) => {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new InputError(`--set ${JSON.stringify(o)}: expected path=value, e.g. world.persons=2000`);
    const path = o
      .slice(0, eq)
      .split('.')
      .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
    if (path.some((seg) => seg === '')) throw new InputError(`--set ${JSON.stringify(o)}: empty segment in the path`);
    let value: unknown;
    try {
      value = parseYaml(o.slice(eq + 1), { schema: 'core' });
    } catch {
      throw new InputError(`--set ${JSON.stringify(o)}: the value is not valid YAML`);
    }
    return { path, value, text: o };
  });
}

/** Apply overrides to plain scenario data (mutating it); missing parent mappings are an error. */
export function applyOverrides(data: Record<string, unknown>, overrides: readonly Override[], file: string): void {
  for (const o of overrides) {
    let node: unknown = data;
    for (const seg of o.path.slice(0, -1)) {
      const next = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
      if (next === null || typeof next !== 'object') throw new InputError(`--set ${JSON.stringify(o.text)}: ${file} has no ${o.path.slice(0, o.path.indexOf(seg) + 1).join('.')}`);
      node = next;
    }
    (node as Record<string | number, unknown>)[o.path[o.path.length - 1]] = o.value;
  }
}
