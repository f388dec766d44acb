// zod issues -> one plain-English line: pick the issue about the actual mistake (an unknown key first, then
// the deepest, into the union branch that fits the value), then say what the schema allows at that path.
import type { z } from 'zod';
import { msg } from '../errors.ts';
import { closest } from '../util/closest.ts';
import { SCHEMA_MESSAGES, scenarioSchema } from './schema.ts';

type Issue = z.core.$ZodIssue;

/**
 * The message for a failed validation of `data`; `where` locates a key path (file:line or the --set override).
 *
 * @example
 * formatIssue(scenarioSchema.safeParse(data).error!.issues, data, () => 'q.yaml:8')
 * // 'q.yaml:8: world.persons is 1.5; expected an integer >= 1 and <= 100000000'
 */
export function formatIssue(issues: readonly Issue[], data: unknown, where: (p: readonly PropertyKey[]) => string): string {
  const issue = pick(issues, data);
  const path = issue.path;
  const pathText = path.map(String).join('.');
  const value = valueAt(data, path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    return msg.unknownKey(where([...path, key]), pathText, key, closest(key, keysAt(path, data)));
  }
  if (value === undefined) return msg.missingKey(where(path.slice(0, -1)), pathText, expectedText(issue, path, data));
  return msg.invalidValue(where(path), pathText, value, expectedText(issue, path, data));
}

/** The value at `path` (own properties only). */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) v = v !== null && typeof v === 'object' && Object.hasOwn(v, seg) ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  return v;
}

// --- choosing the issue -------------------------------------------------------------------------------

/**
 * An unknown key first (a misspelt required key also reports the required one as missing: the misspelling is
 * the mistake), else the deepest issue; for a union, the issue of the one branch that fits the value.
 */
function pick(issues: readonly Issue[], data: unknown): Issue {
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown) return unknown;
  let best = issues[0];
  for (const i of issues) if (i.path.length > best.path.length) best = i;
  if (best.code !== 'invalid_union') return best;
  const value = valueAt(data, best.path);
  const ranked = best.errors.filter((b) => b.length > 0).map((b) => ({ b, rank: Math.min(...b.map((i) => fit(i, value))) }));
  const top = Math.max(0, ...ranked.map((r) => r.rank));
  const chosen = ranked.filter((r) => r.rank === top);
  // No branch fits the value's type, or several fit equally early: the union's own description says it best.
  if (top === 0 || (top === 1 && chosen.length > 1)) return best;
  const inner = pick(
    chosen.flatMap((r) => r.b),
    value,
  );
  return { ...inner, path: [...best.path, ...inner.path] } as Issue;
}

/**
 * How far a branch's issue got with `value`: 0 not this branch (wrong type, or not its literal: the union's own
 * description says more than "one of 0"), 1 the right kind but not the subtype (2.5 for an integer), 2 further.
 */
