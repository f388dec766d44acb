// The WebAssembly item-kNN kernel against its JavaScript loop (the reference) on random tables: the same items
// reached in the same order and the same float32 scores bit for bit, and the scratch left clean between calls.
import { describe, expect, it } from 'vitest';
import { knnKernel } from '../../src/models/knnKernel.ts';
import { Rng } from '../../src/util/rng.ts';
import { baselineOrder, finishSparse, topK } from '../../src/util/topk.ts';

/** Random tables: each item's neighbours distinct, rows cut short by -1, similarities of mixed magnitudes. */
function tables(rng: Rng, n: number, m: number, quantized = false) {
  const nbr = new Int32Array(n * m).fill(-1);
  const sim = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    const len = rng.float() < 0.2 ? Math.floor(rng.float() * m) : m;
    const picked = new Set<number>();
    for (let t = 0; t < len; t++) {
      let j = Math.floor(rng.float() * n);
      while (picked.has(j) || j === i) j = (j + 1) % n;
      picked.add(j);
      nbr[i * m + t] = j;
      sim[i * m + t] = quantized ? Math.ceil(rng.float() * 4) / 4 : rng.float() < 0.1 ? 1e-7 * rng.float() : rng.float();
    }
  }
  const prior = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1e-6 * rng.float()));
  return { nbr, sim, prior };
}

describe('knnKernel', () => {
  it('hand-computed: two items, their neighbours, the prior elsewhere', () => {
    // Item 0's neighbours: 1 (0.5), 2 (0.25); item 1's: 0 (0.5). Weights W_0 = 2, W_1 = 1.
    const nbr = Int32Array.of(1, 2, 0, -1, -1, -1);
    const sim = Float32Array.of(0.5, 0.25, 0.5, 0, 0, 0);
    const prior = Float32Array.of(0.001, 0.002, 0.003);
    for (const kind of ['wasm', 'js'] as const) {
      const k = knnKernel(nbr, sim, prior, 2, kind);
      expect(k.kind).toBe(kind);
      k.weightOf[0] = 2;
      k.weightOf[1] = 1;
      k.distinct.set([0, 1]);
      const nt = k.accumulate(2);
      expect(Array.from(k.touched.subarray(0, nt))).toEqual([0, 1, 2]);
      expect(k.scores[0]).toBe(Math.fround(Math.fround(0.001 + 2) + 1 * 0.5));
      expect(k.scores[1]).toBe(Math.fround(Math.fround(Math.fround(0.002) + 2 * 0.5) + 1));
      expect(k.scores[2]).toBe(Math.fround(Math.fround(0.003) + 2 * 0.25));
      expect(Array.from(k.weightOf)).toEqual([0, 0, 0]);
      // The next profile starts from the prior again.
      k.weightOf[2] = 1;
      k.distinct[0] = 2;
      expect(k.accumulate(1)).toBe(1);
      expect(k.scores[2]).toBe(Math.fround(Math.fround(0.003) + 1));
    }
  });

  it('equals the JavaScript loop bit for bit on random profiles, items reached in the same order', () => {
    const rng = Rng.fromSeed(20261205);
    // Quantized similarities and weights make many scores tie: the index decides there.
    for (const [n, m, quantized] of [
      [50, 7, false],
      [400, 30, true],
      [1200, 100, false],
    ] as const) {
      const { nbr, sim, prior } = tables(rng, n, m, quantized);
      const wasm = knnKernel(nbr, sim, prior, m, 'wasm');
      const js = knnKernel(nbr, sim, prior, m, 'js');
      const order = baselineOrder(prior);
      expect(wasm.kind).toBe('wasm');
      expect(Array.from(wasm.nbr)).toEqual(Array.from(nbr));
      for (let p = 0; p < 200; p++) {
        const k = 1 + Math.floor(rng.float() * Math.min(n, 60));
        for (const kernel of [wasm, js]) kernel.scores.fill(Number.NaN);
        const items = new Set<number>();
        while (items.size < k) items.add(Math.floor(rng.float() * n));
        let x = 0;
        for (const i of items) {
          // Weights from tiny to large, and a zero weight (an item listed whose events weigh nothing).
          const w = x % 9 === 4 ? 0 : quantized ? 1 + (x % 2) : Math.exp(-rng.float() * 20) * (1 + 3 * rng.float());
          for (const kernel of [wasm, js]) {
            kernel.distinct[x] = i;
            kernel.weightOf[i] = w;
          }
          x++;
        }
        const nw = wasm.accumulate(k);
        const nj = js.accumulate(k);
        expect(nw).toBe(nj);
        let differ = 0;
        for (let t = 0; t < nw; t++) {
          const j = js.touched[t];
          if (wasm.touched[t] !== j || !Object.is(wasm.scores[j], js.scores[j])) differ++;
        }
        expect(differ).toBe(0);
        expect(wasm.weightOf.every((v) => v === 0)).toBe(true);
        // The reached marks, and the top `cap` of the dense row through select + finishSparse, as topK ranks it.
        expect(Array.from(wasm.reached)).toEqual(Array.from(js.reached));
        const dense = Float32Array.from(prior);
        for (let t = 0; t < nj; t++) dense[js.touched[t]] = js.scores[js.touched[t]];
        const cap = [1, 10, 20, 300][p % 4];
        const want = new Int32Array(cap);
        const nWant = topK(dense, cap, want);
        for (const kernel of [wasm, js]) {
          const size = kernel.select(nj, Math.min(cap, n));
          const got = new Int32Array(cap);
          got.set(kernel.heap.subarray(0, size));
          const nGot = finishSparse(kernel.scores, size, prior, order, Math.min(cap, n), got, kernel.reached);
          expect(Array.from(got.subarray(0, nGot))).toEqual(Array.from(want.subarray(0, nWant)));
        }
      }
    }
  });
});
