// How well a key clustering matches the truth (the person column): pairwise and B-cubed precision/recall
// over keys and keys per person. This is what an identity resolver is judged by, next to the served metric
// it produces; the per-request purity and coverage of served profiles are measured where the views are
// built (pipeline/resolutionQuality.ts).
import type { EventLog } from '../log/eventLog.ts';
import { groupPrefix, type GroupIndex } from '../log/groupIndex.ts';

/** Quality of one resolver; every value in [0, 1] except keysPerPerson (>= 1), NaN when undefined. */
export interface ResolutionQuality {
  /** Of key pairs put in one cluster, the share that belong to one person (1 when no pair is merged). */
  pairwisePrecision: number;
  /** Of key pairs that belong to one person, the share put in one cluster (1 when no person has two keys). */
  pairwiseRecall: number;
  /** B-cubed (Bagga & Baldwin 1998): per key, the share of its cluster that is its person's, averaged over keys. */
  bcubedPrecision: number;
  /** B-cubed: per key, the share of its person's keys that are in its cluster, averaged over keys. */
  bcubedRecall: number;
  /** Distinct clusters a person's keys fall into, averaged over persons (1 = every person resolved). */
  keysPerPerson: number;
  /** Share of a served profile's events that are the requesting person's, averaged over requests with a non-empty profile. */
  purity: number;
  /**
   * Share of the requesting person's visible history (their events on any key before the request's cut)
   * that the served profile contains, averaged over requests whose person has such history. The
   * identity counterpart of recall at event level: 1 for oracle, the request key's share for `key`.
   */
  coverage: number;
  /** Keys and persons behind the key-level numbers, requests behind purity and coverage. */
  keys: number;
  persons: number;
  requests: number;
  /** The cut at which key-level numbers are taken: the last request's (ms; NaN = end of log). */
  atMs: number;
}

/**
 * key -> the person with most of its events before `bound` (ties: smaller index), -1 for keys without.
 *
 * @example
 * majorityPerson(log, groupEvents(log.key, log.dict.key.length), log.length)[k]
 */
export function majorityPerson(log: EventLog, byKey: GroupIndex, bound: number): Int32Array {
  const owner = new Int32Array(byKey.groups).fill(-1);
  const count = new Int32Array(log.dict.person.length);
  const touched: number[] = [];
  for (let k = 0; k < byKey.groups; k++) {
    const ev = groupPrefix(byKey, k, bound);
    if (ev.length === 0) continue;
    const first = log.person[ev[0]];
    let single = true;
    for (let j = 1; j < ev.length && single; j++) single = log.person[ev[j]] === first;
    if (single) {
      owner[k] = first;
      continue;
    }
    let best = -1;
    for (let j = 0; j < ev.length; j++) {
      const p = log.person[ev[j]];
      if (count[p]++ === 0) touched.push(p);
      if (best < 0 || count[p] > count[best] || (count[p] === count[best] && p < best)) best = p;
    }
    owner[k] = best;
    for (const p of touched) count[p] = 0;
    touched.length = 0;
  }
  return owner;
}

/**
 * Pairwise and B-cubed precision/recall and keys per person of a key clustering against key owners
 * (keys with owner -1 are left out), from the cluster x person contingency table n_cp:
 * TP = sum C(n_cp, 2), predicted = sum_c C(a_c, 2), true = sum_p C(b_p, 2);
 * B-cubed precision = sum n_cp^2 / a_c / N, recall = sum n_cp^2 / b_p / N.
 *
 * @example
 * keyClusterQuality(Int32Array.of(0, 0, 1), (k) => [0, 0, 0][k]) // precision 1/3, recall 1
 */
export function keyClusterQuality(
  owner: Int32Array,
  clusterOf: (k: number) => number,
): Pick<ResolutionQuality, 'pairwisePrecision' | 'pairwiseRecall' | 'bcubedPrecision' | 'bcubedRecall' | 'keysPerPerson' | 'keys' | 'persons'> {
  const cells = new Map<number, number>();
  const clusterSize = new Map<number, number>();
  const personSize = new Map<number, number>();
  let persons = 0;
  let maxPerson = 0;
  for (let k = 0; k < owner.length; k++) if (owner[k] > maxPerson) maxPerson = owner[k];
  const stride = maxPerson + 1;
  let N = 0;
  for (let k = 0; k < owner.length; k++) {
    const p = owner[k];
    if (p < 0) continue;
    N++;
    const c = clusterOf(k);
    const cell = c * stride + p;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
    clusterSize.set(c, (clusterSize.get(c) ?? 0) + 1);
    const before = personSize.get(p) ?? 0;
    if (before === 0) persons++;
    personSize.set(p, before + 1);
  }
  const pairs = (n: number) => (n * (n - 1)) / 2;
  let tp = 0;
  let bp = 0;
  let br = 0;
  for (const [cell, n] of cells) {
    const c = Math.floor(cell / stride);
    const p = cell - c * stride;
    tp += pairs(n);
    bp += (n * n) / clusterSize.get(c)!;
    br += (n * n) / personSize.get(p)!;
  }
  let predicted = 0;
  for (const a of clusterSize.values()) predicted += pairs(a);
  let truth = 0;
  for (const b of personSize.values()) truth += pairs(b);
  return {
    pairwisePrecision: predicted > 0 ? tp / predicted : 1,
    pairwiseRecall: truth > 0 ? tp / truth : 1,
    bcubedPrecision: N ? bp / N : NaN,
    bcubedRecall: N ? br / N : NaN,
    keysPerPerson: persons ? cells.size / persons : NaN,
    keys: N,
    persons,
  };
}

/**
 * One summary line, e.g. `daily-stitched  login  pairwise P 1.000 R 0.412  B3 P 1.000 R 0.655  purity 0.998  coverage 0.712  keys/person 1.62`.
 *
 * @example
 * console.log(formatResolutionQuality('daily-stitched', 'login', q));
 */
export function formatResolutionQuality(pipeline: string, resolver: string, q: ResolutionQuality): string {
  const f = (x: number) => (x === x ? x.toFixed(3) : 'n/a');
  return `${pipeline}  ${resolver}  pairwise P ${f(q.pairwisePrecision)} R ${f(q.pairwiseRecall)}  B3 P ${f(q.bcubedPrecision)} R ${f(q.bcubedRecall)}  purity ${f(q.purity)}  coverage ${f(q.coverage)}  keys/person ${q.keysPerPerson === q.keysPerPerson ? q.keysPerPerson.toFixed(2) : 'n/a'}`;
}
