// Files recgap wrote earlier and reads back (results.json, shard.json, an output folder's marker) are
// untrusted input: they may be truncated, edited, written by another version or crafted. Each is checked
// against its zod schema before anything reads a field, and the first problem is one line naming the file,
// the field, its value and what is allowed (a bad file is exit 2, never "Cannot read properties of undefined").
import type { z } from 'zod';
import { show } from '../errors.ts';
import { resultsMsg } from './messages.ts';

type Issue = z.core.$ZodIssue;

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  tuple: 'a list',
  null: 'null',
};

/**
 * Validate parsed JSON with `schema`; on failure, the first problem as "field is value; expected ..." (or
 * "field is missing; ...") for the caller to put after the file's name.
 *
 * @example
 * const r = checkUntrusted(shardSchema, JSON.parse(text));
 * if (!r.ok) throw new InputError(jobMsg.shardInvalid(file, r.problem));
 */
export function checkUntrusted<S extends z.ZodType>(schema: S, data: unknown): { ok: true; value: z.output<S> } | { ok: false; problem: string } {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: describeIssue(parsed.error.issues[0], data) };
}

function describeIssue(issue: Issue, data: unknown): string {
  const path = issue.path.map(String).join('.') || 'the file';
  if (issue.code === 'unrecognized_keys') return resultsMsg.fieldUnknown(path, issue.keys[0]);
  const value = valueAt(data, issue.path);
  const expected = expectedText(issue);
  return value === undefined ? resultsMsg.fieldMissing(path, expected) : resultsMsg.fieldInvalid(path, show(value), expected);
}

function expectedText(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? `text matching ${(issue as { pattern?: string }).pattern}` : `text in ${issue.format} format`;
    case 'too_small':
      return issue.origin === 'array' ? `at least ${issue.minimum} entries` : `a value >= ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' ? `at most ${issue.maximum} entries` : `a value <= ${issue.maximum}`;
    case 'custom':
      return issue.message;
    default:
      return 'a value of the form recgap writes';
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) v = v !== null && typeof v === 'object' && Object.hasOwn(v, seg) ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  return v;
}
