import { describe, expect, it } from 'vitest';
import { fitRelevanceLosses, type RelevanceLossFit } from '../../src/eval/ageCurve.ts';
import { type FitWorkerData, runFitJobs, startFits } from '../../src/eval/fitThreads.ts';
import { Rng } from '../../src/util/rng.ts';

const D = 86_400_000;

function jobs(seed: number, count: number, R: number) {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: count }, (_, j) => {
    const lagMs = Float64Array.from({ length: R }, () => {
      const u = rng.float();
      return u < 0.25 ? 0 : u < 0.35 ? Infinity : u < 0.37 ? NaN : rng.exponential(1 / ((j + 1) * D));
    });
    const loss = (scale: number) => Float64Array.from(lagMs, (a) => scale * (a === Infinity ? 1 : -Math.expm1(-(a || 0) / D)) + 0.05 * rng.normal());
    // The last job's lags are all 0: a degenerate fit.
    if (j === count - 1) lagMs.fill(0);
    return { lagMs, losses: [loss(0.3), loss(0.1)] };
  });
}

function expectSameFits(got: RelevanceLossFit[][], want: RelevanceLossFit[][]) {
  expect(got.length).toBe(want.length);
  got.forEach((fits, j) =>
    fits.forEach((f, k) => {
      expect(Object.keys(f)).toEqual(Object.keys(want[j][k]));
      for (const key of Object.keys(f) as Array<keyof RelevanceLossFit>) expect(Object.is(f[key], want[j][k][key])).toBe(true);
    }),
  );
}

describe('startFits', () => {
  it('gives the fits of fitRelevanceLosses, bit for bit, in this thread and with a worker', () => {
    const js = jobs(31, 4, 1500);
    const want = js.map((j) => fitRelevanceLosses(j.lagMs, j.losses));
    expectSameFits(startFits(js, 1).join(), want);
    expectSameFits(startFits(js, 2).join(), want);
    expect(startFits([], 2).join()).toEqual([]);
  });
});

describe('runFitJobs', () => {
  it('fits the open jobs in order, skips those the caller took, and writes six doubles per fit', () => {
    const js = jobs(32, 3, 800);
    const status = new Int32Array(3);
    status[1] = 3; // taken by the caller
    const data: FitWorkerData = {
      jobs: js.map((j, i) => ({ lagMs: j.lagMs, losses: [...j.losses], at: i * 12 })),
      status,
      results: new Float64Array(36).fill(-1),
    };
    runFitJobs(data);
    expect([...status]).toEqual([2, 3, 2]);
    for (const i of [0, 2]) {
      fitRelevanceLosses(js[i].lagMs, js[i].losses).forEach((f, k) => {
        const o = i * 12 + k * 6;
        expect([...data.results.subarray(o, o + 6)]).toEqual([f.lInf, f.tauMs, f.rmse, f.n, f.nEmpty, f.tauAtBound ? 1 : 0]);
      });
    }
    expect([...data.results.subarray(12, 24)]).toEqual(new Array(12).fill(-1));
  });

  it('marks a job whose fit throws as failed (the caller redoes it)', () => {
    const status = new Int32Array(1);
    runFitJobs({ jobs: [{ lagMs: new Float64Array(3), losses: [new Float64Array(2)], at: 0 }], status, results: new Float64Array(6) });
    expect(status[0]).toBe(4);
  });
});
