// Small logs and contexts for model tests: a clustered log where each person browses one cluster of
// items in order, so sequence and co-occurrence models have something to learn in milliseconds.
import { logFromRows, type EventLog } from '../../src/log/eventLog.ts';
import { groupEvents, lowerBoundTime } from '../../src/log/groupIndex.ts';
import type { FitContext, Model, Profile } from '../../src/models/model.ts';
import { Rng } from '../../src/util/rng.ts';

export const D = 86_400_000;

/**
 * `persons` persons over 20 days; items i0..i{items-1} in `clusters` clusters; each person views
 * runs of consecutive items of their own cluster and buys some. Deterministic for the seed.
 */
export function clusterLog(seed = 1, persons = 120, items = 40, clusters = 4): EventLog {
  const rng = Rng.fromSeed(seed);
  const per = items / clusters;
  const rows: Parameters<typeof logFromRows>[0][number][] = [];
  for (let p = 0; p < persons; p++) {
    const c = p % clusters;
    let t = rng.float() * D;
    let at = rng.int(per);
    for (let e = 0; e < 30; e++) {
      at = (at + 1 + rng.int(2)) % per;
      const item = `i${c * per + at}`;
      rows.push({ t, person: `P${p}`, key: `k${p}`, item, type: rng.float() < 0.2 ? 'purchase' : 'view' });
      t += (rng.float() * 20 * D) / 30;
    }
  }
  return logFromRows(rows);
}

/** A fit context splitting at untilMs, purchases positive, seeded. */
export function fitContext(log: EventLog, untilMs: number, seed = 1, onProgress?: (line: string) => void): FitContext {
  const isPositive = new Uint8Array(256);
  isPositive[log.dict.type.indexOf('purchase')] = 1;
  return {
    log,
    untilMs,
    trainBound: lowerBoundTime(log.tsMs, untilMs),
    isPositive,
    trainByPerson: groupEvents(log.person, log.dict.person.length),
    rng: Rng.fromSeed(seed),
    onProgress,
  };
}

/** Profiles of every person's events before `t` (the frozen view at t). */
export function profilesAt(log: EventLog, t: number): Profile[] {
  const byPerson = groupEvents(log.person, log.dict.person.length);
  const bound = lowerBoundTime(log.tsMs, t);
  const out: Profile[] = [];
  for (let p = 0; p < byPerson.groups; p++) {
    const ev = byPerson.events.subarray(byPerson.offsets[p], byPerson.offsets[p + 1]).filter((e) => e < bound);
    out.push({ events: ev, nowMs: t, requestId: p });
  }
  return out;
}

/** Scores of each profile through `score` (one at a time). */
export function scoreEach(model: Model, profiles: readonly Profile[]): Float32Array {
  const out = new Float32Array(profiles.length * model.nItems);
  profiles.forEach((p, r) => model.score(p, out.subarray(r * model.nItems, (r + 1) * model.nItems)));
  return out;
}

/** Scores of all profiles through `scoreBatch`. */
export function scoreBatch(model: Model, profiles: readonly Profile[]): Float32Array {
  const out = new Float32Array(profiles.length * model.nItems);
  model.scoreBatch!(profiles, out);
  return out;
}

/**
 * Training rows with hand-countable co-occurrence: persons' item sets before day 4 are P0 {a, b},
 * P1 {a, b, c}, P2 {c, d}; items are interned a=0, b=1, c=2, d=3.
 */
export const HAND_TRAIN: Parameters<typeof logFromRows>[0] = [
  { t: 1 * D, person: 'P0', key: 'k0', item: 'a', type: 'view' },
  { t: 1.1 * D, person: 'P0', key: 'k0', item: 'b', type: 'purchase' },
  { t: 2 * D, person: 'P1', key: 'k1', item: 'a', type: 'view' },
  { t: 2.1 * D, person: 'P1', key: 'k1', item: 'b', type: 'view' },
  { t: 2.2 * D, person: 'P1', key: 'k1', item: 'c', type: 'purchase' },
  { t: 3 * D, person: 'P2', key: 'k2', item: 'c', type: 'view' },
  { t: 3.1 * D, person: 'P2', key: 'k2', item: 'd', type: 'purchase' },
  { t: 3.2 * D, person: 'P2', key: 'k2', item: 'd', type: 'purchase' },
];
