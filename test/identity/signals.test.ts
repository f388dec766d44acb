import { describe, expect, it } from 'vitest';
import { COLUMN_NAMES, NONE } from '../../src/log/eventLog.ts';
import { InputError } from '../../src/errors.ts';
import { checkSignalSpec } from '../../src/world/signals.ts';
import { DEFAULT_WORLD, type SignalSpec } from '../../src/scenario/worldSpec.ts';
import type { World } from '../../src/world/generate.ts';
import { smallWorld } from './fixtures.ts';

const same = (a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }, b: typeof a) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** ip -> distinct persons seen on it. */
function personsByIp(w: World): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  const ip = w.log.signals!.ip;
  for (let e = 0; e < w.log.length; e++) {
    if (!out.has(ip[e])) out.set(ip[e], new Set());
    out.get(ip[e])!.add(w.log.person[e]);
  }
  return out;
}

describe('identity signals in the synthetic world', () => {
  const base = smallWorld(800);
  const sig = base.log.signals!;

  it('gives every event an IP, a user agent and a region', () => {
    expect(sig.ip.length).toBe(base.log.length);
    for (const col of [sig.ip, sig.userAgent, sig.geo]) expect(col.every((v) => v !== NONE)).toBe(true);
    expect(sig.dict.geo).toHaveLength(base.spec.identity.signals.regions);
    expect(sig.dict.userAgent.every((ua) => /^[A-Za-z]+\/[A-Za-z]+\/\d+$/.test(ua))).toBe(true);
  });

  it('keeps behaviour, keys, logins and channels byte-identical whatever the signal settings', () => {
    const other = smallWorld(800, {
      signals: { householdSize: [1], homeShare: { app: 0.1, mweb: 0.1, desktop: 0.1 }, natPersons: 5, regions: 3, travel: 0.5, uaVersions: 1 },
    });
    for (const name of COLUMN_NAMES) expect(same(base.log[name], other.log[name]), name).toBe(true);
    expect(other.log.dict).toEqual(base.log.dict);
    expect(same(other.log.signals!.ip, sig.ip)).toBe(false);
  });

  it('is deterministic for a seed', () => {
    const again = smallWorld(800);
    expect(same(again.log.signals!.ip, sig.ip)).toBe(true);
    expect(same(again.log.signals!.userAgent, sig.userAgent)).toBe(true);
    expect(again.log.signals!.dict).toEqual(sig.dict);
  });

  it('puts a household behind one home IP and many strangers behind a carrier-NAT IP', () => {
    const byIp = personsByIp(base);
    const home = [...byIp].filter(([ip]) => !sig.dict.ip[ip].startsWith('100.'));
    const nat = [...byIp].filter(([ip]) => sig.dict.ip[ip].startsWith('100.'));
    // Households of 2+ persons share home IPs; a home IP has at most a household (5) plus a few sharers.
    expect(home.filter(([, p]) => p.size >= 2).length).toBeGreaterThan(50);
    expect(Math.max(...home.map(([, p]) => p.size))).toBeLessThanOrEqual(8);
    expect(Math.max(...nat.map(([, p]) => p.size))).toBeGreaterThan(50);
  });

  it('has one person per home IP with single-person households and no shared devices', () => {
    const w = smallWorld(400, { sharedDevices: 0, signals: { householdSize: [1] } });
    for (const [ip, persons] of personsByIp(w)) if (!w.log.signals!.dict.ip[ip].startsWith('100.')) expect(persons.size).toBe(1);
  });

  it('sends sessions to the home network at about homeShare', () => {
    const w = smallWorld(600, { signals: { homeShare: { app: 0.2, mweb: 0.2, desktop: 0.8 } } });
    const s = w.log.signals!;
    const home = [0, 0, 0];
    const all = [0, 0, 0];
    const seen = new Set<number>();
    for (let e = 0; e < w.log.length; e++) {
      if (seen.has(w.log.session[e])) continue;
      seen.add(w.log.session[e]);
      all[w.log.channel[e]]++;
      if (!s.dict.ip[s.ip[e]].startsWith('100.')) home[w.log.channel[e]]++;
    }
    const app = w.log.dict.channel.indexOf('app');
    const desktop = w.log.dict.channel.indexOf('desktop');
    expect(Math.abs(home[app] / all[app] - 0.2)).toBeLessThan(0.03);
    expect(Math.abs(home[desktop] / all[desktop] - 0.8)).toBeLessThan(0.04);
  });

  it('keeps one user agent per key (a key is one browser or app)', () => {
    const ua = new Map<number, number>();
    let changes = 0;
    for (let e = 0; e < base.log.length; e++) {
      const k = base.log.key[e];
      if (!ua.has(k)) ua.set(k, sig.userAgent[e]);
      if (sig.userAgent[e] !== ua.get(k)) changes++;
    }
    expect(changes).toBe(0);
  });

  it('logs in mid-session when asked: a logged-in session starts anonymous', () => {
    const w = smallWorld(400, { loginRate: { app: 1, mweb: 1, desktop: 1 }, signals: { midSessionLogin: 1 } });
    const flat = smallWorld(400, { loginRate: { app: 1, mweb: 1, desktop: 1 } });
    expect(flat.log.login.every((l) => l !== NONE)).toBe(true);
    const first = new Map<number, number>();
    const last = new Map<number, number>();
    const size = new Map<number, number>();
    for (let e = 0; e < w.log.length; e++) {
      const s = w.log.session[e];
      if (!first.has(s)) first.set(s, e);
      last.set(s, e);
      size.set(s, (size.get(s) ?? 0) + 1);
    }
    const multi = [...first.keys()].filter((s) => size.get(s)! > 1);
    expect(multi.length).toBeGreaterThan(1000);
    expect(multi.filter((s) => w.log.login[first.get(s)!] !== NONE)).toEqual([]);
    // The last event of every session is logged in: the login happens before the session ends.
    expect([...last.values()].filter((e) => w.log.login[e] === NONE)).toEqual([]);
  });
});

describe('checkSignalSpec', () => {
  const d = DEFAULT_WORLD.identity.signals;
  const bad: Array<[Partial<SignalSpec>, string]> = [
    [{ regions: 0 }, 'generateWorld: world.identity.signals.regions is 0; expected an integer >= 1'],
    [
      { householdSize: [] },
      'generateWorld: world.identity.signals.householdSize is []; expected non-negative weights for 1, 2, 3, ... persons with a positive sum',
    ],
    [{ homeShare: { app: 1.5, mweb: 0.5, desktop: 0.5 } }, 'generateWorld: world.identity.signals.homeShare.app is 1.5; expected a probability in [0, 1]'],
    [{ natPersons: 0 }, 'generateWorld: world.identity.signals.natPersons is 0; expected a number >= 1'],
    [{ homeIpLifetimeMs: -1 }, 'generateWorld: world.identity.signals.homeIpLifetimeMs is -1; expected a duration > 0'],
    [{ midSessionLogin: 2 }, 'generateWorld: world.identity.signals.midSessionLogin is 2; expected a probability in [0, 1]'],
  ];
  it.each(bad)('rejects %j', (over, message) => {
    expect(() => checkSignalSpec({ ...d, ...over })).toThrow(InputError);
    expect(() => checkSignalSpec({ ...d, ...over })).toThrow(message);
  });

  it('accepts the defaults', () => {
    expect(() => checkSignalSpec(d)).not.toThrow();
  });
});
