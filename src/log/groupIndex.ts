// CSR grouping of event indices by an id column (person, key). Because the log is sorted by time,
// each group's event indices come out in time order, and "events before time t" is a prefix.

/**
 * Events grouped by id: group g owns `events[offsets[g] .. offsets[g + 1])`, ascending (= time order).
 *
 * @example
 * const byKey = groupEvents(log.key, log.dict.key.length);
 * byKey.events.subarray(byKey.offsets[k], byKey.offsets[k + 1]); // key k's events
 */
export interface GroupIndex {
  readonly groups: number;
  readonly offsets: Int32Array;
  readonly events: Int32Array;
}

/**
 * Group event indices by `ids` (values < 0 are skipped), optionally keeping only events where `keep[i]` is 1.
 */
export function groupEvents(ids: Int32Array, groups: number, keep?: Uint8Array): GroupIndex {
  const n = ids.length;
  const offsets = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) {
    const g = ids[i];
    if (g >= 0 && (keep === undefined || keep[i])) offsets[g + 1]++;
  }
  for (let g = 0; g < groups; g++) offsets[g + 1] += offsets[g];
  const events = new Int32Array(offsets[groups]);
  const fill = offsets.slice(0, groups);
  for (let i = 0; i < n; i++) {
    const g = ids[i];
    if (g >= 0 && (keep === undefined || keep[i])) events[fill[g]++] = i;
  }
  return { groups, offsets, events };
}

/** Group g's events with index < bound (i.e. strictly before the time that `bound` marks), zero-copy. */
export function groupPrefix(index: GroupIndex, g: number, bound: number): Int32Array {
  const lo = index.offsets[g];
  const end = lowerBoundInt(index.events, lo, index.offsets[g + 1], bound);
  return index.events.subarray(lo, end);
}

/** First position in a[lo, hi) whose value is >= x (a ascending). */
export function lowerBoundInt(a: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in ts (ascending) whose value is >= t: the number of events strictly before t. */
export function lowerBoundTime(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
