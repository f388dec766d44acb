// Fragmentation injected into a log draws identity signals with the world's model: injecting into the
// unfragmented rendering of a world, from the world's identity stream, reproduces the fragmented world
// event for event (keys, logins, channels, IP, user agent, region), and `identity: graph` resolves it.
import { describe, expect, it } from 'vitest';
import { injectFragmentation } from '../../src/world/fragment.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { DEFAULT_WORLD, type WorldSpec } from '../../src/scenario/worldSpec.ts';
import { Rng } from '../../src/util/rng.ts';
import { logFromRows, NONE, type EventLog } from '../../src/log/eventLog.ts';
import { resolutionQuality } from '../../src/pipeline/resolutionQuality.ts';
import { DEFAULT_GRAPH } from '../../src/scenario/resolverOptions.ts';
import type { IdentityResolver } from '../../src/scenario/types.ts';
import { D, sessionStartRequests } from './fixtures.ts';

const spec = (identity: Partial<WorldSpec['identity']> = {}, signals: Partial<WorldSpec['identity']['signals']> = {}): WorldSpec => ({
  ...DEFAULT_WORLD,
  persons: 500,
  items: 300,
  categories: 10,
  days: 21,
  identity: { ...DEFAULT_WORLD.identity, ...identity, signals: { ...DEFAULT_WORLD.identity.signals, ...signals } },
});

/** The fragmented world, and injection into its unfragmented rendering from the same identity stream. */
function pair(s: WorldSpec, seed: number): { world: EventLog; injected: EventLog } {
  const world = generateWorld(s, Rng.fromSeed(seed)).log;
  const whole = generateWorld({ ...s, identity: { ...s.identity, fragmented: false } }, Rng.fromSeed(seed)).log;
  return { world, injected: injectFragmentation(whole, s.identity, Rng.fromSeed(seed).fork('identity')).log };
}

describe('signals of injected fragmentation', () => {
  it('reproduce the fragmented world event for event, with the same identity stream', () => {
    const { world, injected } = pair(spec(), 5);
    for (const c of ['key', 'login', 'channel'] as const) expect(injected[c]).toEqual(world[c]);
    expect(injected.signals!.ip).toEqual(world.signals!.ip);
    expect(injected.signals!.userAgent).toEqual(world.signals!.userAgent);
    expect(injected.signals!.geo).toEqual(world.signals!.geo);
    expect(injected.signals!.dict).toEqual(world.signals!.dict);
    expect(injected.dict.key).toEqual(world.dict.key);
  });

  it('apply mid-session logins as the world does', () => {
    const { world, injected } = pair(spec({ loginRate: { app: 1, mweb: 1, desktop: 1 } }, { midSessionLogin: 1 }), 6);
    expect(injected.login).toEqual(world.login);
    let anonymous = 0;
    for (let i = 0; i < injected.length; i++) if (injected.login[i] === NONE) anonymous++;
    // Every session logs in, but not at its first event: some events are anonymous.
    expect(anonymous).toBeGreaterThan(0);
  });

  it('are drawn from the injection stream and change with its seed, never with behaviour', () => {
    const whole = generateWorld({ ...spec(), identity: { ...spec().identity, fragmented: false } }, Rng.fromSeed(5)).log;
    const a = injectFragmentation(whole, DEFAULT_WORLD.identity, Rng.fromSeed(9).fork('fragment')).log;
    const again = injectFragmentation(whole, DEFAULT_WORLD.identity, Rng.fromSeed(9).fork('fragment')).log;
    const other = injectFragmentation(whole, DEFAULT_WORLD.identity, Rng.fromSeed(10).fork('fragment')).log;
    expect(again.signals).toEqual(a.signals);
    expect(other.signals!.ip).not.toEqual(a.signals!.ip);
    for (const c of ['tsMs', 'person', 'session', 'item', 'type', 'value'] as const) expect(a[c]).toBe(whole[c]);
  });

  it('leave events of unknown persons without signals', () => {
    const tiny = logFromRows([
      { t: 1, person: 'A', key: 'A', item: 'x', type: 'view', session: 0 },
      { t: 2, key: 'anon', item: 'y', type: 'view', session: 1 },
      { t: 3, person: 'A', key: 'A', item: 'z', type: 'view', session: 0 },
    ]);
    const { log } = injectFragmentation(tiny, DEFAULT_WORLD.identity, Rng.fromSeed(1));
    const s = log.signals!;
    expect([s.ip[1], s.userAgent[1], s.geo[1]]).toEqual([NONE, NONE, NONE]);
    // One session, one IP, user agent and region.
    expect(s.ip[0]).toBeGreaterThanOrEqual(0);
    expect([s.ip[2], s.userAgent[2], s.geo[2]]).toEqual([s.ip[0], s.userAgent[0], s.geo[0]]);
  });

  it('let identity: graph link the injected keys, a log without any signals first', () => {
    // A "real" log: persons, no devices, no signals.
    const whole = generateWorld(
      { ...spec(), persons: 800, days: 28, activity: { ...DEFAULT_WORLD.activity, sessionsPerDay: 0.5 }, identity: { ...spec().identity, fragmented: false } },
      Rng.fromSeed(4),
    ).log;
    const real: EventLog = { ...whole, signals: undefined };
    const { log } = injectFragmentation(real, DEFAULT_WORLD.identity, Rng.fromSeed(4).fork('fragment'));
    expect(log.signals!.ip.every((v) => v !== NONE)).toBe(true);
    const requests = sessionStartRequests(log, log.tsMs[0] + 14 * D);
    const q = (identity: IdentityResolver, l: EventLog = log, threshold = DEFAULT_GRAPH.threshold) =>
      resolutionQuality(
        l,
        {
          refresh: { kind: 'batch', cadenceMs: D },
          latencyMs: 3_600_000,
          identity,
          channels: null,
          originMs: Math.floor(log.tsMs[0] / D) * D,
          retrainMs: null,
          graph: { ...DEFAULT_GRAPH, threshold },
        },
        requests,
      );
    const key = q('key');
    const graph = q('graph');
    const blind = q('graph', { ...log, signals: undefined });
    const low = q('graph', log, 0.5);
    expect(key.pairwiseRecall).toBe(0);
    // The injected signals, not logins alone, link the keys: recall about 0.42 with them, 0.28 without.
    expect(graph.pairwiseRecall).toBeGreaterThan(blind.pairwiseRecall + 0.1);
    expect(graph.pairwisePrecision).toBeGreaterThan(0.9);
    // A lower threshold merges more, and more wrongly.
    expect(low.pairwiseRecall).toBeGreaterThan(graph.pairwiseRecall);
    expect(low.pairwisePrecision).toBeLessThan(graph.pairwisePrecision);
    expect(graph.coverage).toBeGreaterThan(key.coverage);
  });
});
