// Property: whatever text a scenario file holds, parseScenario returns a normalized scenario or throws an
// InputError with a one-line message naming the file (or the --set override). Inputs: arbitrary YAML-ish text,
// the quickstart with random text edits, and the quickstart's data with random key deletions, type changes,
// out-of-range numbers and unknown keys, written back as YAML. Seeded, so the suite is deterministic.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { InputError } from '../../src/errors.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { SEED } from './arbitraries.ts';

// Parsing takes about a millisecond: many runs are cheap.
fc.configureGlobal({ seed: SEED, numRuns: Number(process.env.PROP_RUNS ?? 300) });

const FILE = 'q.yaml';
const BASE = readFileSync(new URL('../../scenarios/quickstart.yaml', import.meta.url), 'utf8');

/** A slower parse than this counts as a hang (parseScenario is synchronous, so it is timed, not interrupted). */
const SLOW_MS = 2_000;

/** Parse and check whichever way it went; `overrides` as given to --set. */
function check(text: string, overrides: string[] = []): 'ok' | 'error' {
  const t0 = performance.now();
  let scenario: Scenario;
  try {
    scenario = parseScenario(text, FILE, overrides);
  } catch (e) {
    expect(performance.now() - t0).toBeLessThan(SLOW_MS);
    if (!(e instanceof InputError)) throw new Error(`expected an InputError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    expect(e.message).not.toMatch(/[\n\r]/);
    expect(e.message.startsWith(FILE) || e.message.startsWith('--set ')).toBe(true);
    return 'error';
  }
  expect(performance.now() - t0).toBeLessThan(SLOW_MS);
  expectNormalized(scenario);
  return 'ok';
}

/** What downstream code relies on: names, non-empty lists, finite numbers everywhere, one source of events. */
function expectNormalized(s: Scenario): void {
  expect(typeof s.name).toBe('string');
  expect(Number.isInteger(s.seed)).toBe(true);
  expect(s.models.length).toBeGreaterThan(0);
  expect(s.pipelines.length).toBeGreaterThan(0);
  expect(new Set(s.models.map((m) => m.name)).size).toBe(s.models.length);
  expect(new Set(s.pipelines.map((p) => p.name)).size).toBe(s.pipelines.length);
  expect((s.world === null) !== (s.log === null)).toBe(true);
  expect(s.eval.ks.length).toBeGreaterThan(0);
  const bad = nonFinite(s, 'scenario');
  if (bad) throw new Error(`non-finite number in the normalized scenario at ${bad}`);
}

function nonFinite(v: unknown, path: string): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} = ${v}`;
  if (v === null || typeof v !== 'object') return null;
  for (const [k, x] of Object.entries(v)) {
    const found = nonFinite(x, `${path}.${k}`);
    if (found) return found;
  }
  return null;
}

// --- arbitrary text ------------------------------------------------------------------------------------

const YAML_TOKENS = [
  '\n',
  '\n  ',
  '\n- ',
  ': ',
  ':',
  '- ',
  '{',
  '}',
  '[',
  ']',
  ', ',
  '"',
  "'",
  '#',
  '&a ',
  '*a',
  '<<: ',
  '!!str ',
  '!!int ',
  '!!js/function ',
  '!!binary ',
  '!!set ',
  '!foo ',
  '? ',
  '|\n  ',
  '>\n  ',
  '---\n',
  '...\n',
  '\t',
  '%YAML 1.2\n',
  '.inf',
  '-.inf',
  '.nan',
  '~',
  'null',
  'true',
  '0x1F',
  '1e309',
  '-1',
  '0',
  '7d',
  '-7d',
  '75%',
  'name',
  'seed',
  'world',
  'persons',
  'models',
  'pipelines',
  'eval',
  'train',
  'data',
  '__proto__',
  'constructor',
  'quickstart',
  'popularity',
  'stream',
  '\u0000',
  '\ufeff',
  '😀',
];
const yamlish = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...YAML_TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), { maxLength: 40 })
  .map((t) => t.join(''));

/** Random edits of the quickstart text: deletions and insertions of YAML tokens at random places. */
const editedBase = fc
  .array(
    fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), insert: fc.oneof(fc.constant(''), fc.constantFrom(...YAML_TOKENS), fc.string({ maxLength: 3 })) }),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) =>
    edits.reduce((text, e) => {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.insert + text.slice(at + e.del);
    }, BASE),
  );

// --- mutated scenario data --------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values that are wrong somewhere: wrong types, out-of-range and non-finite numbers, durations, odd text. */
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, 1, 1.5, 2, 1001, -0, 2 ** 53 + 2, 1e300, -1e-300, Infinity, -Infinity, NaN),
  fc.constantFrom(
    '',
    '7d',
    '-7d',
    '0d',
    '0',
    '1h30m',
    '75%',
    '175%',
    '-5%',
    'stream',
    'none',
    'all',
    'key',
    'login',
    'purchase',
    '2024-02-10',
    'x'.repeat(300),
  ),
  fc.constantFrom(null, true, false, [], {}, [0.5, 0.5], [1, 2, 3], { a: 1 }),
  fc.integer({ min: -10, max: 100_000 }),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.jsonValue({ maxDepth: 2 }),
);

