import { describe, expect, it } from 'vitest';
import { COLUMN_NAMES } from '../../src/log/eventLog.ts';
import { smallSpec, world } from './helpers.ts';

describe('generateWorld determinism', () => {
  it('gives identical columns, dictionaries and items for the same spec and seed', () => {
    const a = world(smallSpec(), 11);
    const b = world(smallSpec(), 11);
    expect(a.log.length).toBe(b.log.length);
    for (const name of COLUMN_NAMES) expect(Buffer.from(a.log[name].buffer).equals(Buffer.from(b.log[name].buffer))).toBe(true);
    expect(a.log.dict).toEqual(b.log.dict);
    expect(Array.from(a.items.vectors)).toEqual(Array.from(b.items.vectors));
    expect(Array.from(a.keyOwner)).toEqual(Array.from(b.keyOwner));
  });

  it('gives a different world for a different seed', () => {
    const a = world(smallSpec(), 11);
    const b = world(smallSpec(), 12);
    const n = Math.min(a.log.length, b.log.length);
    let same = 0;
    for (let e = 0; e < n; e++) if (a.log.item[e] === b.log.item[e] && a.log.tsMs[e] === b.log.tsMs[e]) same++;
    expect(same / n).toBeLessThan(0.01);
    expect(Array.from(a.items.price.subarray(0, 20))).not.toEqual(Array.from(b.items.price.subarray(0, 20)));
  });

  it("keeps a person's behaviour when persons are added after them", () => {
    // Each person draws from their own fork, so person 0..199 behave the same in a 200- and 400-person world.
    const small = world(smallSpec({ persons: 200 }));
    const large = world(smallSpec({ persons: 400 }));
    const pick = (w: typeof small) => {
      const rows: string[] = [];
      for (let e = 0; e < w.log.length; e++) if (w.log.person[e] < 200) rows.push(`${w.log.tsMs[e]}:${w.log.person[e]}:${w.log.item[e]}:${w.log.type[e]}`);
      return rows;
    };
    expect(pick(large)).toEqual(pick(small));
  });
});
