// Per-person drift evidence: a person's events are cut into windows (bursts of activity), each window
// is split into two interleaved halves, and every pair of windows whose lag falls in a lag bin adds
// "similarity across the lag" and "similarity within each window" (the noise floor) to that bin.
import type { GroupIndex } from '../log/groupIndex.ts';
import { LabelCounts, sampleSimilarity } from '../stats/jsd.ts';

/**
 * One row per (entity, lag bin) with at least one window pair, rows grouped by entity in ascending order.
 * `cross` and `floor` are the entity's means over its pairs in the bin, so persons weigh equally however
 * active they are.
 */
export interface DriftRows {
  readonly length: number;
  readonly entity: Int32Array;
  readonly bin: Int32Array;
  /** Mean 1 - JSD between half-windows `lag` apart. */
  readonly cross: Float64Array;
  /** Mean 1 - JSD between the two halves of the same window (same sample sizes as `cross`). */
  readonly floor: Float64Array;
  /** Mean lag between the windows' starts. */
  readonly lagMs: Float64Array;
  readonly pairs: Int32Array;
}

export interface PairOptions {
  /** Label (category or item) of each log event. */
  labels: Int32Array;
  nLabels: number;
  tsMs: Float64Array;
  /** Entity events (kept events only), time-ordered within each group. */
  groups: GroupIndex;
  /** Lag bin edges, ascending: bin k holds lags in [edges[k], edges[k + 1]). */
  edgesMs: Float64Array;
  /** A gap of at least this long between an entity's events starts a new window. */
  gapMs: number;
  /** Windows kept per entity at most (evenly thinned beyond): bounds the pair count of bots and crawlers. */
  maxWindows: number;
}

/**
 * Collect the drift rows.
 *
 * For windows s < s' of one entity at lag L = start(s') - start(s) in bin k, with m = min(floor(n_s / 2),
 * floor(n_s' / 2)) and A, B the even- and odd-position halves truncated to m events:
 *   cross = (sim(A_s, B_s') + sim(B_s, A_s')) / 2,   floor = (sim(A_s, B_s) + sim(A_s', B_s')) / 2.
 * All four comparisons are between samples of m labels, so without drift E[cross] = E[floor] exactly;
 * interleaved halves sit at the same moment, so the floor is the similarity at lag 0.
 *
 * @example
 * const rows = collectDriftRows({ labels, nLabels, tsMs: log.tsMs, groups, edgesMs, gapMs: 1_800_000, maxWindows: 500 });
 */
export function collectDriftRows(o: PairOptions): DriftRows {
  const { labels, tsMs, groups, edgesMs, gapMs, maxWindows } = o;
  const K = edgesMs.length - 1;
  const minLag = edgesMs[0];
  const maxLag = edgesMs[K];
  const counts = new LabelCounts(o.nLabels);
  // Labels and times in group order, so a window is a contiguous run of positions.
  const total = groups.events.length;
  const lab = new Int32Array(total);
  const ts = new Float64Array(total);
  for (let j = 0; j < total; j++) {
    lab[j] = labels[groups.events[j]];
    ts[j] = tsMs[groups.events[j]];
  }
  const out = new RowBuilder();
  const sumCross = new Float64Array(K);
  const sumFloor = new Float64Array(K);
  const sumLag = new Float64Array(K);
  const count = new Int32Array(K);
  // Windows of the current entity: first position, half size floor(n / 2), start time.
  let winPos = new Int32Array(64);
  let winHalf = new Int32Array(64);
  let winT = new Float64Array(64);

  for (let g = 0; g < groups.groups; g++) {
    const lo = groups.offsets[g];
    const hi = groups.offsets[g + 1];
    if (hi - lo < 4) continue; // two windows of two events at the least
    if (hi - lo > winPos.length) {
      winPos = new Int32Array(hi - lo);
      winHalf = new Int32Array(hi - lo);
      winT = new Float64Array(hi - lo);
    }
    // 1. Windows: runs separated by gaps >= gapMs; single-event windows cannot be split and are dropped.
    let w = 0;
    let start = lo;
    for (let j = lo + 1; j <= hi; j++) {
      if (j < hi && ts[j] - ts[j - 1] < gapMs) continue;
      if (j - start >= 2) {
        winPos[w] = start;
        winHalf[w] = (j - start) >> 1;
        winT[w] = ts[start];
        w++;
      }
      start = j;
    }
    if (w < 2) continue;
    // 2. Thin very active entities to about maxWindows windows, evenly over time (deterministic).
    if (w > maxWindows) {
      const stride = Math.ceil(w / maxWindows);
      let kept = 0;
      for (let s = 0; s < w; s += stride) {
        winPos[kept] = winPos[s];
        winHalf[kept] = winHalf[s];
        winT[kept] = winT[s];
        kept++;
      }
      w = kept;
    }
    // 3. Window pairs by lag bin.
    sumCross.fill(0);
    sumFloor.fill(0);
    sumLag.fill(0);
    count.fill(0);
    for (let s = 0; s < w - 1; s++) {
      const p = winPos[s];
      for (let r = s + 1; r < w; r++) {
        const lag = winT[r] - winT[s];
        if (lag >= maxLag) break;
        if (lag < minLag) continue;
        let k = 0;
        while (lag >= edgesMs[k + 1]) k++;
        const q = winPos[r];
        const m = Math.min(winHalf[s], winHalf[r]);
        sumCross[k] += (sampleSimilarity(lab, p, q + 1, m, counts) + sampleSimilarity(lab, p + 1, q, m, counts)) / 2;
        sumFloor[k] += (sampleSimilarity(lab, p, p + 1, m, counts) + sampleSimilarity(lab, q, q + 1, m, counts)) / 2;
        sumLag[k] += lag;
        count[k]++;
      }
    }
    for (let k = 0; k < K; k++) {
      const c = count[k];
      if (c > 0) out.push(g, k, sumCross[k] / c, sumFloor[k] / c, sumLag[k] / c, c);
    }
  }
  return out.finish();
}

/** Growable columns for DriftRows: the row count is not known in advance. */
class RowBuilder {
  private n = 0;
  private entity = new Int32Array(1024);
  private bin = new Int32Array(1024);
  private cross = new Float64Array(1024);
  private floor = new Float64Array(1024);
  private lag = new Float64Array(1024);
  private pairs = new Int32Array(1024);

  push(entity: number, bin: number, cross: number, floor: number, lag: number, pairs: number): void {
    if (this.n === this.entity.length) this.grow();
    const i = this.n++;
    this.entity[i] = entity;
    this.bin[i] = bin;
    this.cross[i] = cross;
    this.floor[i] = floor;
    this.lag[i] = lag;
    this.pairs[i] = pairs;
  }

  finish(): DriftRows {
    const n = this.n;
    return {
      length: n,
      entity: this.entity.slice(0, n),
      bin: this.bin.slice(0, n),
      cross: this.cross.slice(0, n),
      floor: this.floor.slice(0, n),
      lagMs: this.lag.slice(0, n),
      pairs: this.pairs.slice(0, n),
    };
  }

  private grow(): void {
    const cap = this.entity.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.entity = grow(this.entity, (n) => new Int32Array(n));
    this.bin = grow(this.bin, (n) => new Int32Array(n));
    this.cross = grow(this.cross, (n) => new Float64Array(n));
    this.floor = grow(this.floor, (n) => new Float64Array(n));
    this.lag = grow(this.lag, (n) => new Float64Array(n));
    this.pairs = grow(this.pairs, (n) => new Int32Array(n));
  }
}
