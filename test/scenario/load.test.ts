import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/load.ts';
import { InputError } from '../../src/errors.ts';
import { scenarioJsonSchema } from '../../src/scenario/schema.ts';

const base = readFileSync(new URL('../../scenarios/quickstart.yaml', import.meta.url), 'utf8');
const edit = (from: string, to: string) => {
  if (!base.includes(from)) throw new Error(`fixture drift: ${from}`);
  return base.replace(from, to);
};

describe('parseScenario', () => {
  it('normalizes the quickstart with every default filled in', () => {
    const s = parseScenario(base, 'q.yaml');
    expect(s.name).toBe('quickstart');
    expect(s.seed).toBe(7);
    expect(s.world!.persons).toBe(20000);
    expect(s.world!.drift.kappa).toBe(0.5);
    expect(s.world!.drift.sigma).toBeCloseTo(1, 12); // scale 1 * sqrt(2 * 0.5)
    expect(s.world!.identity.loginRate).toEqual({ app: 0.9, mweb: 0.15, desktop: 0.15 });
    expect(s.train.until).toEqual({ kind: 'quantile', q: 0.7 });
    expect(s.eval).toMatchObject({ ks: [10, 20], windowMs: 7 * 864e5, positives: ['purchase'], excludeSeen: 'none', bootstrap: 1000 });
    expect(s.pipelines.map((p) => [p.refresh, p.latencyMs, p.identity])).toEqual([
      [{ kind: 'batch', cadenceMs: 7 * 864e5 }, 6 * 36e5, 'key'],
      [{ kind: 'batch', cadenceMs: 864e5 }, 36e5, 'login'],
      [{ kind: 'stream' }, 0, 'oracle'],
    ]);
  });

  it('accepts drift: none, identity: none, a single loginRate and an ISO split', () => {
    const s = parseScenario(
      edit(
        'drift: { kappa: 0.5 }, identity: { devices: [0.5, 0.35, 0.15], loginRate: { app: 0.9, web: 0.15 }, sharedDevices: 0.01 }',
        'drift: none, identity: none',
      ).replace('until: "70%"', 'until: 2024-02-10T12:00:00Z'),
      'q.yaml',
    );
    expect(s.world!.drift.kappa).toBe(0);
    expect(s.world!.drift.sigma).toBe(0);
    expect(s.world!.identity.fragmented).toBe(false);
    expect(s.train.until).toEqual({ kind: 'time', tsMs: Date.UTC(2024, 1, 10, 12) });
    const single = parseScenario(edit('loginRate: { app: 0.9, web: 0.15 }', 'loginRate: 0.3'), 'q.yaml');
    expect(single.world!.identity.loginRate).toEqual({ app: 0.3, mweb: 0.3, desktop: 0.3 });
  });

  it('reads excludeSeen false, true, view and person as the modes none, view, view and person', () => {
    const mode = (v: string) => parseScenario(edit('excludeSeen: false', `excludeSeen: ${v}`), 'q.yaml').eval.excludeSeen;
    expect(['false', 'true', 'view', 'person'].map(mode)).toEqual(['none', 'view', 'view', 'person']);
    expect(parseScenario(edit('excludeSeen: false, ', ''), 'q.yaml').eval.excludeSeen).toBe('none');
  });

  // Each bad input fails with one line naming the file and line, the key path, the value and what is allowed.
  const bad: Array<[string, string, string]> = [
    ['misspelt key', edit('kappa: 0.5', 'kapa: 0.5'), 'q.yaml:8: unknown key "kapa" in world.drift; did you mean "kappa"?'],
    ['misspelt top-level key', edit('seed: 7', 'sede: 7'), 'q.yaml:7: unknown key "sede" in the scenario; did you mean "seed"?'],
    ['misspelt model option', edit('type: itemknn', 'type: itemknn, neigbors: 5'), 'q.yaml:11: unknown key "neigbors" in models.1; did you mean "neighbors"?'],
    ['k of 0', edit('k: [10, 20]', 'k: 0'), 'q.yaml:10: eval.k is 0; expected an integer >= 1 and <= 1000'],
    [
      'negative window',
      edit('window: 7d', 'window: -7d'),
      'q.yaml:10: eval.window is "-7d"; expected a positive duration such as 7d or 12h (the label window W)',
    ],
    [
      'quantile outside 0-1',
      edit('until: "70%"', 'until: "175%"'),
      'q.yaml:9: train.until is "175%"; expected a quantile strictly between 0% and 100% (0 and 1)',
    ],
    [
      'numeric quantile outside 0-1',
      edit('until: "70%"', 'until: 1.5'),
      'q.yaml:9: train.until is 1.5; expected a quantile strictly between 0% and 100% (0 and 1)',
    ],
    [
      'device mix not summing to 1',
      edit('[0.5, 0.35, 0.15]', '[0.5, 0.35, 0.25]'),
      'q.yaml:8: world.identity.devices is [0.5,0.35,0.25]; expected probabilities that sum to 1 (they sum to 1.1)',
    ],
    [
      'probability above 1',
      edit('sharedDevices: 0.01', 'sharedDevices: 1.5'),
      'q.yaml:8: world.identity.sharedDevices is 1.5; expected a probability between 0 and 1',
    ],
    [
      'unknown model type',
      edit('type: itemknn', 'type: itemknnn'),
      'q.yaml:11: models.1.type is "itemknnn"; expected one of "popularity", "recency-popularity", "itemknn", "random", "ease", "mf", "gru4rec", "saved", "tfjs", "command", "http"',
    ],
    ['unknown resolver', edit('identity: login', 'identity: magic'), 'q.yaml:14: pipelines.1.identity is "magic"; expected one of key, login, graph, oracle'],
    ['wrong type', edit('persons: 20000', 'persons: "many"'), 'q.yaml:8: world.persons is "many"; expected an integer >= 1 and <= 100000000'],
    ['bad refresh', edit('refresh: 7d', 'refresh: weekly'), 'q.yaml:13: pipelines.0.refresh is "weekly"; expected batch cadence such as 7d, 1d, 1h, or stream'],
    [
      'unsafe name',
      edit('name: quickstart', 'name: ../etc'),
      'q.yaml:6: name is "../etc"; expected letters, digits, dot, dash, underscore: it names the output folder',
    ],
    [
      'duplicate model',
      edit('name: pop,', 'name: knn,'),
      'q.yaml:11: models.1.name is "knn"; expected a name no other model or pipeline has ("knn" is also models.0.name)',
    ],
    [
      'missing models',
      edit('models: [ { name: pop, type: popularity }, { name: knn, type: itemknn } ]', ''),
      'q.yaml:5: models is missing; expected a list of models, e.g. [{ name: pop, type: popularity }]',
    ],
    ['negative seed', edit('seed: 7', 'seed: -1'), 'q.yaml:7: seed is -1; expected an integer >= 0 and <= 4294967295'],
    ['malformed YAML', edit('pipelines:', 'pipelines: [\n'), 'q.yaml:14: invalid YAML: Block collections are not allowed within flow collections'],
    [
      'bad ISO start',
      edit('days: 56', 'days: 56, start: "next monday"'),
      'q.yaml:8: world.start is "next monday"; expected an ISO 8601 timestamp such as 2024-01-01 or 2024-01-01T06:00:00Z',
    ],
    ['latency without unit', edit('latency: 6h', 'latency: 6'), 'q.yaml:13: pipelines.0.latency is 6; expected a duration such as 7d, 6h, 30m or 0'],
  ];
  it.each(bad)('rejects %s', (_label, text, message) => {
    expect(() => parseScenario(text, 'q.yaml')).toThrow(InputError);
    expect(() => parseScenario(text, 'q.yaml')).toThrow(message);
    try {
      parseScenario(text, 'q.yaml');
    } catch (e) {
      expect((e as Error).message).toBe(message);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('rejects YAML custom tags instead of constructing objects', () => {
    const text = `${base}description: !!js/function "function () { return 1 }"\n`;
    expect(() => parseScenario(text, 'q.yaml')).toThrow(/^q\.yaml:16: invalid YAML: .*js\/function/);
  });

  it('rejects a document that is not a mapping', () => {
    expect(() => parseScenario('- a\n- b\n', 'q.yaml')).toThrow('q.yaml: a scenario must be a YAML mapping');
  });
});

describe('overrides (--set)', () => {
  it('sets nested values before validation', () => {
    const s = parseScenario(base, 'q.yaml', ['world.persons=2000', 'pipelines.0.refresh=1d', 'eval.k=[5]']);
    expect(s.world!.persons).toBe(2000);
    expect(s.pipelines[0].refresh).toEqual({ kind: 'batch', cadenceMs: 864e5 });
    expect(s.eval.ks).toEqual([5]);
  });
  it('validates overridden values like the file, naming the override', () => {
    expect(() => parseScenario(base, 'q.yaml', ['world.persons=-3'])).toThrow('--set world.persons=-3: world.persons is -3; expected an integer >= 1');
    expect(() => parseScenario(base, 'q.yaml', ['world.drift={ kapa: 1 }'])).toThrow(
      '--set world.drift={ kapa: 1 }: unknown key "kapa" in world.drift; did you mean "kappa"?',
    );
  });
  it('rejects malformed overrides', () => {
    expect(() => parseScenario(base, 'q.yaml', ['world.persons'])).toThrow('expected path=value');
    expect(() => parseScenario(base, 'q.yaml', ['nothing.here.x=1'])).toThrow('q.yaml has no nothing');
  });
});

describe('scenarioJsonSchema', () => {
  it('exports a JSON Schema that lists the top-level keys and forbids others', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, unknown>; additionalProperties: boolean; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'seed', 'world', 'train', 'eval', 'models', 'pipelines']));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'models', 'pipelines']));
  });
});
