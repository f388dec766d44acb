import { describe, expect, it } from 'vitest';
import { assemble, canonicalTables, type PipelinePlan } from '../../src/run/assemble.ts';
import { METRIC_COUNT } from '../../src/eval/metrics.ts';
import type { SourceResult } from '../../src/eval/replay.ts';
import { ClusterBootstrap } from '../../src/stats/bootstrap.ts';
import { Rng } from '../../src/util/rng.ts';
import { referenceAssemble } from './assembleReference.ts';

const D = 86_400_000;

/** A small workload shaped like a run's: 8 views x 2 models, some tables bitwise equal to others (copies and the same object). */
function workload(seed: number, R: number, persons: number) {
  const rng = Rng.fromSeed(seed);
  const ks = [5, 10];
  const cols = ks.length * METRIC_COUNT;
  const person = Int32Array.from({ length: R }, () => Math.floor(persons * rng.float() ** 2) * 31 + 3);
  const table = (zeroShare: number) => Float32Array.from({ length: R * cols }, () => (rng.float() < zeroShare ? 0 : rng.float()));
  const perturb = (t: Float32Array, share: number) => t.map((x) => (rng.float() < share ? 0 : x));
  const popFrozen = table(0.7);
  const knnFrozen = table(0.5);
  const frozenAge = Float64Array.from({ length: R }, () => (rng.float() < 0.02 ? NaN : rng.exponential(1 / D)));
  const knn: Float32Array[] = [knnFrozen];
  for (let s = 1; s < 8; s++) knn.push(s === 7 ? knnFrozen : s === 4 ? knn[1].slice() : perturb(knnFrozen, 0.2));
  const sources: SourceResult[] = knn.map((k, s) => ({
    // The popularity model scores every view alike: copies, one of them the very same object.
    metrics: [s === 3 ? popFrozen : popFrozen.slice(), k],
    ageMs: Float64Array.from(frozenAge, (a) => {
      const u = rng.float();
      return s === 0 || s === 7 || a !== a ? a : u < 0.3 ? a : u < 0.45 ? NaN : a + rng.exponential(1 / (2 * D));
    }),
    viewSize: new Int32Array(R),
    unknownKey: Uint8Array.from({ length: R }, () => (s > 0 && rng.float() < 0.1 ? 1 : 0)),
  }));
  const plans: PipelinePlan[] = [
    { name: 'weekly', factors: ['staleness', 'identity'], source: 1, subsetSources: [1, 2, 3, 0] },
    { name: 'daily', factors: ['staleness', 'identity'], source: 4, subsetSources: [4, 5, 6, 0] },
    { name: 'one', factors: ['channels'], source: 5, subsetSources: [5, 0] },
    { name: 'three', factors: ['staleness', 'identity', 'channels'], source: 2, subsetSources: [2, 3, 1, 4, 6, 5, 7, 0] },
    { name: 'oracle', factors: [], source: 7, subsetSources: [0] },
  ];
  return { person, ks, sources, plans };
}

/** JSON in which every number is written exactly (and -0, NaN, Infinity are told apart). */
function exact(x: unknown): string {
  return JSON.stringify(x, (_, v) => (typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : v instanceof Map ? [...v] : v));
}

describe('assemble', () => {
  it('equals the reference (series built one by one, never shared) bit for bit, for 1 and 2 threads', () => {
    const { person, ks, sources, plans } = workload(5, 3000, 300);
    const input = (threads: number) => ({
      models: [{ name: 'pop' }, { name: 'knn' }],
      ks,
      ageEdgesMs: [3_600_000, D, 7 * D],
      nRequests: person.length,
      sources,
      pipelines: plans,
      bootstrap: new ClusterBootstrap(person, { seed: 99, replicates: 200, threads }),
    });
    const want = exact(referenceAssemble(input(1)));
    expect(exact(assemble(input(1)))).toBe(want);
    expect(exact(assemble(input(2)))).toBe(want);
  });
});

describe('canonicalTables', () => {
  it('maps each table to the first with the same bits', () => {
    const a = Float32Array.of(1, 0, 2);
    const b = Float32Array.of(1, -0, 2);
    const nan = Float32Array.of(NaN, 1);
    expect(canonicalTables([a, b, a.slice(), a, nan, nan.slice(), Float32Array.of(1, 0)])).toEqual([0, 1, 0, 0, 4, 4, 6]);
  });
});
