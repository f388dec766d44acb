import { describe, expect, it } from 'vitest';
import { topK } from '../../src/util/topk.ts';
import { Rng } from '../../src/util/rng.ts';

/** Reference: full sort by (score desc, index asc), skipping NaN, -Infinity and excluded items. */
function naiveTopK(scores: ArrayLike<number>, k: number, exclude?: Uint8Array): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]) || scores[i] === -Infinity) continue;
    if (exclude?.[i]) continue;
    idx.push(i);
  }
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return idx.slice(0, k);
}

function run(scores: Float32Array | Float64Array, k: number, exclude?: Uint8Array): number[] {
  const out = new Int32Array(Math.max(k, 1));
  const n = topK(scores, k, out, exclude);
  return Array.from(out.subarray(0, n));
}

describe('topK', () => {
  it('orders by score and breaks ties by the smaller index', () => {
    const scores = new Float64Array([1, 3, 3, 2, 3]);
    expect(run(scores, 2)).toEqual([1, 2]);
    expect(run(scores, 4)).toEqual([1, 2, 4, 3]);
    expect(run(new Float32Array([5, 5, 5, 5]), 3)).toEqual([0, 1, 2]);
  });

  it('skips -Infinity and NaN scores and returns fewer than k when few qualify', () => {
    const scores = new Float64Array([-Infinity, 0.5, NaN, 0.2, -Infinity]);
    const out = new Int32Array(5);
    expect(topK(scores, 5, out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([1, 3]);
    expect(topK(new Float64Array([NaN, -Infinity]), 3, out)).toBe(0);
  });

  it('accepts k larger than the catalogue with out sized to the catalogue', () => {
    const scores = new Float32Array([0.1, 0.4, 0.3]);
    const out = new Int32Array(3);
    expect(topK(scores, 100, out)).toBe(3);
    expect(Array.from(out)).toEqual([1, 2, 0]);
    expect(topK(scores, 0, new Int32Array(0))).toBe(0);
  });

  it('skips items flagged in the exclude mask without touching scores', () => {
    const scores = new Float32Array([0.1, 0.9, 0.5, 0.9, -Infinity]);
    const copy = scores.slice();
    const seen = new Uint8Array([0, 1, 0, 0, 0]);
    expect(run(scores, 3, seen)).toEqual([3, 2, 0]);
    expect(run(scores, 3)).toEqual([1, 3, 2]);
    expect(scores).toEqual(copy);
  });

  it('agrees with a full sort on seeded random inputs with ties, -Infinity and masks', () => {
    const rng = Rng.fromSeed(11).fork('topk');
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.int(400);
      const f32 = trial % 2 === 0;
      const scores = f32 ? new Float32Array(n) : new Float64Array(n);
      const levels = 1 + rng.int(20); // few levels -> many ties
      for (let i = 0; i < n; i++) {
        const u = rng.float();
        scores[i] = u < 0.05 ? -Infinity : u < 0.08 ? NaN : rng.int(levels) / levels;
      }
      const mask = trial % 3 === 0 ? undefined : new Uint8Array(n).map(() => (rng.float() < 0.2 ? 1 : 0));
      const k = 1 + rng.int(120);
      expect(run(scores, k, mask)).toEqual(naiveTopK(scores, k, mask));
    }
  });

  it('handles a 100k catalogue with k = 100 like a full sort', () => {
    const rng = Rng.fromSeed(5).fork('big');
    const scores = new Float32Array(100_000);
    for (let i = 0; i < scores.length; i++) scores[i] = rng.normal();
    expect(run(scores, 100)).toEqual(naiveTopK(scores, 100));
  });

  interface BadCall {
    k: number;
    outLength?: number;
    excludeLength?: number;
  }
  it.each<[BadCall, RegExp]>([
    [{ k: -1 }, /invalid k: -1; expected a non-negative integer/],
    [{ k: 1.5 }, /invalid k: 1.5/],
    [{ k: 3, outLength: 2 }, /invalid out: length 2; expected at least min\(k, items\) = 3/],
    [{ k: 2, excludeLength: 2 }, /invalid exclude: length 2; expected at least 4/],
  ])('rejects %o', (input, message) => {
    const scores = new Float64Array(4);
    const out = new Int32Array(input.outLength ?? 4);
    const exclude = input.excludeLength === undefined ? undefined : new Uint8Array(input.excludeLength);
    expect(() => topK(scores, input.k, out, exclude)).toThrow(message);
  });
});
