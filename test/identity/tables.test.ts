import { describe, expect, it } from 'vitest';
import { Clusters } from '../../src/identity/clusters.ts';
import { IdTable, IntVec } from '../../src/identity/tables.ts';

describe('IdTable', () => {
  it('hands out dense ids in insertion order and survives rehashing', () => {
    const t = new IdTable(4);
    const keys = Array.from({ length: 5000 }, (_, i) => i * 7_919_317 + 2 ** 40);
    keys.forEach((k, i) => {
      expect(t.idOf(k)).toBe(i);
      expect(t.created).toBe(true);
    });
    keys.forEach((k, i) => {
      expect(t.idOf(k)).toBe(i);
      expect(t.created).toBe(false);
      expect(t.get(k)).toBe(i);
    });
    expect(t.get(12345)).toBe(-1);
    expect(t.size).toBe(5000);
  });
});

describe('IntVec', () => {
  it('grows while keeping its contents', () => {
    const v = new IntVec(2);
    for (let i = 0; i < 100; i++) expect(v.push(i * 3)).toBe(i);
    expect(Array.from(v.data.subarray(0, v.length))).toEqual(Array.from({ length: 100 }, (_, i) => i * 3));
  });
});

describe('Clusters', () => {
  it('merges, lists members and dissolves a cluster', () => {
    const c = new Clusters(6);
    expect(c.union(0, 1)).toBe(true);
    expect(c.union(2, 1)).toBe(true);
    expect(c.union(0, 2)).toBe(false);
    c.union(4, 5);
    expect(c.sizeOf(2)).toBe(3);
    expect(c.members(1).sort()).toEqual([0, 1, 2]);
    expect(c.find(4)).toBe(c.find(5));
    expect(c.dissolve(0).sort()).toEqual([0, 1, 2]);
    expect([0, 1, 2].map((k) => c.sizeOf(k))).toEqual([1, 1, 1]);
    expect(c.members(1)).toEqual([1]);
    expect(c.sizeOf(5)).toBe(2);
  });
});
