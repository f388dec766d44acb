import { describe, expect, it } from 'vitest';
import { formatResolutionQuality, keyClusterQuality, majorityPerson } from '../../src/identity/quality.ts';
import { resolutionQuality } from '../../src/pipeline/resolutionQuality.ts';
import { groupEvents } from '../../src/log/groupIndex.ts';
import type { ServingConfig } from '../../src/pipeline/serving.ts';
import type { IdentityResolver } from '../../src/scenario/types.ts';
import { D, signalLog } from './fixtures.ts';

// Person A: app a1 and cookie c1 both log in as uA; cookie d1 never logs in. Person B: b1 logs in as uB,
// and so does the shared device s1, which A also used once (B is its majority user).
const log = signalLog([
  { t: 0, person: 'A', key: 'a1', item: 'i1', login: 'uA' },
  { t: 0.2 * D, person: 'A', key: 's1', item: 'i9' },
  { t: 0.3 * D, person: 'B', key: 's1', item: 'i8', login: 'uB' },
  { t: 0.4 * D, person: 'B', key: 's1', item: 'i7' },
  { t: 0.5 * D, person: 'B', key: 'b1', item: 'i4', login: 'uB' },
  { t: 1 * D, person: 'A', key: 'a1', item: 'i2' },
  { t: 1.5 * D, person: 'A', key: 'd1', item: 'i5' },
  { t: 2 * D, person: 'A', key: 'c1', item: 'i3', login: 'uA' },
  { t: 4 * D, person: 'A', key: 'c1', item: 'i6' },
]);
const key = (k: string) => log.dict.key.indexOf(k);
const person = (p: string) => log.dict.person.indexOf(p);
const requests = { length: 2, tsMs: Float64Array.of(3 * D, 3 * D), key: Int32Array.of(key('c1'), key('b1')), person: Int32Array.of(person('A'), person('B')) };
const config = (identity: IdentityResolver): ServingConfig => ({
  refresh: { kind: 'stream' },
  latencyMs: 0,
  identity,
  channels: null,
  originMs: 0,
  retrainMs: null,
});

describe('keyClusterQuality', () => {
  it('computes pairwise and B-cubed numbers from the contingency table', () => {
    // Three keys of person 0 all in one cluster with a key of person 1.
    const q = keyClusterQuality(Int32Array.of(0, 0, 0, 1), () => 7);
    expect(q.pairwisePrecision).toBeCloseTo(3 / 6, 12);
    expect(q.pairwiseRecall).toBe(1);
    expect(q.bcubedPrecision).toBeCloseTo((3 * (3 / 4) + 1 / 4) / 4, 12);
    expect(q.bcubedRecall).toBe(1);
    expect(q.keysPerPerson).toBe(1);
    expect(keyClusterQuality(Int32Array.of(0, 0, -1, 1), (k) => k)).toMatchObject({
      pairwisePrecision: 1,
      pairwiseRecall: 0,
      keys: 3,
      persons: 2,
      keysPerPerson: 1.5,
    });
  });
});

describe('majorityPerson', () => {
  it('gives a shared key to its majority user, and nothing to keys without visible events', () => {
    const owner = majorityPerson(log, groupEvents(log.key, log.dict.key.length), 7);
    expect(owner[key('s1')]).toBe(person('B'));
    expect(owner[key('a1')]).toBe(person('A'));
    expect(owner[key('c1')]).toBe(-1);
  });
});

describe('resolutionQuality', () => {
  it('login: hand-computed precision, recall, purity and coverage', () => {
    const q = resolutionQuality(log, config('login'), requests);
    // Key level at the cut 3d: clusters {a1, c1}, {s1, b1}, {d1}; A owns a1, c1, d1 and B owns s1, b1.
    expect(q.pairwisePrecision).toBe(1);
    expect(q.pairwiseRecall).toBeCloseTo(2 / 4, 12);
    expect(q.bcubedPrecision).toBe(1);
    expect(q.bcubedRecall).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5, 12);
    expect(q.keysPerPerson).toBe(1.5);
    // c1 (A) is served a1 + c1: 3 events, all A's, of A's 5 before the cut. b1 (B) is served s1 + b1:
    // 4 events of which 3 are B's, all of B's history.
    expect(q.purity).toBeCloseTo((1 + 3 / 4) / 2, 12);
    expect(q.coverage).toBeCloseTo((3 / 5 + 1) / 2, 12);
    expect(q).toMatchObject({ keys: 5, persons: 2, requests: 2, atMs: 3 * D });
  });

  it('key: no merges, the request key only', () => {
    const q = resolutionQuality(log, config('key'), requests);
    expect(q).toMatchObject({ pairwisePrecision: 1, pairwiseRecall: 0, keysPerPerson: 2.5 });
    expect(q.coverage).toBeCloseTo((1 / 5 + 1 / 3) / 2, 12);
  });

  it('oracle: perfect on every count', () => {
    expect(resolutionQuality(log, config('oracle'), requests)).toMatchObject({
      pairwisePrecision: 1,
      pairwiseRecall: 1,
      bcubedPrecision: 1,
      bcubedRecall: 1,
      purity: 1,
      coverage: 1,
      keysPerPerson: 1,
    });
  });

  it('formats one summary line', () => {
    const line = formatResolutionQuality('daily', 'login', resolutionQuality(log, config('login'), requests));
    expect(line).toBe('daily  login  pairwise P 1.000 R 0.500  B3 P 1.000 R 0.733  purity 0.875  coverage 0.800  keys/person 1.50');
  });
});