function fit(issue: Issue, value: unknown): number {
  if (issue.path.length > 0) return 2;
  switch (issue.code) {
    case 'invalid_type':
      return kindOfExpected(issue.expected) === kindOf(value) ? 1 : 0;
    case 'invalid_value':
      return 0;
    case 'invalid_union':
      return 1;
    default:
      return 2;
  }
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const kindOfExpected = (t: string): string => (t === 'int' || t === 'nan' ? 'number' : t);

// --- what is allowed ----------------------------------------------------------------------------------

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function expectedText(issue: Issue, path: readonly PropertyKey[], data: unknown): string {
  if (SCHEMA_MESSAGES.has(issue.message)) return issue.message;
  if (issue.code === 'invalid_value') return `one of ${issue.values.map((v) => String(v)).join(', ')}`;
  const described = describeAt(path, data);
  if (described) return described;
  switch (issue.code) {
    case 'invalid_type':
      return (kindOfExpected(issue.expected) === 'number' ? numberText(path, data) : undefined) ?? TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`;
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'number' || issue.origin === 'int') return numberText(path, data, issue) ?? `a number ${rangeText(issue)}`;
      const n = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const unit = issue.origin === 'array' || issue.origin === 'set' ? ['entry', 'entries'] : ['character', 'characters'];
      return `${issue.code === 'too_small' ? 'at least' : 'at most'} ${Number(n) === 1 ? `one ${unit[0]}` : `${n} ${unit[1]}`}`;
    }
    case 'invalid_format':
      return issue.format === 'regex' ? `text matching ${(issue as { pattern?: string }).pattern}` : `text in ${issue.format} format`;
    case 'invalid_union':
      return unionAlternatives(path, data) ?? 'a different value';
    default:
      return 'a different value';
  }
}

function rangeText(issue: Issue): string {
  if (issue.code === 'too_small') return `${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
  if (issue.code === 'too_big') return `${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
  return '';
}

type CheckDef = { check: string; value?: number; inclusive?: boolean; format?: string };

/**
 * "an integer >= 1 and <= 1000" from the number schema at `path`. The safe-integer limits of integers are left
 * out unless `failed` (the issue) broke one: they are no one's intended range.
 */
function numberText(path: readonly PropertyKey[], data: unknown, failed?: Issue): string | undefined {
  for (const s of schemasAt(path, data)) {
    const def = defOf(s) as { type: string; checks?: Array<{ _zod: { def: CheckDef } }> };
    if (def.type !== 'number') continue;
    let int = false;
    let lo: CheckDef | undefined;
    let hi: CheckDef | undefined;
    for (const { _zod } of def.checks ?? []) {
      const c = _zod.def;
      if (c.check === 'number_format' && /int/.test(c.format ?? '')) int = true;
      if (c.check === 'greater_than' && (!lo || c.value! > lo.value!)) lo = c;
      if (c.check === 'less_than' && (!hi || c.value! < hi.value!)) hi = c;
    }
    if (!lo && failed?.code === 'too_small') lo = { check: 'greater_than', value: Number(failed.minimum), inclusive: failed.inclusive };
    if (!hi && failed?.code === 'too_big') hi = { check: 'less_than', value: Number(failed.maximum), inclusive: failed.inclusive };
    const bounds = [
      lo && (Math.abs(lo.value!) < Number.MAX_SAFE_INTEGER || failed?.code === 'too_small') ? `${lo.inclusive ? '>=' : '>'} ${lo.value}` : '',
      hi && (Math.abs(hi.value!) < Number.MAX_SAFE_INTEGER || failed?.code === 'too_big') ? `${hi.inclusive ? '<=' : '<'} ${hi.value}` : '',
    ].filter(Boolean);
    return `${int ? 'an integer' : 'a number'}${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
  }
  return undefined;
}

function unionAlternatives(path: readonly PropertyKey[], data: unknown): string | undefined {
  const alts = [
    ...new Set(
      schemasAt(path, data).map((s) => {
        const def = defOf(s) as { type: string; values?: unknown[] };
        if (def.type === 'literal') return JSON.stringify(def.values![0]);
        if (def.type === 'number') return numberText(path, data) ?? 'a number';
        return TYPE_NAMES[def.type] ?? `a ${def.type}`;
      }),
    ),
  ];
  if (alts.length === 0) return undefined;
  return alts.length <= 2 ? alts.join(' or ') : `one of ${alts.join(', ')}`;
}

// --- walking the zod schema (for suggestions and descriptions) -------------------------------------

type AnySchema = z.ZodType;
type Def = {
  type: string;
  innerType?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  items?: AnySchema[];
  options?: AnySchema[];
  values?: unknown[];
};
const defOf = (s: AnySchema): Def => (s as unknown as { def: Def }).def;

function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  while (['optional', 'default', 'nullable'].includes(defOf(cur).type)) cur = defOf(cur).innerType!;
  return cur;
}

function expandUnion(s: AnySchema): AnySchema[] {
  const u = unwrap(s);
  return defOf(u).type === 'union' ? defOf(u).options!.flatMap(expandUnion) : [u];
}

/** All schemas that could validate the value at `path` (unions fan out). */
function schemasAt(path: readonly PropertyKey[], data?: unknown): AnySchema[] {
  let current: AnySchema[] = [scenarioSchema];
  for (const seg of path) {
    const next: AnySchema[] = [];
    for (const s of current.flatMap(expandUnion)) {
      const def = defOf(s);
      if (def.type === 'object' && typeof seg === 'string' && def.shape && Object.hasOwn(def.shape, seg)) next.push(def.shape[seg]);
      if (def.type === 'array' && typeof seg === 'number' && def.element) next.push(def.element);
      if (def.type === 'tuple' && typeof seg === 'number' && def.items?.[seg]) next.push(def.items[seg]);
    }
    current = next;
  }
  // Discriminated unions (models): keep only the branch that matches the value's `type`.
  const all = current.flatMap(expandUnion);
  const value = valueAt(data, path);
  if (value && typeof value === 'object' && 'type' in value) {
    const matching = all.filter((s) => literalOf(defOf(s).shape?.type) === (value as { type: unknown }).type);
    if (matching.length) return matching;
  }
  return all;
}

function literalOf(s: AnySchema | undefined): unknown {
  const def = s && defOf(unwrap(s));
  return def?.type === 'literal' ? def.values?.[0] : undefined;
}

function keysAt(path: readonly PropertyKey[], data: unknown): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(path, data)) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape) Object.keys(def.shape).forEach((k) => keys.add(k));
  }
  return [...keys];
}

function describeAt(path: readonly PropertyKey[], data: unknown): string | undefined {
  if (path.length === 0) return undefined;
  const seg = path[path.length - 1];
  for (const p of schemasAt(path.slice(0, -1), data)) {
    const def = defOf(p);
    const child =
      def.type === 'object' && typeof seg === 'string' && def.shape && Object.hasOwn(def.shape, seg)
        ? def.shape[seg]
        : def.type === 'array'
          ? def.element
          : def.type === 'tuple' && typeof seg === 'number'
            ? def.items?.[seg]
            : undefined;
    const d = child && (child.description ?? unwrap(child).description);
    if (d) return d;
  }
  return undefined;
}
