import { describe, expect, it } from 'vitest';
import { stableTimeOrder } from '../../src/log/timeSort.ts';
import { Rng } from '../../src/util/rng.ts';
import { TimeSorter } from '../../src/log/timeSort.ts';

/** The reference: a comparator sort of indices by (ts, index). */
function reference(ts: Float64Array): number[] {
  return Array.from(ts.keys()).sort((a, b) => ts[a] - ts[b] || a - b);
}

function randomTimes(n: number, seed: number, spanMs: number, integral = true): Float64Array {
  const rng = Rng.fromSeed(seed);
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = 1.7e12 + rng.float() * spanMs;
    // Round coarsely now and then so ties are common.
    ts[i] = integral ? (rng.float() < 0.3 ? Math.round(t / 60_000) * 60_000 : Math.round(t)) : t;
  }
  return ts;
}

describe('stableTimeOrder', () => {
  it('returns null for sorted input, including ties and a single row', () => {
    expect(stableTimeOrder(new Float64Array([1, 2, 2, 3]), 4)).toBeNull();
    expect(stableTimeOrder(new Float64Array([5]), 1)).toBeNull();
    expect(stableTimeOrder(new Float64Array(0), 0)).toBeNull();
    // Only the first n rows count.
    expect(stableTimeOrder(new Float64Array([1, 2, 0]), 2)).toBeNull();
  });

  const cases: Array<[string, Float64Array]> = [
    ['two months of milliseconds with ties', randomTimes(50_000, 1, 56 * 86_400_000)],
    ['a narrow range', randomTimes(5_000, 2, 1_000)],
    ['a range beyond 2^32', randomTimes(5_000, 3, 2 ** 40)],
    ['negative and mixed-sign integers', Float64Array.from(randomTimes(5_000, 4, 1e6), (t) => 1.7e12 + 5e5 - t)],
    ['fractions (comparator fallback)', randomTimes(5_000, 5, 1e6, false)],
    ['all equal', new Float64Array(1000).fill(42).map((t, i) => (i === 0 ? 43 : t))],
  ];
  for (const [name, ts] of cases) {
    it(`matches a stable comparator sort: ${name}`, () => {
      const order = stableTimeOrder(ts, ts.length);
      expect(order).not.toBeNull();
      expect(Array.from(order!)).toEqual(reference(ts));
    });
  }
});

describe('TimeSorter', () => {
  for (const [name, ts] of [
    ['person-major runs of sorted times', personMajor(40_000, 9)],
    ['random times with ties', randomTimes(30_000, 6, 56 * 86_400_000)],
    ['fractions (fallback)', randomTimes(3_000, 7, 1e6, false)],
    ['already sorted', Float64Array.from(randomTimes(3_000, 8, 1e6)).sort()],
  ] as Array<[string, Float64Array]>) {
    it(`applies the stable time order to every column: ${name}`, () => {
      const ref = reference(ts);
      const sorter = new TimeSorter(ts, ts.length);
      const index = Int32Array.from(ts.keys());
      expect(Array.from(sorter.apply(index))).toEqual(ref);
      expect(Array.from(sorter.apply(ts))).toEqual(ref.map((i) => ts[i]));
      const bytes = Uint8Array.from(ts.keys(), (i) => i % 251);
      expect(Array.from(sorter.apply(bytes))).toEqual(ref.map((i) => i % 251));
    });
  }

  it('sorts only the first n rows and returns exact-length columns', () => {
    const ts = new Float64Array([3, 1, 2, 0, -5]);
    const sorter = new TimeSorter(ts, 3);
    expect(Array.from(sorter.apply(ts))).toEqual([1, 2, 3]);
  });
});

/** Many short sorted runs (one per person), like the behaviour stage's output. */
function personMajor(n: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const ts = new Float64Array(n);
  let e = 0;
  while (e < n) {
    let t = 1.7e12 + Math.round(rng.float() * 86_400_000);
    const run = 1 + rng.int(80);
    for (let k = 0; k < run && e < n; k++) ts[e++] = t += Math.round(rng.float() * 3 * 86_400_000);
  }
  return ts;
}
