// The device graph's key pairs: candidates from blocking and login edges, each with its comparison
// pattern, flags and link state, adjacency lists per key, and the pattern histograms EM fits.
import { PATTERNS, patternLevel } from './compare.ts';
import { IdTable, IntVec } from './tables.ts';

/**
 * Pair flags: produced by blocking (scored), keys sharing a login, both keys logged in as different
 * logins, produced by a blocking key other than plain `ip`, inactive and not re-compared (see histOf).
 */
export const CANDIDATE = 1;
export const LOGIN = 2;
export const CONFLICT = 4;
export const OTHER_BLOCK = 8;
export const DORMANT = 16;
/** Histogram a scored pair counts in: unlabelled, known match, known non-match, inactive (not in EM). */
export const UNLABELLED = 0;
export const KNOWN_MATCH = 1;
export const KNOWN_NON_MATCH = 2;
export const INACTIVE = 3;

/** Patterns whose pairs share an IP that is not crowded. */
const SHARES_IP = Uint8Array.from({ length: PATTERNS }, (_, p) => {
  const l = patternLevel(p, 0);
  return l === 2 || l === 3 ? 1 : 0;
});

/**
 * The histogram a scored pair belongs to. A pair only the `ip` block produced whose shared IPs have all
 * become crowded is inactive: it was paired before the IP showed itself as a carrier NAT, and such pairs
 * (strangers by the thousand) would otherwise dominate the non-match class. A shared login labels a pair
 * a match whatever else; different logins label it a non-match.
 */
export function histOf(flags: number, pattern: number): number {
  if (flags & LOGIN) return KNOWN_MATCH;
  if (!(flags & OTHER_BLOCK) && !SHARES_IP[pattern]) return INACTIVE;
  return flags & CONFLICT ? KNOWN_NON_MATCH : UNLABELLED;
}

/**
 * Pairs (lo < hi) by dense id, sized up front for `perKey` pairs per key.
 *
 * @example
 * const pairs = new KeyPairs(keys);
 * pairs.add(3, 1, CANDIDATE); // id 0: (1, 3)
 * pairs.score(0, pattern, false);
 */
export class KeyPairs {
  readonly a: IntVec;
  readonly b: IntVec;
  readonly flags: IntVec;
  /** Comparison pattern, -1 until scored. */
  readonly pattern: IntVec;
  /** 1 when the pair is an edge of the current clusters. */
  readonly linked: IntVec;
  /** Scratch: the rescoring round that last selected the pair. */
  readonly round: IntVec;
  /** Adjacency: key -> first node; node -> pair and next node. */
  readonly adjHead: Int32Array;
  readonly adjPair: IntVec;
  readonly adjNext: IntVec;
  /** Scored pairs per pattern, by histogram (UNLABELLED, KNOWN_MATCH, KNOWN_NON_MATCH, INACTIVE). */
  readonly hist = [new Float64Array(PATTERNS), new Float64Array(PATTERNS), new Float64Array(PATTERNS), new Float64Array(PATTERNS)];
  candidates = 0;
  logins = 0;
  private readonly ids: IdTable;

  constructor(
    private readonly keys: number,
    perKey = 4,
  ) {
    const n = Math.max(1024, perKey * keys);
    this.ids = new IdTable(n);
    [this.a, this.b, this.flags, this.pattern, this.linked, this.round] = Array.from({ length: 6 }, () => new IntVec(n));
    this.adjHead = new Int32Array(keys).fill(-1);
    this.adjPair = new IntVec(2 * n);
    this.adjNext = new IntVec(2 * n);
  }

  get length(): number {
    return this.a.length;
  }

  /**
   * Add flag to pair (x, y), creating it when new; returns its id, or -1 when nothing changed. A dormant
   * pair that a block produces again shares an uncrowded value now and wakes up (it will be re-scored).
   */
  add(x: number, y: number, flag: number): number {
    const lo = x < y ? x : y;
    const hi = x < y ? y : x;
    const p = this.ids.idOf(lo * this.keys + hi);
    if (this.ids.created) {
      this.a.push(lo);
      this.b.push(hi);
      this.flags.push(0);
      this.pattern.push(-1);
      this.linked.push(0);
      this.round.push(0);
      this.link(lo, p);
      this.link(hi, p);
    }
    const flags = this.flags.data[p];
    if ((flags & flag) === flag && !(flag & CANDIDATE && flags & DORMANT)) return -1;
    const next = (flags | flag) & ~DORMANT;
    this.flags.data[p] = next;
    const pattern = this.pattern.data[p];
    if (pattern >= 0) {
      this.hist[histOf(flags, pattern)][pattern]--;
      this.hist[histOf(next, pattern)][pattern]++;
    }
    if (next & ~flags & CANDIDATE) this.candidates++;
    if (next & ~flags & LOGIN) this.logins++;
    return p;
  }

  /** Record pair p's comparison: pattern and login conflict; inactive pairs go dormant. */
  score(p: number, pattern: number, conflict: boolean): void {
    const flags = this.flags.data[p];
    const old = this.pattern.data[p];
    if (old >= 0) this.hist[histOf(flags, old)][old]--;
    let next = conflict ? flags | CONFLICT : flags & ~CONFLICT;
    const h = histOf(next, pattern);
    if (h === INACTIVE) next |= DORMANT;
    this.hist[h][pattern]++;
    this.pattern.data[p] = pattern;
    this.flags.data[p] = next;
  }

  /** The key of pair p that is not k. */
  other(p: number, k: number): number {
    return this.a.data[p] === k ? this.b.data[p] : this.a.data[p];
  }

  private link(k: number, p: number): void {
    this.adjPair.push(p);
    this.adjNext.push(this.adjHead[k]);
    this.adjHead[k] = this.adjPair.length - 1;
  }
}
