import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { DEFAULT_WORLD, type WorldSpec } from '../../src/scenario/worldSpec.ts';
import { InputError, msg } from '../../src/errors.ts';

const invalidWorldSetting = (field: string, value: unknown, expected: string) => msg.invalidValue('generateWorld', `world.${field}`, value, expected);

const id = DEFAULT_WORLD.identity;
const cases: Array<[string, WorldSpec, string]> = [
  ['fewer items than categories', { ...DEFAULT_WORLD, items: 10 }, invalidWorldSetting('items', 10, 'an integer >= categories (30)')],
  ['fractional persons', { ...DEFAULT_WORLD, persons: 1.5 }, invalidWorldSetting('persons', 1.5, 'an integer >= 0')],
  ['zero days', { ...DEFAULT_WORLD, days: 0 }, invalidWorldSetting('days', 0, 'a number > 0')],
  [
    'a cart probability above 1',
    { ...DEFAULT_WORLD, funnel: { ...DEFAULT_WORLD.funnel, cart: 1.2 } },
    invalidWorldSetting('funnel.cart', 1.2, 'a probability in [0, 1]'),
  ],
  ['a negative kappa', { ...DEFAULT_WORLD, drift: { ...DEFAULT_WORLD.drift, kappa: -1 } }, invalidWorldSetting('drift.kappa', -1, 'a number >= 0')],
  [
    'empty device weights',
    { ...DEFAULT_WORLD, identity: { ...id, devices: [] } },
    invalidWorldSetting('identity.devices', [], 'non-negative weights for 1, 2, 3, ... devices with a positive sum'),
  ],
  [
    'a login rate above 1',
    { ...DEFAULT_WORLD, identity: { ...id, loginRate: { ...id.loginRate, mweb: 2 } } },
    invalidWorldSetting('identity.loginRate.mweb', 2, 'a probability in [0, 1]'),
  ],
  [
    'a zero cookie lifetime',
    { ...DEFAULT_WORLD, identity: { ...id, cookieLifetimeMs: 0 } },
    invalidWorldSetting('identity.cookieLifetimeMs', 0, 'a duration > 0'),
  ],
];

describe('generateWorld input checks', () => {
  for (const [name, spec, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(() => generateWorld(spec, Rng.fromSeed(1))).toThrow(new InputError(message));
    });
  }

  it('names the field, the value and what is allowed', () => {
    expect(() => generateWorld({ ...DEFAULT_WORLD, days: -3 }, Rng.fromSeed(1))).toThrow('generateWorld: world.days is -3; expected a number > 0');
  });

  it('accepts an empty world', () => {
    const w = generateWorld({ ...DEFAULT_WORLD, persons: 0 }, Rng.fromSeed(1));
    expect(w.log.length).toBe(0);
    expect(w.log.dict.key).toEqual([]);
  });
});
