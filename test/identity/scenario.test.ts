import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.ts';
import { InputError } from '../../src/errors.ts';
import { describeResolver, resolverSignature } from '../../src/identity/options.ts';
import { DEFAULT_GRAPH, DEFAULT_LOGIN, canonicalBlockingKey } from '../../src/scenario/resolverOptions.ts';
import { DEFAULT_WORLD } from '../../src/scenario/worldSpec.ts';
import { smallScenarioYaml } from '../helpers.ts';

const pipelines = [
  '  - { name: k, refresh: 1d, identity: key }',
  '  - { name: l, refresh: 1d, identity: login, login: { retroactive: false } }',
  '  - { name: g, refresh: 1d, identity: graph, graph: { threshold: 0.7, blocking: [ip, geo+userAgent] } }',
].join('\n');
const yaml = smallScenarioYaml({ pipelines, identity: '{ loginRate: 0.4, signals: { homeIpLifetime: 10d, natPersons: 50, homeShare: { web: 0.5 } } }' });

describe('identity settings in scenarios', () => {
  const s = parseScenario(yaml, 's.yaml');

  it('fills resolver options for their own resolver only', () => {
    expect(s.pipelines.map((p) => [p.graph, p.login])).toEqual([
      [null, null],
      [null, { retroactive: false, sessionStitch: true, atRequest: true }],
      [{ threshold: 0.7, blocking: ['ip', 'userAgent+geo'], maxBlock: DEFAULT_GRAPH.maxBlock, logins: true, atRequest: true }, null],
    ]);
    const defaults = parseScenario(
      smallScenarioYaml({ pipelines: '  - { name: g, refresh: 1d, identity: graph }\n  - { name: l, refresh: 1d, identity: login }' }),
      's.yaml',
    );
    expect(defaults.pipelines[0].graph).toEqual(DEFAULT_GRAPH);
    expect(defaults.pipelines[1].login).toEqual(DEFAULT_LOGIN);
  });

  it('normalizes world.identity.signals with defaults and durations', () => {
    expect(s.world!.identity.signals).toEqual({
      ...DEFAULT_WORLD.identity.signals,
      homeIpLifetimeMs: 10 * 864e5,
      natPersons: 50,
      homeShare: { app: 0.6, mweb: 0.5, desktop: 0.5 },
    });
    expect(parseScenario(smallScenarioYaml(), 's.yaml').world!.identity.signals).toEqual(DEFAULT_WORLD.identity.signals);
  });

  it('reaches the threshold and the login rate with --set (scalar sweeps)', () => {
    const swept = parseScenario(yaml, 's.yaml', ['pipelines.2.graph.threshold=0.95', 'world.identity.loginRate=0.8']);
    expect(swept.pipelines[2].graph!.threshold).toBe(0.95);
    expect(swept.world!.identity.loginRate).toEqual({ app: 0.8, mweb: 0.8, desktop: 0.8 });
    // A pipeline without a graph mapping takes the whole mapping.
    const flow = parseScenario(smallScenarioYaml({ pipelines: '  - { name: g, refresh: 1d, identity: graph }' }), 's.yaml', [
      'pipelines.0.graph={ threshold: 0.5 }',
    ]);
    expect(flow.pipelines[0].graph!.threshold).toBe(0.5);
  });

  const bad: Array<[string, string, RegExp]> = [
    [
      'an unknown blocking field',
      '  - { name: g, refresh: 1d, identity: graph, graph: { blocking: [ipp] } }',
      /pipelines\.0\.graph\.blocking\.0 is "ipp"; expected a blocking key: fields from ip, userAgent, geo, day, item joined by \+/,
    ],
    ['a threshold above 1', '  - { name: g, refresh: 1d, identity: graph, graph: { threshold: 1.5 } }', /pipelines\.0\.graph\.threshold is 1\.5; expected/],
    [
      'graph options on a login pipeline',
      '  - { name: l, refresh: 1d, identity: login, graph: { threshold: 0.5 } }',
      /pipelines\.0\.identity is "login"; expected graph when graph options are given/,
    ],
    [
      'login options on a key pipeline',
      '  - { name: k, refresh: 1d, login: { retroactive: false } }',
      /pipelines\.0\.identity is nothing; expected login when login options are given/,
    ],
    [
      'a misspelt option',
      '  - { name: l, refresh: 1d, identity: login, login: { retroactiv: false } }',
      /unknown key "retroactiv" in pipelines\.0\.login; did you mean "retroactive"\?/,
    ],
  ];
  it.each(bad)('rejects %s', (_label, line, message) => {
    expect(() => parseScenario(smallScenarioYaml({ pipelines: line }), 's.yaml')).toThrow(InputError);
    expect(() => parseScenario(smallScenarioYaml({ pipelines: line }), 's.yaml')).toThrow(message);
  });

  it('rejects household sizes that do not sum to 1', () => {
    expect(() => parseScenario(smallScenarioYaml({ identity: '{ signals: { householdSize: [0.5, 0.2] } }' }), 's.yaml')).toThrow(
      /world\.identity\.signals\.householdSize is \[0\.5,0\.2\]; expected probabilities that sum to 1/,
    );
  });
});

