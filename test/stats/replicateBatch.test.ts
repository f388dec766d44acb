import { describe, expect, it } from 'vitest';
import { ClusterBootstrap, pairedPValue, pValueFromSums, quantizedMean, type ReplicateSums } from '../../src/stats/bootstrap.ts';
import { referenceReplicateSums } from '../../src/stats/bootstrapReference.ts';
import { IntervalBatch } from '../../src/stats/intervalBatch.ts';
import { CLUSTER_BLOCK } from '../../src/stats/replicateKernel.ts';
import { hash3, hash3Last, hash3Prefix } from '../../src/util/hash.ts';
import { sleb, uleb } from '../../src/util/wasmEmit.ts';
import { Rng } from '../../src/util/rng.ts';

/** R requests over `persons` sparse ids with skewed counts; series with NaNs, zeros, duplicates, big values. */
function data(seed: number, R: number, persons: number, K: number) {
  const rng = Rng.fromSeed(seed);
  const cluster = new Int32Array(R);
  for (let r = 0; r < R; r++) cluster[r] = Math.floor(persons * rng.float() ** 2) * 7919 + 11;
  const series: Float64Array[] = [];
  for (let k = 0; k < K; k++) {
    const v = new Float64Array(R);
    const kind = k % 6;
    for (let r = 0; r < R; r++) {
      if (kind === 0) v[r] = 0;
      else if (kind === 1) v[r] = rng.float() < 0.3 ? NaN : rng.float();
      else if (kind === 2) v[r] = NaN;
      else if (kind === 3) v[r] = rng.float() < 0.5 ? 0 : -rng.float();
      else if (kind === 4) v[r] = Math.fround(rng.float()) - Math.fround(rng.float());
      else v[r] = 1 / (1 + r);
    }
    series.push(v);
  }
  if (K > 4) series.push(series[4].slice(), series[1]);
  return { cluster, series };
}

function expectSame(got: ReplicateSums, want: ReplicateSums) {
  expect(got.seed).toBe(want.seed);
  expect(got.sum).toBe(want.sum);
  expect(got.n).toBe(want.n);
  expect(got.sumWS.length).toBe(want.sumWS.length);
  // Bit for bit (Object.is tells -0 from 0).
  for (let b = 0; b < want.sumWS.length; b++) {
    if (!Object.is(got.sumWS[b], want.sumWS[b]) || !Object.is(got.sumWN[b], want.sumWN[b])) {
      expect({ b, sumWS: got.sumWS[b], sumWN: got.sumWN[b] }).toEqual({ b, sumWS: want.sumWS[b], sumWN: want.sumWN[b] });
    }
  }
}

describe('hash3Prefix / hash3Last', () => {
  it('split hash3 without changing it', () => {
    const rng = Rng.fromSeed(5);
    for (let i = 0; i < 2000; i++) {
      const [a, b, c] = [rng.int(2 ** 31), rng.int(2 ** 31), rng.int(5000)];
      expect(hash3Last(hash3Prefix(a, b), c)).toBe(hash3(a, b, c));
    }
  });
});

