import { describe, expect, it } from 'vitest';
import { NONE } from '../../src/log/eventLog.ts';
import { DAY_MS, smallSpec, world } from './helpers.ts';

describe('log conventions of a generated world', () => {
  const spec = smallSpec();
  const w = world(spec);
  const log = w.log;

  it('uses the canonical dictionaries', () => {
    expect(log.dict.type).toEqual(['view', 'cart', 'purchase']);
    expect(log.dict.channel).toEqual(['app', 'mweb', 'desktop']);
    expect(log.dict.person).toHaveLength(spec.persons);
    expect(log.dict.person[17]).toBe('p17');
    expect(log.dict.item).toHaveLength(spec.items);
    expect(log.dict.item[5]).toBe('i5');
    expect(log.dict.login).toHaveLength(spec.persons);
    expect(log.dict.login[17]).toBe('u17');
    for (const k of log.dict.key) expect(k).toMatch(/^[ac]\d+$/);
    expect(new Set(log.dict.key).size).toBe(log.dict.key.length);
  });

  it('sorts by time and keeps every event inside the period with a known person', () => {
    const end = spec.startMs + spec.days * DAY_MS;
    let bad = 0;
    for (let e = 0; e < log.length; e++) {
      if (e > 0 && log.tsMs[e] < log.tsMs[e - 1]) bad++;
      if (!(log.tsMs[e] >= spec.startMs && log.tsMs[e] < end) || !Number.isInteger(log.tsMs[e])) bad++;
      if (!(log.person[e] >= 0 && log.person[e] < spec.persons)) bad++;
    }
    expect(log.length).toBeGreaterThan(10_000);
    expect(bad).toBe(0);
  });

  it('puts the item price on purchases and 1 elsewhere', () => {
    let purchases = 0;
    let bad = 0;
    for (let e = 0; e < log.length; e++) {
      if (log.type[e] === 2) {
        purchases++;
        if (log.value[e] !== w.items.price[log.item[e]]) bad++;
      } else if (log.value[e] !== 1) bad++;
    }
    expect(purchases).toBeGreaterThan(0);
    expect(bad).toBe(0);
  });

  it('records logins as the acting person or NONE', () => {
    let bad = 0;
    let logged = 0;
    for (let e = 0; e < log.length; e++) {
      if (log.login[e] !== NONE) logged++;
      if (log.login[e] !== NONE && log.login[e] !== log.person[e]) bad++;
    }
    expect(bad).toBe(0);
    expect(logged).toBeGreaterThan(0);
  });

  it('returns item attributes of the right shapes', () => {
    expect(w.items.category).toHaveLength(spec.items);
    expect(w.items.vectors).toHaveLength(spec.items * spec.dim);
    const total = w.items.popularity.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 9);
    const sizes = new Array(spec.categories).fill(0);
    for (const c of w.items.category) sizes[c]++;
    // Mildly uneven: no category empty, none more than three times the average.
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThan((3 * spec.items) / spec.categories);
  });
});
