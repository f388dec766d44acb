import { describe, expect, it } from 'vitest';
import { logFromRows, type EventLog } from '../../src/log/eventLog.ts';
import { ServedViews, buildViewIndexes } from '../../src/pipeline/servedView.ts';
import { visibleCutMs, type ServingConfig } from '../../src/pipeline/serving.ts';
import { LoginResolver } from '../../src/identity/resolvers.ts';
import { factorsOf, subsetConfigs, withFixed } from '../../src/pipeline/factors.ts';

const H = 3_600_000;
const D = 24 * H;

// Person A: app key a1 (logs in as uA on day 2), web key c1 (anonymous until day 5, then logs in as uA).
// Person B: web key c2, never logs in.
const log: EventLog = logFromRows([
  { t: 0.5 * D, person: 'A', key: 'a1', item: 'i1', type: 'view', channel: 'app', session: 0 },
  { t: 1.5 * D, person: 'A', key: 'c1', item: 'i2', type: 'view', channel: 'mweb', session: 1 },
  { t: 2.0 * D, person: 'A', key: 'a1', item: 'i3', type: 'cart', channel: 'app', login: 'uA', session: 2 },
  { t: 2.5 * D, person: 'B', key: 'c2', item: 'i1', type: 'view', channel: 'desktop', session: 3 },
  { t: 3.2 * D, person: 'A', key: 'c1', item: 'i4', type: 'view', channel: 'mweb', session: 4 },
  { t: 5.0 * D, person: 'A', key: 'c1', item: 'i5', type: 'purchase', channel: 'mweb', login: 'uA', session: 5 },
  { t: 6.0 * D, person: 'A', key: 'a1', item: 'i6', type: 'view', channel: 'app', session: 6 },
]);
const key = (k: string) => log.dict.key.indexOf(k);
const person = (p: string) => log.dict.person.indexOf(p);
const items = (events: Int32Array) => [...events].map((e) => log.dict.item[log.item[e]]);
const cfg = (over: Partial<ServingConfig>): ServingConfig => ({
  refresh: { kind: 'batch', cadenceMs: D },
  latencyMs: H,
  identity: 'key',
  channels: null,
  originMs: 0,
  retrainMs: null,
  ...over,
});

describe('visibleCutMs', () => {
  it('takes the newest cut whose batch has published (cut + latency <= t)', () => {
    expect(visibleCutMs(cfg({}), 3 * D + 0.5 * H)).toBe(2 * D); // the 3d cut publishes at 3d + 1h
    expect(visibleCutMs(cfg({}), 3 * D + H)).toBe(3 * D);
    expect(visibleCutMs(cfg({ refresh: { kind: 'batch', cadenceMs: 7 * D } }), 6.5 * D)).toBe(0);
    expect(visibleCutMs(cfg({ refresh: { kind: 'stream' }, latencyMs: 0 }), 4 * D)).toBe(4 * D);
    expect(visibleCutMs(cfg({ refresh: { kind: 'stream' }, latencyMs: H }), 4 * D)).toBe(4 * D - H);
  });
});

