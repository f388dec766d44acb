import { describe, expect, it } from 'vitest';
import { groupEvents } from '../../src/log/groupIndex.ts';
import { NONE } from '../../src/log/eventLog.ts';
import { LoginResolver } from '../../src/identity/resolvers.ts';
import { buildViewIndexes, ServedViews } from '../../src/pipeline/servedView.ts';
import type { ServingConfig } from '../../src/pipeline/serving.ts';
import { keyClusterQuality, majorityPerson } from '../../src/identity/quality.ts';
import { resolutionQuality } from '../../src/pipeline/resolutionQuality.ts';
import { DEFAULT_LOGIN, type LoginOptions } from '../../src/scenario/resolverOptions.ts';
import { D, H, sessionStartRequests, signalLog, smallWorld } from './fixtures.ts';

function loginQuality(persons: number, identity: Parameters<typeof smallWorld>[1]) {
  const { log } = smallWorld(persons, identity);
  const r = new LoginResolver(log);
  r.advanceTo(log.length);
  return keyClusterQuality(majorityPerson(log, groupEvents(log.key, log.dict.key.length), log.length), (k) => r.clusterOf(k));
}

describe('invariant 4: login stitching with truthful logins and no shared devices', () => {
  const rates = [0.05, 0.2, 0.5, 0.9];
  const quality = rates.map((rate) => loginQuality(800, { sharedDevices: 0, loginRate: { app: rate, mweb: rate, desktop: rate } }));

  it('has pairwise precision exactly 1 at every login rate', () => {
    for (const q of quality) expect(q.pairwisePrecision).toBe(1);
  });

  it('has recall rising with the login probability', () => {
    const recall = quality.map((q) => q.pairwiseRecall);
    for (let i = 1; i < recall.length; i++) expect(recall[i]).toBeGreaterThan(recall[i - 1]);
    expect(recall[0]).toBeLessThan(0.1);
    expect(recall[recall.length - 1]).toBeGreaterThan(0.5);
  });

  it('loses precision once devices are shared (false merges)', () => {
    const shared = loginQuality(800, { sharedDevices: 0.2, loginRate: { app: 0.9, mweb: 0.5, desktop: 0.5 } });
    expect(shared.pairwisePrecision).toBeLessThan(0.95);
  });
});

// Person A: cookie c1 browses anonymously on day 1, then in a day-2 session logs in mid-way (second event).
// App key a1 logs in as uA on day 0.
const log = signalLog([
  { t: 0, person: 'A', key: 'a1', item: 'app0', login: 'uA', session: 0 },
  { t: 1 * D, person: 'A', key: 'c1', item: 'anon', session: 1 },
  { t: 2 * D, person: 'A', key: 'c1', item: 'before', session: 2 },
  { t: 2 * D + 60_000, person: 'A', key: 'c1', item: 'login', login: 'uA', session: 2 },
  { t: 3 * D, person: 'A', key: 'c1', item: 'after', session: 3 },
]);
const key = (k: string) => log.dict.key.indexOf(k);
const items = (events: Int32Array) => [...events].map((e) => log.dict.item[log.item[e]]);
const config = (login: Partial<LoginOptions>): ServingConfig & { login: LoginOptions } => ({
  refresh: { kind: 'stream' },
  latencyMs: 0,
  identity: 'login',
  channels: null,
  originMs: 0,
  retrainMs: null,
  login: { ...DEFAULT_LOGIN, ...login },
});
const served = (login: Partial<LoginOptions>) => items(new ServedViews(log, config(login), buildViewIndexes(log, null)).view(4 * D, key('c1'), 0).events);

describe('login options', () => {
  it('retroactive (default): the whole history of every stitched key', () => {
    expect(served({ retroactive: true, sessionStitch: false })).toEqual(['app0', 'anon', 'before', 'login', 'after']);
  });

  it('without retroactive stitching: a key contributes from its first login on', () => {
    expect(served({ retroactive: false, sessionStitch: false })).toEqual(['app0', 'login', 'after']);
  });

  it('with session stitching: from the start of the session in which it first logged in', () => {
    expect(served({ retroactive: false, sessionStitch: true })).toEqual(['app0', 'before', 'login', 'after']);
  });

  it('keeps a key that never logged in on its own anonymous history', () => {
    const anon = signalLog([
      { t: 0, person: 'B', key: 'c9', item: 'x' },
      { t: H, person: 'B', key: 'c9', item: 'y' },
    ]);
    const v = new ServedViews(anon, config({ retroactive: false, sessionStitch: true }), buildViewIndexes(anon, null));
    expect(v.view(2 * H, 0, 0).events.length).toBe(2);
  });

  it('orders coverage retroactive >= session stitch >= from login on a world with mid-session logins', () => {
    const world = smallWorld(600, { signals: { midSessionLogin: 1 } });
    // Mid-session logins leave anonymous events before the login in logged-in sessions.
    let anonymousInLoggedSession = 0;
    const loggedSession = new Set<number>();
    for (let e = 0; e < world.log.length; e++) if (world.log.login[e] !== NONE) loggedSession.add(world.log.session[e]);
    for (let e = 0; e < world.log.length; e++) if (world.log.login[e] === NONE && loggedSession.has(world.log.session[e])) anonymousInLoggedSession++;
    expect(anonymousInLoggedSession).toBeGreaterThan(100);
    const w = world.log;
    const requests = sessionStartRequests(w, w.tsMs[w.length - 1] - 7 * D);
    const cov = (login: Partial<LoginOptions>) => resolutionQuality(w, config(login), requests).coverage;
    const retro = cov({ retroactive: true, sessionStitch: true });
    const session = cov({ retroactive: false, sessionStitch: true });
    const forward = cov({ retroactive: false, sessionStitch: false });
    expect(retro).toBeGreaterThan(session);
    expect(session).toBeGreaterThan(forward);
  });
});