interface Mutation {
  kind: 'delete' | 'set' | 'addKey' | 'nearMiss';
  at: number;
  key: string;
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete' as const, 'set' as const, 'set' as const, 'addKey' as const, 'nearMiss' as const),
  at: fc.nat(),
  key: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('kapa', 'seeds', 'window', 'k', 'type', 'name', 'identity', 'refresh')),
  value: weirdValue,
});

/** Every [container, key] pair of the data, in a stable order. */
function slots(data: Json): Array<[Json[] | { [k: string]: Json }, string | number]> {
  const out: Array<[Json[] | { [k: string]: Json }, string | number]> = [];
  const walk = (v: Json) => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), walk(x)));
    else for (const [k, x] of Object.entries(v)) out.push([v, k]), walk(x);
  };
  walk(data);
  return out;
}

function applyMutation(data: Json, m: Mutation): void {
  const all = slots(data);
  if (all.length === 0) return;
  const [parent, key] = all[m.at % all.length];
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (m.kind === 'set') {
    (parent as Record<string | number, unknown>)[key] = m.value;
  } else if (m.kind === 'addKey') {
    const target = Array.isArray(parent) ? parent[key as number] : parent;
    if (target !== null && typeof target === 'object' && !Array.isArray(target) && m.key !== '__proto__') (target as Record<string, unknown>)[m.key] = m.value;
  } else if (!Array.isArray(parent) && typeof key === 'string' && key.length > 1) {
    // A near miss of an existing key: one character dropped.
    const i = m.at % key.length;
    const misspelt = key.slice(0, i) + key.slice(i + 1);
    if (!(misspelt in parent)) {
      parent[misspelt] = parent[key];
      delete parent[key];
    }
  }
}

const mutatedData = fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => {
  const data = parseYaml(BASE) as Json;
  for (const m of ms) applyMutation(data, m);
  return stringifyYaml(data);
});

/** --set overrides: a path into the quickstart (or a made-up one) and a weird value as YAML; now and then a valid one. */
const weirdOverride = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(
        'name',
        'seed',
        'world.persons',
        'world.drift',
        'world.drift.kappa',
        'world.identity.devices',
        'train.until',
        'eval.k',
        'eval.window',
        'models.0.type',
        'models.1',
        'pipelines.0.refresh',
        'pipelines.2.identity',
        'pipelines.5.name',
        'nothing.here',
        'world.identity.loginRate.app',
      ),
      fc.array(fc.constantFrom('world', 'eval', 'models', '0', '1', 'x', 'name'), { minLength: 1, maxLength: 3 }).map((p) => p.join('.')),
      fc.string({ maxLength: 6 }),
    ),
    weirdValue.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null'))),
  )
  .map(([path, value]) => `${path}=${value}`);
const validOverride = fc.constantFrom(
  'world.persons=2000',
  'seed=3',
  'eval.k=[5, 10]',
  'pipelines.0.refresh=1d',
  'world.drift=none',
  'train.until=0.5',
  'models.2={ name: r, type: random }',
);
const override = fc.oneof({ weight: 3, arbitrary: weirdOverride }, { weight: 1, arbitrary: validOverride });

describe('parseScenario on arbitrary input', () => {
  // Nothing reaches stderr: the yaml package reports oddities (collection keys, unresolved tags in --set values,
  // unknown directives) as Node process warnings unless told not to, and the CLI would print them as extra lines.
  const warnings: string[] = [];
  const record = (w: Error) => void warnings.push(w.message);
  beforeAll(() => void process.on('warning', record));
  afterAll(() => {
    process.off('warning', record);
    expect(warnings).toEqual([]);
  });

  it('arbitrary YAML-ish text', () => {
    fc.assert(fc.property(yamlish, (text) => void check(text)));
  });

  it('the quickstart with random text edits', () => {
    fc.assert(fc.property(editedBase, (text) => void check(text)));
  });

  it('the quickstart data with random deletions, type changes, out-of-range values and unknown keys', () => {
    const outcomes: string[] = [];
    fc.assert(fc.property(mutatedData, (text) => void outcomes.push(check(text))));
    // Both branches happen: some mutations are harmless, most are errors.
    expect(outcomes).toContain('ok');
    expect(outcomes).toContain('error');
  });

  it('random --set overrides on the quickstart', () => {
    const outcomes: string[] = [];
    fc.assert(fc.property(fc.array(override, { minLength: 1, maxLength: 3 }), (overrides) => void outcomes.push(check(BASE, overrides))));
    expect(outcomes).toContain('ok');
    expect(outcomes).toContain('error');
  });
});