describe('ServedViews', () => {
  it('key identity serves only the request key, before the cut', () => {
    const v = new ServedViews(log, cfg({}), buildViewIndexes(log, null));
    // t = 3.5d: cut 3d; c1 has only its day-1.5 view.
    expect(items(v.view(3.5 * D, key('c1'), person('A')).events)).toEqual(['i2']);
    // t = 6.5d: cut 6d (excludes the 6d event itself: ts < cut).
    expect(items(v.view(6.5 * D, key('a1'), person('A')).events)).toEqual(['i1', 'i3']);
  });

  it('login identity merges keys once a shared login is visible at the cut, retroactively', () => {
    const v = new ServedViews(log, cfg({ identity: 'login' }), buildViewIndexes(log, null));
    // At cut 3d only a1 has logged in: c1 stays alone.
    expect(items(v.view(3.5 * D, key('c1'), person('A')).events)).toEqual(['i2']);
    // At cut 6d, c1 logged in on day 5: both keys' whole histories merge, in time order.
    const late = v.view(6.2 * D, key('c1'), person('A'));
    expect(items(late.events)).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
    expect(late.cutMs).toBe(6 * D);
    // The same (cut, cluster) is served from the cache: the very same array.
    expect(v.view(6.3 * D, key('a1'), person('A')).events).toBe(late.events);
  });

  it('oracle identity serves the true person across keys', () => {
    const v = new ServedViews(log, cfg({ identity: 'oracle' }), buildViewIndexes(log, null));
    expect(items(v.view(3.5 * D, key('c1'), person('A')).events)).toEqual(['i1', 'i2', 'i3']);
  });

  it('channel silos drop events from channels the profile store does not receive', () => {
    const app = log.dict.channel.indexOf('app');
    const v = new ServedViews(log, cfg({ identity: 'oracle', channels: [app] }), buildViewIndexes(log, [app]));
    expect(items(v.view(6.5 * D, key('c1'), person('A')).events)).toEqual(['i1', 'i3']);
  });

  it('refuses requests out of time order', () => {
    const v = new ServedViews(log, cfg({}), buildViewIndexes(log, null));
    v.view(4 * D, key('c1'), person('A'));
    expect(() => v.view(3 * D, key('c1'), person('A'))).toThrow('time order');
  });

  it('never serves an event at or after its cut (invariant 6)', () => {
    for (const c of [
      cfg({}),
      cfg({ identity: 'login' }),
      cfg({ identity: 'oracle', refresh: { kind: 'stream' }, latencyMs: 0 }),
      cfg({ identity: 'login', refresh: { kind: 'batch', cadenceMs: 2 * D }, latencyMs: 6 * H }),
    ]) {
      const v = new ServedViews(log, c, buildViewIndexes(log, null));
      for (let t = 0; t <= 7 * D; t += 3 * H) {
        for (const [k, p] of [
          ['a1', 'A'],
          ['c1', 'A'],
          ['c2', 'B'],
        ] as const) {
          const view = v.view(t, key(k), person(p));
          for (const e of view.events) expect(log.tsMs[e]).toBeLessThan(view.cutMs);
          expect(view.cutMs).toBeLessThanOrEqual(t - c.latencyMs);
        }
      }
    }
  });
});

describe('LoginResolver', () => {
  it('links keys only through logins seen so far', () => {
    const r = new LoginResolver(log);
    r.advanceTo(3); // events 0..2: a1 logs in as uA
    expect(r.clusterOf(key('c1'))).not.toBe(r.clusterOf(key('a1')));
    r.advanceTo(log.length);
    expect(r.clusterOf(key('c1'))).toBe(r.clusterOf(key('a1')));
    expect(r.clusterSize(key('c1'))).toBe(2);
    expect(r.clusterSize(key('c2'))).toBe(1);
    const members: number[] = [];
    r.forEachMember(key('c1'), (k) => members.push(k));
    expect(members.sort()).toEqual([key('a1'), key('c1')].sort());
  });
});

describe('factors', () => {
  it('lists the factors a configuration differs in and builds every subset', () => {
    const c = cfg({ channels: [0] });
    expect(factorsOf(c)).toEqual(['staleness', 'identity', 'channels']);
    expect(factorsOf(withFixed(c, ['staleness', 'identity', 'channels']))).toEqual([]);
    const subsets = subsetConfigs(cfg({}), ['staleness', 'identity']);
    expect(subsets.map((s) => [s.refresh.kind, s.identity])).toEqual([
      ['batch', 'key'],
      ['stream', 'key'],
      ['batch', 'oracle'],
      ['stream', 'oracle'],
    ]);
    expect(factorsOf(cfg({ refresh: { kind: 'stream' }, latencyMs: 0, identity: 'oracle' }))).toEqual([]);
    expect(factorsOf(cfg({ refresh: { kind: 'stream' }, latencyMs: H, identity: 'oracle' }))).toEqual(['staleness']);
  });
});
