import { describe, expect, it } from 'vitest';
import type { EventLog } from '../../src/log/eventLog.ts';
import { groupEvents, lowerBoundTime } from '../../src/log/groupIndex.ts';
import { GraphResolver } from '../../src/identity/graphResolver.ts';
import { LoginResolver } from '../../src/identity/resolvers.ts';
import { keyClusterQuality, majorityPerson } from '../../src/identity/quality.ts';
import { DEFAULT_GRAPH } from '../../src/scenario/resolverOptions.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { Rng } from '../../src/util/rng.ts';
import { D, signalLog } from './fixtures.ts';

/** cluster representative per key, canonical: the smallest key of each cluster. */
function clustering(r: { clusterOf(k: number): number }, keys: number): number[] {
  const first = new Map<number, number>();
  return Array.from({ length: keys }, (_, k) => {
    const c = r.clusterOf(k);
    if (!first.has(c)) first.set(c, k);
    return first.get(c)!;
  });
}

/** The first n events of a log, dictionaries unchanged. */
function prefix(log: EventLog, n: number): EventLog {
  const sig = log.signals!;
  return {
    ...log,
    length: n,
    tsMs: log.tsMs.slice(0, n),
    person: log.person.slice(0, n),
    key: log.key.slice(0, n),
    login: log.login.slice(0, n),
    channel: log.channel.slice(0, n),
    session: log.session.slice(0, n),
    item: log.item.slice(0, n),
    type: log.type.slice(0, n),
    value: log.value.slice(0, n),
    signals: { ...sig, ip: sig.ip.slice(0, n), userAgent: sig.userAgent.slice(0, n), geo: sig.geo.slice(0, n) },
  };
}

/** The quickstart world with fewer persons (56 days, its identity settings). */
function quickstartWorld(persons: number): EventLog {
  const s = loadScenario(new URL('../../scenarios/quickstart.yaml', import.meta.url).pathname, [`world.persons=${persons}`]);
  return generateWorld(s.world!, Rng.fromSeed(s.seed).fork('world')).log;
}

describe('GraphResolver on the quickstart world (3,000 persons)', () => {
  const log = quickstartWorld(3000);
  const K = log.dict.key.length;
  const owner = majorityPerson(log, groupEvents(log.key, K), log.length);
  const graph = new GraphResolver(log);
  graph.advanceTo(log.length);

  it('beats key and login on recall at pairwise precision >= 0.95', () => {
    const login = new LoginResolver(log);
    login.advanceTo(log.length);
    const g = keyClusterQuality(owner, (k) => graph.clusterOf(k));
    const l = keyClusterQuality(owner, (k) => login.clusterOf(k));
    const key = keyClusterQuality(owner, (k) => k);
    expect(key).toMatchObject({ pairwisePrecision: 1, pairwiseRecall: 0 });
    expect(g.pairwisePrecision).toBeGreaterThanOrEqual(0.95);
    expect(g.pairwiseRecall).toBeGreaterThan(1.5 * l.pairwiseRecall);
    expect(g.bcubedRecall).toBeGreaterThan(l.bcubedRecall);
    expect(g.keysPerPerson).toBeLessThan(l.keysPerPerson);
  });

  it('links more, less precisely, at a lower threshold; without logins it still links', () => {
    const loose = new GraphResolver(log, { ...DEFAULT_GRAPH, threshold: 0.3 });
    loose.advanceTo(log.length);
    const strict = new GraphResolver(log, { ...DEFAULT_GRAPH, logins: false });
    strict.advanceTo(log.length);
    const q = (r: GraphResolver) => keyClusterQuality(owner, (k) => r.clusterOf(k));
    expect(q(loose).pairwiseRecall).toBeGreaterThan(q(graph).pairwiseRecall);
    expect(q(loose).pairwisePrecision).toBeLessThan(q(graph).pairwisePrecision);
    expect(q(strict).pairwiseRecall).toBeGreaterThan(0.1);
    expect(q(strict).pairwiseRecall).toBeLessThan(q(graph).pairwiseRecall);
  });

  it('uses only events before the bound: equal to a resolver that never saw the rest of the log', () => {
    const bound = lowerBoundTime(log.tsMs, log.tsMs[0] + 15 * D);
    const partial = new GraphResolver(log);
    partial.advanceTo(bound);
    const truncated = new GraphResolver(prefix(log, bound));
    truncated.advanceTo(bound);
    expect(clustering(partial, K)).toEqual(clustering(truncated, K));
    expect(partial.stats()).toEqual(truncated.stats());
  });

  it('gives the same clusters advanced day by day as in one step', () => {
    const daily = new GraphResolver(log);
    for (let t = log.tsMs[0]; ; t += D) {
      const bound = lowerBoundTime(log.tsMs, t);
      daily.advanceTo(bound);
      if (bound >= log.length) break;
    }
    expect(clustering(daily, K)).toEqual(clustering(graph, K));
    expect(daily.stats().fits).toBeGreaterThan(1);
  });

  it('scores a number of pairs that grows linearly with keys', () => {
    const big = quickstartWorld(9000);
    const r = new GraphResolver(big);
    r.advanceTo(big.length);
    const perKey = (s: { candidatePairs: number; keys: number }) => s.candidatePairs / s.keys;
    const ratio = perKey(r.stats()) / perKey(graph.stats());
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(1.3);
  });
});

describe('GraphResolver on a fixture', () => {
  it('links keys through a login only once the login is visible', () => {
    const log = signalLog([
      { t: 0, key: 'a1', item: 'i1', login: 'u1', ip: 'h', ua: 'iOS/App/5' },
      { t: 1 * D, key: 'c1', item: 'i2', ip: 'h', ua: 'iOS/Safari/17' },
      { t: 2 * D, key: 'c1', item: 'i3', ip: 'h', ua: 'iOS/Safari/17', login: 'u1' },
    ]);
    const r = new GraphResolver(log);
    r.advanceTo(2);
    expect(r.clusterSize(0)).toBe(1);
    r.advanceTo(3);
    expect(r.clusterOf(0)).toBe(r.clusterOf(1));
    expect(r.stats()).toMatchObject({ keys: 2, candidatePairs: 1, loginPairs: 1, linkedPairs: 1, parameters: null });
    const members: number[] = [];
    r.forEachMember(1, (k) => members.push(k));
    expect(members.sort()).toEqual([0, 1]);
  });

  it('stops pairing keys on a block past maxBlock', () => {
    const rows = Array.from({ length: 8 }, (_, j) => ({ t: j * 1000, key: `k${j}`, item: 'i', ip: 'nat' }));
    const r = new GraphResolver(signalLog(rows), { ...DEFAULT_GRAPH, maxBlock: 4 });
    r.advanceTo(rows.length);
    // Keys 0..3 pair among themselves (6 pairs); the fifth crowds the block; later keys join nothing.
    expect(r.stats()).toMatchObject({ candidatePairs: 6, crowdedBlocks: 1, blocks: 1 });
  });
});
