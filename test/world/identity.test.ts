import { describe, expect, it } from 'vitest';
import { NONE } from '../../src/log/eventLog.ts';
import type { World } from '../../src/world/generate.ts';
import { DAY_MS, eventsBySession, smallSpec, world } from './helpers.ts';

const APP = 0;

/** key -> distinct persons seen on it */
function personsByKey(w: World): Set<number>[] {
  const out = w.log.dict.key.map(() => new Set<number>());
  for (let e = 0; e < w.log.length; e++) out[w.log.key[e]].add(w.log.person[e]);
  return out;
}

/** mean distinct keys per person with at least one event */
function keysPerPerson(w: World): number {
  const keys = new Map<number, Set<number>>();
  for (let e = 0; e < w.log.length; e++) {
    const p = w.log.person[e];
    if (!keys.has(p)) keys.set(p, new Set());
    keys.get(p)!.add(w.log.key[e]);
  }
  let total = 0;
  for (const s of keys.values()) total += s.size;
  return total / keys.size;
}

describe('identity layer', () => {
  it('gives an app device one stable key for the whole period', () => {
    const w = world(smallSpec({ identity: { devices: [1], channelMix: { app: 1, mweb: 0, desktop: 0 }, sharedDevices: 0 } }));
    const keys = new Map<number, Set<number>>();
    for (let e = 0; e < w.log.length; e++) {
      expect(w.log.channel[e]).toBe(APP);
      (keys.get(w.log.person[e]) ?? keys.set(w.log.person[e], new Set()).get(w.log.person[e])!).add(w.log.key[e]);
    }
    for (const set of keys.values()) expect(set.size).toBe(1);
    for (const name of w.log.dict.key) expect(name.startsWith('a')).toBe(true);
  });

  it('caps every web cookie at itpCapMs when all browsers are capped', () => {
    const cap = 3 * DAY_MS;
    const w = world(
      smallSpec({
        activity: { sessionsPerDay: 2 },
        identity: { channelMix: { app: 0, mweb: 0.5, desktop: 0.5 }, itpShare: 1, itpCapMs: cap, cookieLifetimeMs: 365 * DAY_MS },
      }),
    );
    const first = new Float64Array(w.log.dict.key.length).fill(Infinity);
    const last = new Float64Array(w.log.dict.key.length).fill(-Infinity);
    for (let e = 0; e < w.log.length; e++) {
      const k = w.log.key[e];
      first[k] = Math.min(first[k], w.log.tsMs[e]);
      last[k] = Math.max(last[k], w.log.tsMs[e]);
    }
    let longest = 0;
    for (let k = 0; k < first.length; k++) longest = Math.max(longest, last[k] - first[k]);
    expect(longest).toBeLessThanOrEqual(cap);
    // The cap binds: some cookies live close to it.
    expect(longest).toBeGreaterThan(0.8 * cap);
    for (const name of w.log.dict.key) expect(name.startsWith('c')).toBe(true);
  });

  it('gives persons more keys when cookies churn faster', () => {
    const web = { channelMix: { app: 0.2, mweb: 0.5, desktop: 0.3 }, itpShare: 0 };
    const slow = keysPerPerson(world(smallSpec({ identity: { ...web, cookieLifetimeMs: 60 * DAY_MS } })));
    const fast = keysPerPerson(world(smallSpec({ identity: { ...web, cookieLifetimeMs: 2 * DAY_MS } })));
    expect(fast).toBeGreaterThan(slow * 1.5);
  });

  it('has exactly one person per key without shared devices', () => {
    const w = world(smallSpec({ identity: { sharedDevices: 0 } }));
    const byKey = personsByKey(w);
    for (let k = 0; k < byKey.length; k++) {
      expect(byKey[k].size).toBe(1);
      expect(w.keyOwner[k]).toBe([...byKey[k]][0]);
    }
    expect(w.keyShared.every((x) => x === 0)).toBe(true);
  });

  it('puts two persons on some keys with shared devices, and marks them', () => {
    const w = world(smallSpec({ identity: { sharedDevices: 0.3 } }));
    const byKey = personsByKey(w);
    let twoPersons = 0;
    for (let k = 0; k < byKey.length; k++) {
      expect(byKey[k].size).toBeLessThanOrEqual(3);
      // The owner is always among a key's persons unless only a sharer used this cookie generation.
      if (byKey[k].size > 1) {
        twoPersons++;
        expect(w.keyShared[k]).toBe(1);
      }
      if (w.keyShared[k] === 0) expect([...byKey[k]]).toEqual([w.keyOwner[k]]);
    }
    expect(twoPersons).toBeGreaterThan(10);
  });

  it('logs in truthfully at about the per-channel login rate', () => {
    const loginRate = { app: 0.8, mweb: 0.3, desktop: 0.1 };
    const w = world(smallSpec({ persons: 800, identity: { loginRate } }));
    const sessions = eventsBySession(w);
    const logged = [0, 0, 0];
    const total = [0, 0, 0];
    for (const events of sessions) {
      const e = events[0];
      total[w.log.channel[e]]++;
      if (w.log.login[e] !== NONE) {
        logged[w.log.channel[e]]++;
        expect(w.log.login[e]).toBe(w.log.person[e]);
      }
    }
    const rates = [loginRate.app, loginRate.mweb, loginRate.desktop];
    for (let c = 0; c < 3; c++) {
      expect(total[c]).toBeGreaterThan(1000);
      expect(Math.abs(logged[c] / total[c] - rates[c])).toBeLessThan(0.03);
    }
  });

  it('follows the channel mix of devices', () => {
    const w = world(smallSpec({ identity: { channelMix: { app: 0.6, mweb: 0.3, desktop: 0.1 } } }));
    const counts = [0, 0, 0];
    for (const events of eventsBySession(w)) counts[w.log.channel[events[0]]]++;
    const total = counts[0] + counts[1] + counts[2];
    // Sessions, not devices, so only roughly the mix (heavy users weigh more).
    expect(counts[0] / total).toBeGreaterThan(0.45);
    expect(counts[2] / total).toBeLessThan(0.2);
  });
});
