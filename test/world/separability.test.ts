import { describe, expect, it } from 'vitest';
import type { World } from '../../src/world/generate.ts';
import { DEFAULT_WORLD } from '../../src/scenario/worldSpec.ts';
import { BEHAVIOR_COLUMNS, DAY_MS, smallSpec, world } from './helpers.ts';

function sameColumn(a: World, b: World, name: (typeof BEHAVIOR_COLUMNS)[number] | 'channel'): boolean {
  return (
    a.log.length === b.log.length &&
    Buffer.from(a.log[name].buffer, 0, a.log[name].byteLength).equals(Buffer.from(b.log[name].buffer, 0, b.log[name].byteLength))
  );
}

describe('behaviour and identity are separable', () => {
  const base = world(smallSpec());
  const id = DEFAULT_WORLD.identity;
  const variants: Array<[string, Partial<typeof id>]> = [
    ['login rates', { loginRate: { app: 0.2, mweb: 0.9, desktop: 0.5 } }],
    ['device counts', { devices: [0.1, 0.2, 0.3, 0.4] }],
    ['cookie lifetime', { cookieLifetimeMs: 2 * DAY_MS, itpShare: 1, itpCapMs: DAY_MS }],
    ['shared devices and switching', { sharedDevices: 0.4, switchProb: 0.9 }],
    ['channel mix', { channelMix: { app: 0.1, mweb: 0.1, desktop: 0.8 } }],
    ['no fragmentation', { fragmented: false }],
  ];

  for (const [name, identity] of variants) {
    it(`leaves time, person, session, item, type and value untouched when changing ${name}`, () => {
      const other = world(smallSpec({ identity }));
      for (const column of BEHAVIOR_COLUMNS) expect(sameColumn(base, other, column), column).toBe(true);
    });
  }

  it('renders the same channels fragmented and unfragmented, differing only in key and login', () => {
    const flat = world(smallSpec({ identity: { fragmented: false } }));
    expect(sameColumn(base, flat, 'channel')).toBe(true);
    // Fragmented: more keys than persons, and a person's events spread over several of them.
    expect(base.log.dict.key.length).toBeGreaterThan(base.spec.persons);
    expect(Buffer.from(base.log.key.buffer).equals(Buffer.from(flat.log.key.buffer))).toBe(false);
  });

  it('unfragmented: key and login are the person on every event', () => {
    const flat = world(smallSpec({ identity: { fragmented: false } }));
    let bad = 0;
    for (let e = 0; e < flat.log.length; e++) if (flat.log.key[e] !== flat.log.person[e] || flat.log.login[e] !== flat.log.person[e]) bad++;
    expect(bad).toBe(0);
    expect(flat.log.dict.key).toHaveLength(flat.spec.persons);
    expect(flat.log.dict.key[42]).toBe('p42');
    expect(Array.from(flat.keyOwner.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(flat.keyShared.every((x) => x === 0)).toBe(true);
  });

  it('changing a login rate changes only logins, not devices or keys', () => {
    const other = world(smallSpec({ identity: { loginRate: { app: 0.5, mweb: 0.5, desktop: 0.5 } } }));
    expect(sameColumn(base, other, 'channel')).toBe(true);
    expect(Buffer.from(base.log.key.buffer).equals(Buffer.from(other.log.key.buffer))).toBe(true);
  });
});
