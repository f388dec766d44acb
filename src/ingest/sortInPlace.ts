// Time order without a second copy of the log: the stable order comes from the log module's radix sort, then
// every column is permuted in place along the permutation's cycles, all columns in one walk.
import { COLUMN_NAMES, stableTimeOrder, type LogColumns } from '../log/eventLog.ts';

/**
 * Sort the columns by time, ties in their current order; `extra` columns (identity signals) move along.
 * Extra memory: the order (4 bytes per row) and a mark per row, plus the radix sort's own buffers while the
 * order is computed.
 *
 * @example
 * sortByTimeInPlace(cols); // cols.tsMs ascending; every other column moved along
 */
export function sortByTimeInPlace(cols: LogColumns, extra: readonly Int32Array[] = []): void {
  const n = cols.tsMs.length;
  const order = stableTimeOrder(cols.tsMs, n);
  if (order === null) return;
  const arrays = [...COLUMN_NAMES.map((name) => cols[name] as unknown as Float64Array), ...(extra as unknown as Float64Array[])];
  const k = arrays.length;
  // Every value (float64, float32, int32, uint8) is exact in a double.
  const held = new Float64Array(k);
  const done = new Uint8Array(n);
  for (let start = 0; start < n; start++) {
    if (done[start]) continue;
    done[start] = 1;
    if (order[start] === start) continue;
    for (let c = 0; c < k; c++) held[c] = arrays[c][start];
    // Position j receives the row order[j]; follow the cycle until it comes back to start.
    let j = start;
    for (;;) {
      const from = order[j];
      if (from === start) {
        for (let c = 0; c < k; c++) arrays[c][j] = held[c];
        break;
      }
      for (let c = 0; c < k; c++) arrays[c][j] = arrays[c][from];
      done[from] = 1;
      j = from;
    }
  }
}
