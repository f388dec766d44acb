// Turns a profile (event indices) into model inputs: distinct items with recency weights (ease, mf) or the
// recent item sequence (sequential models). Scratch buffers live in the reader, allocated once per model.
import type { EventLog } from '../log/eventLog.ts';
import type { ItemMap } from './itemMap.ts';

export interface WeightedItems {
  /** Number of distinct items. */
  n: number;
  /** Model item indices, newest first. */
  items: Int32Array;
  /** Weight of each item: 2^(-(newest - ts of its latest event) / halfLife); 1 with no half-life. */
  weights: Float32Array;
}

/**
 * A reader of profiles for one model. Weights are relative to the profile's newest event, so they
 * depend only on which events the profile holds (the model's `dependsOn: 'events'`).
 *
 * @example
 * const read = profileReader(log, map, 7 * 86400000);
 * const { n, items, weights } = read.distinct(profile.events);
 */
export function profileReader(log: EventLog, map: ItemMap, halfLifeMs: number) {
  const stamp = new Int32Array(map.nModel);
  let gen = 0;
  let cap = 64;
  let items = new Int32Array(cap);
  let weights = new Float32Array(cap);
  const decay = halfLifeMs > 0 && Number.isFinite(halfLifeMs) ? Math.LN2 / halfLifeMs : 0;
  let seq = new Int32Array(cap);
  return {
    /** Distinct known items, newest first, with recency weights. The result is reused by the next call. */
    distinct(events: Int32Array, maxItems = Infinity): WeightedItems {
      if (++gen === 0x7fffffff) {
        stamp.fill(0);
        gen = 1;
      }
      const ref = events.length ? log.tsMs[events[events.length - 1]] : 0;
      let n = 0;
      for (let x = events.length - 1; x >= 0 && n < maxItems; x--) {
        const e = events[x];
        const m = map.logToModel[log.item[e]];
        if (m < 0 || stamp[m] === gen) continue;
        stamp[m] = gen;
        if (n === cap) {
          cap *= 2;
          items = grow(items, cap);
          weights = grow(weights, cap);
        }
        items[n] = m;
        weights[n] = decay ? Math.exp(-decay * (ref - log.tsMs[e])) : 1;
        n++;
      }
      return { n, items, weights };
    },
    /** The last `len` known items in time order (oldest first), consecutive repeats collapsed. */
    recent(events: Int32Array, len: number): Int32Array {
      if (seq.length < len) seq = new Int32Array(len);
      let n = 0;
      let prev = -1;
      // Walk back, then reverse in place.
      for (let x = events.length - 1; x >= 0 && n < len; x--) {
        const m = map.logToModel[log.item[events[x]]];
        if (m < 0 || m === prev) continue;
        seq[n++] = m;
        prev = m;
      }
      const out = seq.subarray(0, n);
      out.reverse();
      return out;
    },
  };
}

export type ProfileReader = ReturnType<typeof profileReader>;

function grow<T extends Int32Array | Float32Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}