describe('wasmEmit LEB128', () => {
  it('encodes the examples of the WebAssembly spec', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});

describe('ClusterBootstrap.batch', () => {
  // Tile widths 2..16 and their mixes, more clusters than one kernel block, replicate counts that are not a
  // multiple of the kernel's chunk.
  const cases: Array<{ R: number; persons: number; K: number; B: number; threads: number }> = [
    { R: 3000, persons: 400, K: 1, B: 200, threads: 1 },
    { R: 3000, persons: 400, K: 3, B: 33, threads: 1 },
    { R: 3000, persons: 400, K: 11, B: 100, threads: 2 },
    { R: 9000, persons: 3 * CLUSTER_BLOCK, K: 21, B: 70, threads: 2 },
    { R: 2000, persons: 300, K: 40, B: 1000, threads: 2 },
  ];
  for (const { R, persons, K, B, threads } of cases) {
    it(`equals the scalar per-series sums bit for bit (${R} requests, ${K} series, B = ${B}, ${threads} threads)`, () => {
      const { cluster, series } = data(R + K, R, persons, K);
      const boot = new ClusterBootstrap(cluster, { seed: 0x9e37 + K, replicates: B, threads });
      const got = boot.batch(series);
      expect(got).toHaveLength(series.length);
      series.forEach((v, i) => expectSame(got[i], referenceReplicateSums(cluster, v, boot.seed, B)));
    });
  }

  it('handles 0 replicates, one cluster, no series and Float32 values', () => {
    const { cluster, series } = data(1, 500, 50, 6);
    const none = new ClusterBootstrap(cluster, { seed: 3, replicates: 0 }).batch(series);
    series.forEach((v, i) => expectSame(none[i], referenceReplicateSums(cluster, v, 3, 0)));
    expect(none[1].sumWS.length).toBe(0);
    const one = new Int32Array(500).fill(42);
    const single = new ClusterBootstrap(one, { seed: 3, replicates: 50 });
    series.forEach((v, i) => expectSame(single.batch(series)[i], referenceReplicateSums(one, v, 3, 50)));
    expect(single.batch([])).toEqual([]);
    const f32 = Float32Array.from(series[4]);
    expectSame(single.replicateSums(f32), referenceReplicateSums(one, f32, 3, 50));
  });

  it('gives each series its own arrays, even for identical series', () => {
    const { cluster, series } = data(2, 800, 90, 6);
    const boot = new ClusterBootstrap(cluster, { seed: 8, replicates: 40 });
    const [a, b] = boot.batch([series[1], series[1]]);
    expect(a.sumWS).not.toBe(b.sumWS);
    a.sumWS[0] = 123;
    expect(b.sumWS[0]).not.toBe(123);
  });

  it('rejects a series of the wrong length', () => {
    const boot = new ClusterBootstrap(Int32Array.of(1, 2, 3), { seed: 1, replicates: 10 });
    expect(() => boot.batch([new Float64Array(2)])).toThrow('invalid values: length 2; expected 3 (one per request)');
    expect(() => new ClusterBootstrap(Int32Array.of(1), { seed: 1, replicates: 10, threads: 0 })).toThrow('invalid threads: 0');
  });
});

describe('IntervalBatch', () => {
  it('fills intervals, means and p-values equal to the one-series calls, then runs callbacks in order', () => {
    const { cluster, series } = data(3, 2500, 300, 6);
    const boot = new ClusterBootstrap(cluster, { seed: 11, replicates: 300 });
    const ib = new IntervalBatch(boot);
    const handles = series.map((v) => ib.add(v));
    handles.forEach((h, i) => {
      expect(Object.is(h.mean, quantizedMean(series[i]))).toBe(true);
      expect(h.interval.lo).toBeNaN();
    });
    const order: number[] = [];
    ib.afterRun(() => order.push(1));
    ib.afterRun(() => order.push(2));
    ib.run();
    expect(order).toEqual([1, 2]);
    series.forEach((v, i) => {
      expect(handles[i].interval).toEqual(boot.interval(v));
      expect(handles[i].means()).toEqual(boot.replicateMeans(v));
      expect(Object.is(handles[i].pValue(), pairedPValue(v, boot))).toBe(true);
      expect(Object.is(pValueFromSums(handles[i].sums()), pairedPValue(v, boot))).toBe(true);
    });
    expect(() => ib.add(series[0])).toThrow('add after run');
    expect(() => ib.run()).toThrow('run twice');
  });

  it('addKeyed builds and reduces a key once; the other handles of that key get the same sums in their own arrays', () => {
    const { cluster, series } = data(4, 2000, 250, 6);
    const boot = new ClusterBootstrap(cluster, { seed: 12, replicates: 200 });
    const ib = new IntervalBatch(boot);
    const built: string[] = [];
    const keyed = (key: string, i: number) =>
      ib.addKeyed(key, () => {
        built.push(key);
        return series[i];
      });
    const handles = [keyed('a', 1), keyed('b', 3), keyed('a', 1), ib.add(series[3]), keyed('a', 1)];
    expect(built).toEqual(['a', 'b']);
    expect(ib.counts()).toMatchObject({ series: 5, reduced: 3 });
    ib.run();
    const want = [1, 3, 1, 3, 1].map((i) => boot.replicateSums(series[i]));
    handles.forEach((h, i) => {
      expectSame(h.sums(), want[i]);
      expect(h.interval).toEqual(boot.interval(series[[1, 3, 1, 3, 1][i]]));
    });
    expect(handles[0].sums().sumWS).not.toBe(handles[2].sums().sumWS);
    expect(() => keyed('a', 1)).toThrow('add after run');
  });

  it('quantizedMean is the interval mean: quantized values, NaN skipped', () => {
    expect(quantizedMean(Float64Array.of(0.25, NaN, 0.75))).toBe(0.5);
    expect(quantizedMean(Float64Array.of(NaN))).toBeNaN();
    // 2^-31 rounds to the 2^-30 grid: to 0 (round half up of 0.5 quanta) or one quantum.
    expect(quantizedMean(Float64Array.of(2 ** -32))).toBe(0);
  });
});
