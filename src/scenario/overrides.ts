// `--set path=value` overrides, applied to the parsed scenario before validation so an override is
// checked exactly like the same edit in the file, and errors name the override rather than a line.
import { InputError, msg } from '../errors.ts';
import { readYaml } from './yaml.ts';

export interface Override {
  path: (string | number)[];
  value: unknown;
  /** The override as the user typed it, for messages. */
  text: string;
}

/** Names that reach an object's prototype: never scenario keys, so never walked or written. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parse `a.b.0.c=value` overrides (values are YAML scalars or flow collections; an unknown tag is dropped
 * and the value read as plain text, so `name=!x y` sets "y").
 *
 * @example
 * parseOverrides(['world.persons=2000', 'pipelines.0.refresh=1d'])
 */
export function parseOverrides(overrides: readonly string[]): Override[] {
  return overrides.map((o) => {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new InputError(msg.overrideSyntax(o));
    const path = o
      .slice(0, eq)
      .split('.')
      .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
    if (path.some((seg) => seg === '')) throw new InputError(msg.overrideEmptySegment(o));
    const reserved = path.find((seg) => typeof seg === 'string' && RESERVED.has(seg));
    if (reserved !== undefined) throw new InputError(msg.overrideReservedSegment(o, String(reserved)));
    const yaml = readYaml(o.slice(eq + 1), { unknownTags: 'ignore' });
    if (!yaml.ok) throw new InputError(yaml.syntax ? msg.overrideBadYaml(o) : yaml.message(`--set ${JSON.stringify(o)}`));
    return { path, value: yaml.data, text: o };
  });
}

/**
 * Apply overrides to plain scenario data (mutating it). Only own properties are walked: a parent that is
 * missing, or only inherited, is an error, and a list takes an index up to its length (appending one entry).
 */
export function applyOverrides(data: Record<string, unknown>, overrides: readonly Override[], file: string): void {
  for (const o of overrides) {
    let node: object = data;
    o.path.forEach((seg, i) => {
      const missing = () => new InputError(msg.overrideMissingParent(o.text, file, o.path.slice(0, i + 1).join('.')));
      if (Array.isArray(node) && !(typeof seg === 'number' && seg <= node.length)) throw missing();
      if (i === o.path.length - 1) {
        (node as Record<string | number, unknown>)[seg] = o.value;
        return;
      }
      const next = Object.hasOwn(node, seg) ? (node as Record<string | number, unknown>)[seg] : undefined;
      if (next === null || typeof next !== 'object') throw missing();
      node = next;
    });
  }
}
