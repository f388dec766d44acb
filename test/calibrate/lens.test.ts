// The twin is measured through what the source records: its event types, keys, logins and channels.
import { describe, expect, it } from 'vitest';
import { logFromRows, NONE } from '../../src/log/eventLog.ts';
import { lensOf, sourceView, throughLens } from '../../src/calibrate/lens.ts';
import { calibrateMsg } from '../../src/calibrate/messages.ts';

const twin = logFromRows([
  { t: 0, key: 'c1', person: 'p', item: 'x', type: 'view', channel: 'mweb', login: 'p' },
  { t: 1, key: 'c1', person: 'p', item: 'x', type: 'cart', channel: 'mweb', login: 'p' },
  { t: 2, key: 'a2', person: 'p', item: 'x', type: 'purchase', channel: 'app' },
  { t: 3, key: 'a3', person: 'q', item: 'y', type: 'view', channel: 'app' },
]);

describe('lensOf', () => {
  it('maps event types by name and sees keys, logins and canonical channels', () => {
    expect(lensOf(twin, false, 'twin')).toEqual({
      types: { view: 'view', cart: 'cart', purchase: 'purchase' },
      keys: true,
      logins: true,
      channels: ['app', 'mweb'],
      categories: false,
    });
  });

  it('a log of one event type of another name has it play the purchase', () => {
    const ratings = logFromRows([
      { t: 0, key: 'u', person: 'u', item: 'm', type: 'rating', channel: 'web' },
      { t: 1, key: 'v', person: 'v', item: 'm', type: 'rating', channel: 'web' },
    ]);
    expect(lensOf(ratings, false, 'r')).toMatchObject({ types: { view: null, cart: null, purchase: 'rating' }, keys: false, logins: false, channels: null });
  });

  it('a log of several types none of which the twin can play is bad input', () => {
    const odd = logFromRows([
      { t: 0, key: 'u', person: 'u', item: 'm', type: 'click' },
      { t: 1, key: 'u', person: 'u', item: 'm', type: 'fav' },
    ]);
    expect(() => lensOf(odd, false, 'odd.csv')).toThrow(calibrateMsg.noTwinTypes('odd.csv', ['click', 'fav']));
  });
});

describe('throughLens and sourceView', () => {
  it('a purchases-only source without keys or logins sees the twin as purchases on the person’s own key', () => {
    const source = logFromRows([{ t: 0, key: 'a', person: 'a', item: 'x', type: 'purchase' }]);
    const seen = throughLens(twin, lensOf(source, false, 's'), false);
    expect(seen.length).toBe(1);
    expect(seen.dict.type).toEqual(['purchase']);
    expect(seen.dict.key).toEqual(seen.dict.person);
    expect([...seen.key]).toEqual([...seen.person]);
    expect([...seen.login]).toEqual([NONE]);
    expect(seen.signals).toBeUndefined();
  });

  it('a source with views and purchases keeps both, renumbered in the twin’s order', () => {
    const source = logFromRows([
      { t: 0, key: 'a', person: 'a', item: 'x', type: 'purchase' },
      { t: 1, key: 'b', person: 'a', item: 'x', type: 'view', login: 'a' },
    ]);
    const seen = throughLens(twin, lensOf(source, false, 's'), false);
    expect(seen.dict.type).toEqual(['view', 'purchase']);
    expect([...seen.type]).toEqual([0, 1, 0]);
    expect([...seen.key].map((k) => seen.dict.key[k])).toEqual(['c1', 'a2', 'a3']);
    expect(seen.login[0]).not.toBe(NONE);
  });

  it('the source view gives anonymous events a stand-in person per key and plays types by name', () => {
    const source = logFromRows([
      { t: 0, key: 'g1', item: 'x', type: 'rating' },
      { t: 1, key: 'u', person: 'u', item: 'x', type: 'rating' },
    ]);
    const view = sourceView(source, lensOf(source, false, 's'));
    expect(view.dict.type).toEqual(['purchase']);
    expect(view.dict.person).toEqual(['u', 'key:g1']);
    expect([...view.person]).toEqual([1, 0]);
  });
});
