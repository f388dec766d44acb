// The scenario boundary: YAML text -> validated input -> normalized Scenario. Errors name the file, the
// line, the key path, the bad value and what is allowed, in one line.
import { readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineCounter } from 'yaml';
import type { z } from 'zod';
import { InputError, msg } from '../errors.ts';
import { scenarioSchema } from './schema.ts';
import { normalizeScenario } from './normalize.ts';
import type { Scenario } from './types.ts';
import { closest } from '../util/closest.ts';
import { applyOverrides, parseOverrides } from './overrides.ts';
import { lineOfPath, readYaml } from './yaml.ts';

/**
 * Read, validate and normalize a scenario file.
 *
 * @example
 * const scenario = loadScenario('scenarios/quickstart.yaml');
 */
export function loadScenario(file: string, overrides: readonly string[] = []): Scenario {
  if (!existsSync(file)) throw new InputError(msg.scenarioNotFound(file));
  return parseScenario(readFileSync(file, 'utf8'), file, overrides);
}

/**
 * Validate and normalize scenario text; `file` only names the source in messages. `overrides`
 * (`path=value`, as given to --set) apply before validation; errors in them name the override.
 */
export function parseScenario(text: string, file = 'scenario', overrides: readonly string[] = []): Scenario {
  const parsedOverrides = parseOverrides(overrides);
  // The core schema has no custom tags: a crafted file cannot construct objects or run code, and unknown tags
  // (`!!js/function`) are errors because a scenario is plain data.
  const lineCounter = new LineCounter();
  const yaml = readYaml(text, { unknownTags: 'error', lineCounter });
  if (!yaml.ok) throw new InputError(yaml.message(`${file}:${lineCounter.linePos(yaml.offset).line}`));
  const { doc, data } = yaml;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new InputError(msg.yamlNotMapping(file));
  applyOverrides(data as Record<string, unknown>, parsedOverrides, file);

  const where = (path: readonly PropertyKey[]) => {
    const o = parsedOverrides.findLast((ov) => ov.path.every((seg, i) => path[i] === seg));
    if (o) return `--set ${o.text}`;
    const line = lineOfPath(doc, lineCounter, path);
    return line ? `${file}:${line}` : file;
  };
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) throw new InputError(formatIssue(parsed.error.issues, data, where));
  const { scenario, issues } = normalizeScenario(parsed.data, file === 'scenario' ? '.' : dirname(file));
  if (!scenario) {
    const first = issues[0];
    throw new InputError(msg.invalidValue(where(first.path), first.path.join('.'), valueAt(data, first.path), first.message));
  }
  return scenario;
}

type Issue = z.core.$ZodIssue;

function formatIssue(issues: readonly Issue[], data: unknown, where: (p: readonly PropertyKey[]) => string): string {
  const issue = deepest(issues);
  const path = issue.path;
  const pathText = path.map(String).join('.');
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      const known = keysAt(scenarioSchema, path, data);
      return msg.unknownKey(where([...path, key]), pathText, key, closest(key, known));
    }
    case 'invalid_type':
      if (value === undefined) return msg.missingKey(where(path.slice(0, -1)), pathText, expectedText(issue, path));
      return msg.invalidValue(where(path), pathText, value, expectedText(issue, path));
    default:
      return msg.invalidValue(where(path), pathText, value, expectedText(issue, path));
  }
}

/** For unions, descend into the branch that got furthest, so the message is about the actual mistake. */
function deepest(issues: readonly Issue[]): Issue {
  let best = issues[0];
  for (const i of issues) if (i.path.length > best.path.length) best = i;
  if (best.code === 'invalid_union') {
    const branches = best.errors.filter((b) => b.length > 0);
    const inner = branches.flat().filter((i) => i.path.length > 0 || i.code === 'unrecognized_keys');
    if (inner.length) {
      const d = deepest(inner);
      return { ...d, path: [...best.path, ...d.path] } as Issue;
    }
  }
  return best;
}

