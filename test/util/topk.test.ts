import { describe, expect, it } from 'vitest';
import { baselineOrder, topK, topKSparse } from '../../src/util/topk.ts';
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

describe('topKSparse', () => {
  /** A row equal to `baseline` except at `touched`; ranked densely and sparsely. */
  function both(baseline: Float32Array, touched: number[], values: number[], k: number, exclude?: Uint8Array) {
    const dense = Float32Array.from(baseline);
    const sparseRow = new Float32Array(baseline.length).fill(123); // untouched entries are not read as scores
    touched.forEach((i, t) => {
      dense[i] = values[t];
      sparseRow[i] = values[t];
    });
    const a = new Int32Array(Math.max(k, 1));
    const na = topK(dense, k, a, exclude);
    const b = new Int32Array(Math.max(k, 1));
    const mark = new Uint8Array(baseline.length);
    const nb = topKSparse(sparseRow, Int32Array.from(touched), touched.length, baseline, baselineOrder(baseline), k, b, mark, exclude);
    expect(mark.every((v) => v === 0)).toBe(true);
    return { dense: Array.from(a.subarray(0, na)), sparse: Array.from(b.subarray(0, nb)) };
  }

  it('ranks a hand-made row as topK does: ties by index, baseline items between touched ones', () => {
    const baseline = Float32Array.of(0.5, 0.1, 0.5, 0.3, 0.2);
    // Touched: item 4 rises to 0.5 (ties with 0 and 2, ranks after them), item 0 falls to 0.
    const r = both(baseline, [4, 0], [0.5, 0], 4);
    expect(r.dense).toEqual([2, 4, 3, 1]);
    expect(r.sparse).toEqual(r.dense);
  });

  it('orders the baseline by score, then index, with NaN and -Infinity last', () => {
    expect(Array.from(baselineOrder(Float32Array.of(0.1, 0.3, 0.3, Number.NaN, -Infinity, 0.2)))).toEqual([1, 2, 5, 0, 3, 4]);
  });

  it('equals topK on random rows with ties, NaN, -Infinity and exclusions', () => {
    const rng = Rng.fromSeed(42);
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + rng.int(60);
      const pick = () => {
        const u = rng.float();
        if (u < 0.05) return Number.NaN;
        if (u < 0.1) return -Infinity;
        return rng.int(8) / 8; // few distinct values: many ties
      };
      const baseline = Float32Array.from({ length: n }, pick);
      const touched = Array.from({ length: n }, (_, i) => i).filter(() => rng.float() < 0.3);
      for (let i = touched.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [touched[i], touched[j]] = [touched[j], touched[i]];
      }
      const values = touched.map(pick);
      const exclude = rng.float() < 0.5 ? Uint8Array.from({ length: n }, () => (rng.float() < 0.2 ? 1 : 0)) : undefined;
      const k = rng.int(n + 3);
      const r = both(baseline, touched, values, k, exclude);
      expect(r.sparse, `trial ${trial}`).toEqual(r.dense);
    }
  });
});
