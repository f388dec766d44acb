// The defaults the scenario JSON Schema publishes are the ones normalize.ts fills in: writing a documented
// default changes nothing in the normalized scenario, and parsing alone fills in nothing.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { scenarioSchema } from '../../src/scenario/schema.ts';
import { normalizeScenario } from '../../src/scenario/normalize.ts';

type JsonSchema = {
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  $ref?: string;
};

const published = JSON.parse(readFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8')) as JsonSchema;

/**
 * Every `default` in the schema with its key path: `world.drift.kappa`, `pipelines[].graph.threshold`, and
 * `models[mf].factors` for the branch of a model type.
 */
function documentedDefaults(node: JsonSchema, path = ''): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = 'default' in node ? [[path, node.default]] : [];
  for (const [key, child] of Object.entries(node.properties ?? {})) found.push(...documentedDefaults(child, path ? `${path}.${key}` : key));
  if (node.items && !Array.isArray(node.items)) found.push(...documentedDefaults(node.items, `${path}[]`));
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    const type = branch.properties?.type?.const;
    found.push(...documentedDefaults(branch, type === undefined ? path : `${path.replace(/\[\]$/, '')}[${type}]`));
  }
  return found;
}

const models = [
  { name: 'pop', type: 'popularity' },
  { name: 'recent', type: 'recency-popularity' },
  { name: 'knn', type: 'itemknn' },
  { name: 'rnd', type: 'random' },
  { name: 'ease', type: 'ease' },
  { name: 'mf', type: 'mf' },
  { name: 'gru', type: 'gru4rec' },
  { name: 'saved', type: 'saved', path: 'model' },
  { name: 'tf', type: 'tfjs', path: 'model.json', input: 'sequence' },
  { name: 'cmd', type: 'command', command: ['python3', 'score.py'] },
  { name: 'srv', type: 'http', url: 'http://127.0.0.1:8080/score' },
];
/** One pipeline per resolver whose options have defaults; other pipeline keys go to the first. */
const pipelines = [
  { name: 'weekly', refresh: '7d' },
  { name: 'graph', refresh: '7d', identity: 'graph' },
  { name: 'login', refresh: '7d', identity: 'login' },
];
const synthetic = { name: 'defaults', models, pipelines };
const fromLog = { ...synthetic, data: { path: 'log.csv', drift: { shifts: { share: 0.1 } } } };

const ABSENT = Symbol('absent');

/** The scenario with `path` set to `value`, or with every mapping above it present but the key itself absent. */
function scenarioWith(path: string, value: unknown): Record<string, unknown> {
  const root = structuredClone(path.startsWith('data.') ? fromLog : synthetic) as Record<string, unknown>;
  const segments = path.split('.');
  let node = root;
  segments.forEach((segment, i) => {
    const [, key, pick] = /^([^[]+)(?:\[(.*)\])?$/.exec(segment)!;
    const last = i === segments.length - 1;
    if (last && pick === undefined) {
      if (value !== ABSENT) node[key] = value;
      return;
    }
    node[key] ??= {};
    let next = node[key] as Record<string, unknown>;
    if (pick !== undefined) {
      const list = next as unknown as Array<Record<string, unknown>>;
      next = pick ? list.find((m) => m.type === pick)! : (list.find((p) => p.identity === segments[i + 1]) ?? list[0]);
    }
    node = next;
  });
  return root;
}

function normalized(input: Record<string, unknown>) {
  const { scenario, issues } = normalizeScenario(scenarioSchema.parse(input));
  expect(issues).toEqual([]);
  return scenario;
}

const defaults = documentedDefaults(published);

describe('defaults in the scenario JSON Schema', () => {
  it('documents every setting that has a default: 129, by section', () => {
    const bySection: Record<string, number> = {};
    for (const [path] of defaults) bySection[path.split(/[.[]/)[0]] = (bySection[path.split(/[.[]/)[0]] ?? 0) + 1;
    expect(bySection).toEqual({ seed: 1, world: 49, data: 21, train: 1, eval: 9, models: 29, pipelines: 11, business: 8 });
    expect(defaults.length).toBe(129);
    expect(new Set(defaults.map(([p]) => p)).size).toBe(129);
    expect(JSON.stringify(published)).not.toContain('$ref');
  });

  it('data.fragment documents the same defaults as world.identity', () => {
    const under = (prefix: string) => defaults.filter(([p]) => p.startsWith(prefix)).map(([p, v]) => [p.slice(prefix.length), v]);
    expect(under('data.fragment.')).toEqual(under('world.identity.'));
    expect(under('data.fragment.').length).toBe(16);
  });

  it.each(defaults)('%s: writing the default %j normalizes like leaving it out', (path, value) => {
    expect(normalized(scenarioWith(path, value))).toEqual(normalized(scenarioWith(path, ABSENT)));
  });

  it('spot checks, in the units users write', () => {
    const byPath = Object.fromEntries(defaults);
    expect([
      byPath['world.start'],
      byPath['world.identity.cookieLifetime'],
      byPath['train.until'],
      byPath['eval.excludeSeen'],
      byPath['models[mf].halfLife'],
      byPath['models[ease].halfLife'],
    ]).toEqual(['2024-01-01', '30d', '75%', false, '7d', 0]);
    expect(byPath['eval.ageBins']).toEqual(['1h', '6h', '1d', '2d', '4d', '7d', '14d']);
  });

  it('parsing fills in nothing: absent keys stay absent until normalize', () => {
    const input = { ...synthetic, world: { drift: {}, identity: { signals: {} } }, eval: {}, business: {} };
    expect(scenarioSchema.parse(input)).toEqual(input);
    expect(scenarioSchema.parse(fromLog)).toEqual(fromLog);
  });
});
