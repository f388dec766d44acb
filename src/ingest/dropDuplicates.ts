// Duplicate events: rows identical in every column read (time, ids, type, value, identity signals) to an earlier
// row. A duplicated purchase would count twice as a label, so repeats are dropped and counted, the first kept.
// On time-sorted columns duplicates share a time, so one pass compares each row only with the kept rows of its
// run of equal times (hashed when a run is long); a second pass, only when there are repeats, closes the gaps
// column by column.
import { FIRST_RECORDS } from './streamRows.ts';
import type { LogColumns } from '../log/eventLog.ts';

/** Duplicate events: how many, and the first ones' records with the record of the event each repeats. */
export interface Duplicates {
  readonly count: number;
  readonly first: ReadonlyArray<{ readonly record: number; readonly original: number }>;
}

/** Above this many kept rows in one run of equal times, rows are found by hash instead of compared one by one. */
const LINEAR_RUN = 16;

type Column = Float64Array | Float32Array | Int32Array | Uint8Array;

/**
 * Drop repeats from time-sorted columns (ties in file order), moving `extra` columns and `records` along; returns
 * the new length (the arrays keep their size: use their first `length` values) and what was dropped.
 *
 * @example
 * const { length, duplicates } = dropDuplicates(cols, [ip, userAgent], records);
 * duplicates.first[0]; // { record: 3, original: 2 }: record 3 repeats record 2
 */
export function dropDuplicates(cols: LogColumns, extra: readonly Int32Array[], records: Int32Array): { length: number; duplicates: Duplicates } {
  const n = cols.tsMs.length;
  const ts = cols.tsMs;
  // Every column but time, as numbers to compare; value by its float32 bits, so -0 and 0 differ as their text did.
  const valueBits = new Int32Array(cols.value.buffer, cols.value.byteOffset, cols.value.length);
  const keys: ReadonlyArray<ArrayLike<number>> = [cols.item, cols.key, cols.person, cols.type, cols.session, cols.login, cols.channel, valueBits, ...extra];
  const same = (a: number, b: number) => {
    for (const c of keys) if (c[a] !== c[b]) return false;
    return true;
  };
  const hash = (i: number) => {
    let h = 0x811c9dc5;
    for (const c of keys) h = Math.imul(h ^ c[i], 0x01000193);
    return h;
  };
  const first: Array<{ record: number; original: number }> = [];
  const dropped: number[] = [];
  // The current run of equal times: where it starts, where its drops start in `dropped`, its kept rows by hash
  // once it is long. Most runs are one row long: that path does nothing but compare two times.
  let runStart = 0;
  let runDrops = 0;
  let byHash: Map<number, number[]> | null = null;
  const isKept = (j: number) => dropped.indexOf(j, runDrops) < 0;
  for (let i = 1; i < n; i++) {
    if (ts[i] !== ts[i - 1]) {
      runStart = i;
      runDrops = dropped.length;
      byHash = null;
      continue;
    }
    let original = -1;
    if (i - runStart <= LINEAR_RUN) {
      for (let j = runStart; j < i && original < 0; j++) if (same(j, i) && isKept(j)) original = j;
    } else {
      if (byHash === null) {
        byHash = new Map();
        const gone = new Set(dropped.slice(runDrops));
        for (let j = runStart; j < i; j++) if (!gone.has(j)) add(byHash, hash(j), j);
      }
      original = byHash.get(hash(i))?.find((j) => same(j, i)) ?? -1;
    }
    if (original >= 0) {
      dropped.push(i);
      keepFirst(first, { record: records[i], original: records[original] });
    } else if (byHash !== null) add(byHash, hash(i), i);
  }
  if (dropped.length > 0) for (const c of [...Object.values(cols), ...extra, records] as Column[]) closeGaps(c, dropped, n);
  return { length: n - dropped.length, duplicates: { count: dropped.length, first } };
}

/** Remove the rows at `dropped` (ascending) from the first `n` values of `c`, keeping order. */
function closeGaps(c: Column, dropped: readonly number[], n: number): void {
  let w = dropped[0];
  if (dropped.length * 32 < n) {
    // Few gaps: move each stretch between them at once.
    for (let k = 0; k < dropped.length; k++) {
      const from = dropped[k] + 1;
      const to = k + 1 < dropped.length ? dropped[k + 1] : n;
      c.copyWithin(w, from, to);
      w += to - from;
    }
    return;
  }
  for (let k = 0, r = w; r < n; r++) {
    if (k < dropped.length && r === dropped[k]) k++;
    else c[w++] = c[r];
  }
}

function add(map: Map<number, number[]>, h: number, j: number): void {
  const list = map.get(h);
  if (list === undefined) map.set(h, [j]);
  else list.push(j);
}

/** Rows are visited in time order: keep the FIRST_RECORDS lowest records (file order), ascending. */
function keepFirst(first: Array<{ record: number; original: number }>, d: { record: number; original: number }): void {
  // Records holding several events (OTTO) are named once.
  if ((first.length === FIRST_RECORDS && d.record > first[FIRST_RECORDS - 1].record) || first.some((f) => f.record === d.record)) return;
  let at = first.length;
  while (at > 0 && first[at - 1].record > d.record) at--;
  first.splice(at, 0, d);
  if (first.length > FIRST_RECORDS) first.pop();
}