function expectedText(issue: Issue, path: readonly PropertyKey[]): string {
  const described = describeAt(scenarioSchema, path);
  switch (issue.code) {
    case 'invalid_type':
      return described ?? TYPE_NAMES[issue.expected] ?? `a value of type ${issue.expected}`;
    case 'too_small':
      return described ?? (issue.origin === 'array' || issue.origin === 'string'
        ? `at least ${issue.minimum} ${issue.origin === 'array' ? 'entries' : 'characters'}`
        : `${isInt(path) ? 'an integer' : 'a number'} ${issue.inclusive ? '>=' : '>'} ${issue.minimum}${upperBound(path)}`);
    case 'too_big':
      return described ?? (issue.origin === 'array' || issue.origin === 'string'
        ? `at most ${issue.maximum} ${issue.origin === 'array' ? 'entries' : 'characters'}`
        : `${isInt(path) ? 'an integer' : 'a number'} ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`);
    case 'invalid_value':
      return `one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_format':
      return described ?? `text matching ${issue.format === 'regex' ? (issue as { pattern?: string }).pattern : issue.format}`;
    case 'invalid_union':
      return described ?? unionAlternatives(path) ?? 'a different value';
    default:
      return described ?? issue.message;
  }
}

const TYPE_NAMES: Record<string, string> = { number: 'a number', string: 'text', boolean: 'true or false', array: 'a list', object: 'a mapping' };

// --- walking the zod schema (for suggestions and descriptions) -------------------------------------

type AnySchema = z.ZodType;

function unwrap(s: AnySchema): AnySchema {
  let cur = s as { def?: { type: string; innerType?: AnySchema } } & AnySchema;
  while (cur.def && (cur.def.type === 'optional' || cur.def.type === 'default' || cur.def.type === 'nullable')) cur = cur.def.innerType as typeof cur;
  return cur;
}

/** All schemas that could validate the value at `path` (unions fan out). */
function schemasAt(root: AnySchema, path: readonly PropertyKey[], data?: unknown): AnySchema[] {
  let current: AnySchema[] = [root];
  let value = data;
  for (const seg of path) {
    const next: AnySchema[] = [];
    for (const s of current.flatMap(expandUnion)) {
      const def = (s as unknown as { def: { type: string; shape?: Record<string, AnySchema>; element?: AnySchema } }).def;
      if (def.type === 'object' && typeof seg === 'string' && def.shape?.[seg]) next.push(def.shape[seg]);
      if (def.type === 'array' && typeof seg === 'number' && def.element) next.push(def.element);
    }
    current = next;
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[seg as string] : undefined;
  }
  // Discriminated unions (models): keep only the branch that matches the value's `type`.
  const all = current.flatMap(expandUnion);
  if (value && typeof value === 'object' && 'type' in value) {
    const matching = all.filter((s) => literalOf((s as unknown as { def: { shape?: Record<string, AnySchema> } }).def.shape?.type) === (value as { type: unknown }).type);
    if (matching.length) return matching;
  }
  return all;
}

function expandUnion(s: AnySchema): AnySchema[] {
  const u = unwrap(s) as unknown as { def: { type: string; options?: AnySchema[] } };
  if (u.def.type === 'union') return u.def.options!.flatMap(expandUnion);
  return [u as unknown as AnySchema];
}

function literalOf(s: AnySchema | undefined): unknown {
  const def = s && (unwrap(s) as unknown as { def: { type: string; values?: unknown[] } }).def;
  return def?.type === 'literal' ? def.values?.[0] : undefined;
}

function keysAt(root: AnySchema, path: readonly PropertyKey[], data: unknown): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(root, path, data)) {
    const def = (s as unknown as { def: { type: string; shape?: Record<string, AnySchema> } }).def;
    if (def.type === 'object' && def.shape) Object.keys(def.shape).forEach((k) => keys.add(k));
  }
  return [...keys];
}

function describeAt(root: AnySchema, path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined;
  const parent = schemasAt(root, path.slice(0, -1));
  for (const p of parent) {
    const def = (p as unknown as { def: { type: string; shape?: Record<string, AnySchema>; element?: AnySchema } }).def;
    const seg = path[path.length - 1];
    const child = def.type === 'object' && typeof seg === 'string' ? def.shape?.[seg] : def.type === 'array' ? def.element : undefined;
    if (child) {
      const d = child.description ?? unwrap(child).description;
      if (d) return d;
    }
  }
  return undefined;
}

function unionAlternatives(path: readonly PropertyKey[]): string | undefined {
  const alts = schemasAt(scenarioSchema, path).map((s) => {
    const def = (s as unknown as { def: { type: string; values?: unknown[] } }).def;
    return def.type === 'literal' ? JSON.stringify(def.values![0]) : def.type === 'object' ? 'a mapping' : `a ${def.type}`;
  });
  return alts.length ? `one of ${[...new Set(alts)].join(', ')}` : undefined;
}

function isInt(path: readonly PropertyKey[]): boolean {
  return schemasAt(scenarioSchema, path).some((s) => (s as unknown as { format?: string }).format === 'safeint' || (s as unknown as { isInt?: boolean }).isInt === true);
}

function upperBound(path: readonly PropertyKey[]): string {
  for (const s of schemasAt(scenarioSchema, path)) {
    const max = (s as unknown as { maxValue?: number | null }).maxValue;
    if (typeof max === 'number' && max < 1e15) return ` and <= ${max}`;
  }
  return '';
}

// --- locating values and lines ----------------------------------------------------------------------

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[seg as string] : undefined;
  return v;
}