describe('resolver options', () => {
  it('orders blocking fields canonically', () => {
    expect(canonicalBlockingKey('day+geo+ip')).toBe('ip+geo+day');
  });

  it('adds nothing to a configuration signature for defaults, and tells options apart otherwise', () => {
    expect(resolverSignature({ identity: 'graph', graph: DEFAULT_GRAPH })).toBe('');
    expect(resolverSignature({ identity: 'login', login: DEFAULT_LOGIN })).toBe('');
    expect(resolverSignature({ identity: 'key' })).toBe('');
    const a = resolverSignature({ identity: 'graph', graph: { ...DEFAULT_GRAPH, threshold: 0.5 } });
    const b = resolverSignature({ identity: 'graph', graph: { ...DEFAULT_GRAPH, threshold: 0.6 } });
    expect(a).toBe('|graph:0.5;ip;30;logins');
    expect(resolverSignature({ identity: 'graph', graph: { ...DEFAULT_GRAPH, atRequest: false } })).toBe('|graph:0.85;ip;30;logins;cut-only');
    // Without login edges the request's login is never used: atRequest does not tell configurations apart.
    expect(resolverSignature({ identity: 'graph', graph: { ...DEFAULT_GRAPH, logins: false, atRequest: false } })).toBe(
      resolverSignature({ identity: 'graph', graph: { ...DEFAULT_GRAPH, logins: false } }),
    );
    expect(a).not.toBe(b);
    expect(resolverSignature({ identity: 'login', login: { retroactive: false, sessionStitch: false, atRequest: true } })).toBe('|login:forward');
    expect(resolverSignature({ identity: 'login', login: { retroactive: false, sessionStitch: true, atRequest: true } })).toBe('|login:forward+session');
    expect(resolverSignature({ identity: 'login', login: { retroactive: true, sessionStitch: false, atRequest: true } })).toBe('');
    expect(resolverSignature({ identity: 'login', login: { ...DEFAULT_LOGIN, atRequest: false } })).toBe('|login:cut-only');
    expect(resolverSignature({ identity: 'login', login: { retroactive: false, sessionStitch: false, atRequest: false } })).toBe(
      '|login:forward|login:cut-only',
    );
    expect(describeResolver({ identity: 'login', login: { retroactive: false, sessionStitch: true, atRequest: true } })).toBe(
      'login (from the session of first login)',
    );
    expect(describeResolver({ identity: 'login', login: { ...DEFAULT_LOGIN, atRequest: false } })).toBe("login (without the request's own login)");
    expect(describeResolver({ identity: 'graph' })).toBe('graph (p >= 0.85, blocking ip, with logins)');
    expect(describeResolver({ identity: 'graph', graph: { ...DEFAULT_GRAPH, atRequest: false } })).toBe(
      "graph (p >= 0.85, blocking ip, with logins, without the request's own login)",
    );
  });
});
