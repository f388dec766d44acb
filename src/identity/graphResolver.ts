// The probabilistic device graph (pipeline identity `graph`, DESIGN.md 3): blocking -> comparison
// vectors -> Fellegi-Sunter weights from EM -> threshold -> connected components. Incremental: each
// advance adds the newly visible events, re-compares only pairs of keys that received events, refits EM
// on the pattern histogram, and relinks locally unless the link decision of a pattern flipped.
import type { EventLog } from '../log/eventLog.ts';
import type { GroupIndex } from '../log/groupIndex.ts';
import type { KeyResolver } from '../pipeline/identity.ts';
import { fmix32 } from '../util/hash.ts';
import { Blocker } from './blocking.ts';
import { Clusters } from './clusters.ts';
import { KeyComparer, keyMajorRows, PATTERNS, patternLevel } from './compare.ts';
import { FellegiSunter, type FsParameters } from './fellegiSunter.ts';
import { DEFAULT_GRAPH, type GraphOptions } from './options.ts';
import { IdTable, IntVec } from './tables.ts';

/**
 * Pair flags: produced by blocking (scored), linked by a shared login, both logged in as different
 * logins, produced by a blocking key other than plain `ip`.
 */
const CANDIDATE = 1;
const LOGIN = 2;
const CONFLICT = 4;
const OTHER_BLOCK = 8;
/** An inactive pair (see histOf) is not re-compared until a block produces it again. */
const DORMANT = 16;
/** Histogram a scored pair counts in: unlabelled, known match, known non-match, inactive (not in EM). */
const UNLABELLED = 0;
const KNOWN_MATCH = 1;
const KNOWN_NON_MATCH = 2;
const INACTIVE = 3;
/** EM starts once this many candidate pairs exist; before that only login edges link keys. */
const MIN_PAIRS = 100;
/** Refit EM when this share of candidate pairs is new or re-compared since the last fit. */
const REFIT_SHARE = 0.02;
/** Random key pairs whose pattern frequencies start u. */
const RANDOM_PAIRS = 4000;

export interface GraphStats {
  /** Keys with at least one visible event. */
  keys: number;
  /** Candidate pairs from blocking (each scored), and pairs linked (by weight or login). */
  candidatePairs: number;
  linkedPairs: number;
  loginPairs: number;
  blocks: number;
  crowdedBlocks: number;
  /** EM fits so far, full relinks after a pattern's decision flipped, pair comparisons made. */
  fits: number;
  relinks: number;
  comparisons: number;
  /** The current Fellegi-Sunter parameters, or null before the first fit. */
  parameters: FsParameters | null;
}

/**
 * A device graph over the events with index < the last bound given to advanceTo.
 *
 * Links: a candidate pair is linked when its posterior match probability is >= options.threshold and
 * the two keys are not logged in as different logins (two accounts are two persons); with
 * options.logins, keys sharing a login are linked too. Clusters are the connected components.
 * Deterministic: random pairs for u come from a fixed hash, not a random stream.
 *
 * @example
 * const g = new GraphResolver(log, { ...DEFAULT_GRAPH, threshold: 0.8 });
 * g.advanceTo(lowerBoundTime(log.tsMs, cutMs));
 * g.forEachMember(key, (k) => ...); // keys served as one customer
 */
export class GraphResolver implements KeyResolver {
  private readonly nKeys: number;
  private readonly blocker: Blocker;
  private readonly comparer: KeyComparer;
  private readonly fs = new FellegiSunter();
  private readonly clusters: Clusters;
  private visible = 0;
  // Keys.
  private readonly seen: Uint8Array;
  private readonly seenList = new IntVec(1024);
  private readonly dirty: Uint8Array;
  /** key -> visible events, to compare each pair from the side with more of them. */
  private readonly eventCount: Int32Array;
  private readonly dirtyList = new IntVec(1024);
  private readonly splitStamp: Int32Array;
  private readonly anchor: Int32Array;
  // Pairs.
  private readonly pairIds = new IdTable(1 << 16);
  private readonly pairA = new IntVec(1 << 16);
  private readonly pairB = new IntVec(1 << 16);
  private readonly pairFlags = new IntVec(1 << 16);
  private readonly pairPattern = new IntVec(1 << 16);
  private readonly pairLinked = new IntVec(1 << 16);
  private readonly pairRound = new IntVec(1 << 16);
  private readonly adjHead: Int32Array;
  private readonly adjPair = new IntVec(1 << 17);
  private readonly adjNext = new IntVec(1 << 17);
  private readonly changed = new IntVec(1024);
  /** key -> scratch for grouping pairs by the key that loads (-1 when unused). */
  private readonly loadHead: Int32Array;
  /** Scored pairs per pattern, by histogram (UNLABELLED, KNOWN_MATCH, KNOWN_NON_MATCH, INACTIVE). */
  private readonly hist = [new Float64Array(PATTERNS), new Float64Array(PATTERNS), new Float64Array(PATTERNS), new Float64Array(PATTERNS)];
  private readonly link = new Uint8Array(PATTERNS);
  private candidates = 0;
  private logins = 0;
  private changedSinceFit = 0;
  private round = 0;
  private fitted = false;
  private fits = 0;
  private relinks = 0;
  private comparisons = 0;

  constructor(
    private readonly log: EventLog,
    private readonly options: GraphOptions = DEFAULT_GRAPH,
    byKey?: GroupIndex,
  ) {
    this.nKeys = log.dict.key.length;
    this.blocker = new Blocker(log, options.blocking, options.maxBlock);
    this.eventCount = new Int32Array(this.nKeys);
    const offsets = byKey && byKey.events.length === log.length ? byKey.offsets : keyOffsets(log.key, this.nKeys);
    this.comparer = new KeyComparer(log, keyMajorRows(log, offsets), this.eventCount, this.blocker.crowdedIp);
    this.clusters = new Clusters(this.nKeys);
    this.seen = new Uint8Array(this.nKeys);
    this.dirty = new Uint8Array(this.nKeys);
    this.splitStamp = new Int32Array(this.nKeys);
    this.anchor = new Int32Array(log.dict.login.length).fill(-1);
    this.adjHead = new Int32Array(this.nKeys).fill(-1);
    this.loadHead = new Int32Array(this.nKeys).fill(-1);
  }

  advanceTo(bound: number): void {
    bound = Math.min(bound, this.log.length);
    if (bound <= this.visible) return;
    const { log } = this;
    const onPair = (a: number, b: number, byIp: boolean) => this.addPair(a, b, byIp ? CANDIDATE : CANDIDATE | OTHER_BLOCK);
    const onCrowded = (members: number[]) => {
      for (const k of members) this.markDirty(k);
    };
    // 1. Newly visible events: blocks, candidate pairs, login edges, keys to re-compare.
    for (let i = this.visible; i < bound; i++) {
      const k = log.key[i];
      this.markDirty(k);
      this.eventCount[k]++;
      if (!this.seen[k]) {
        this.seen[k] = 1;
        this.seenList.push(k);
      }
      this.blocker.add(i, onPair, onCrowded);
      const l = log.login[i];
      if (l >= 0) {
        const a = this.anchor[l];
        if (a < 0) this.anchor[l] = k;
        else if (a !== k) this.addPair(a, k, LOGIN);
      }
    }
    this.visible = bound;
    // 2. Re-compare every candidate pair of a key that received events.
    this.rescoreDirty();
    // 3. EM on the pattern histogram, once enough pairs exist and when enough of them changed.
    let relink = false;
    if (!this.fitted && this.candidates >= MIN_PAIRS) {
      this.fs.start(this.randomPatterns());
      relink = this.refit();
      this.fitted = true;
    } else if (this.fitted && this.changedSinceFit >= REFIT_SHARE * this.candidates) relink = this.refit();
    // 4. Components: all over when a pattern's decision flipped, else only around changed pairs.
    if (relink) this.relinkAll();
    else this.relinkChanged();
    this.changed.length = 0;
  }

  clusterOf(k: number): number {
    return this.clusters.find(k);
  }

  clusterSize(k: number): number {
    return this.clusters.sizeOf(k);
  }

  forEachMember(k: number, fn: (key: number) => void): void {
    this.clusters.forEachMember(k, fn);
  }

  /** Posterior match probability of a comparison pattern under the current fit (NaN before it). */
  posterior(pattern: number): number {
    return this.fitted ? this.fs.posterior(pattern) : NaN;
  }

  stats(): GraphStats {
    let linked = 0;
    for (let p = 0; p < this.pairLinked.length; p++) linked += this.pairLinked.data[p];
    const b = this.blocker.stats();
    return {
      keys: this.seenList.length,
      candidatePairs: this.candidates,
      linkedPairs: linked,
      loginPairs: this.logins,
      blocks: b.blocks,
      crowdedBlocks: b.crowdedBlocks,
      fits: this.fits,
      relinks: this.relinks,
      comparisons: this.comparisons,
      parameters: this.fitted ? this.fs.parameters() : null,
    };
  }

  private markDirty(k: number): void {
    if (this.dirty[k]) return;
    this.dirty[k] = 1;
    this.dirtyList.push(k);
  }

  private addPair(a: number, b: number, flag: number): void {
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    const p = this.pairIds.idOf(lo * this.nKeys + hi);
    if (this.pairIds.created) {
      this.pairA.push(lo);
      this.pairB.push(hi);
      this.pairFlags.push(0);
      this.pairPattern.push(-1);
      this.pairLinked.push(0);
      this.pairRound.push(0);
      this.adjPair.push(p);
      this.adjNext.push(this.adjHead[lo]);
      this.adjHead[lo] = this.adjPair.length - 1;
      this.adjPair.push(p);
      this.adjNext.push(this.adjHead[hi]);
      this.adjHead[hi] = this.adjPair.length - 1;
    }
    const flags = this.pairFlags.data[p];
    // A dormant pair that a block produces again shares an uncrowded value now: score it again.
    if ((flags & flag) === flag && !(flag & CANDIDATE && flags & DORMANT)) return;
    const next = (flags | flag) & ~DORMANT;
    this.pairFlags.data[p] = next;
    // A scored pair that turns out to share a login becomes a known match.
    const pattern = this.pairPattern.data[p];
    if (pattern >= 0) {
      this.hist[histOf(flags, pattern)][pattern]--;
      this.hist[histOf(next, pattern)][pattern]++;
    }
    // A new candidate is scored with the dirty key that just joined its block.
    if (next & ~flags & CANDIDATE) this.candidates++;
    if (next & ~flags & LOGIN) this.logins++;
    this.changed.push(p);
  }

  /**
   * Re-compare every candidate pair with a key that received events. Pairs are grouped by their side
   * with the longer history, which loads once and is compared with each shorter partner: a long-lived
   * key costs its history once per advance, not once per pair. When many keys changed (a first cut, a
   * long batch), the pairs are scanned in order instead of through each key's adjacency list.
   */
  private rescoreDirty(): void {
    const round = ++this.round;
    const { dirtyList, dirty, eventCount, pairA, pairB, pairFlags, pairRound } = this;
    const selected = new IntVec(1024);
    const loaderOf = new IntVec(1024);
    const select = (p: number) => {
      pairRound.data[p] = round;
      const lo = pairA.data[p];
      const hi = pairB.data[p];
      selected.push(p);
      loaderOf.push(eventCount[hi] > eventCount[lo] ? hi : lo);
    };
    if (dirtyList.length * 8 > this.seenList.length) {
      for (let p = 0; p < pairA.length; p++) {
        if ((pairFlags.data[p] & (CANDIDATE | DORMANT)) === CANDIDATE && (dirty[pairA.data[p]] || dirty[pairB.data[p]])) select(p);
      }
    } else {
      for (let d = 0; d < dirtyList.length; d++) {
        for (let node = this.adjHead[dirtyList.data[d]]; node >= 0; node = this.adjNext.data[node]) {
          const p = this.adjPair.data[node];
          if ((pairFlags.data[p] & (CANDIDATE | DORMANT)) === CANDIDATE && pairRound.data[p] !== round) select(p);
        }
      }
    }
    for (let d = 0; d < dirtyList.length; d++) dirty[dirtyList.data[d]] = 0;
    dirtyList.length = 0;
    // Counting sort of the selected pairs by loader: each loader's pairs contiguous, loaders ascending.
    const loaders: number[] = [];
    const { loadHead } = this;
    for (let x = 0; x < selected.length; x++) {
      const k = loaderOf.data[x];
      if (loadHead[k] < 0) {
        loadHead[k] = 0;
        loaders.push(k);
      }
      loadHead[k]++;
    }
    loaders.sort((a, b) => a - b);
    let at = 0;
    for (const k of loaders) {
      const c = loadHead[k];
      loadHead[k] = at;
      at += c;
    }
    const order = new Int32Array(selected.length);
    for (let x = 0; x < selected.length; x++) order[loadHead[loaderOf.data[x]]++] = selected.data[x];
    at = 0;
    for (const a of loaders) {
      const end = loadHead[a];
      loadHead[a] = -1;
      this.comparer.load(a);
      for (; at < end; at++) this.rescore(order[at], a);
    }
  }

  /** Compare pair p (key a loaded) and update its pattern, flags and histogram counts. */
  private rescore(p: number, a: number): void {
    const b = this.pairA.data[p] === a ? this.pairB.data[p] : this.pairA.data[p];
    const pattern = this.comparer.compare(b);
    this.comparisons++;
    const flags = this.pairFlags.data[p];
    const old = this.pairPattern.data[p];
    if (old >= 0) this.hist[histOf(flags, old)][old]--;
    let next = this.comparer.conflict ? flags | CONFLICT : flags & ~CONFLICT;
    const h = histOf(next, pattern);
    if (h === INACTIVE) next |= DORMANT;
    this.hist[h][pattern]++;
    this.pairPattern.data[p] = pattern;
    this.pairFlags.data[p] = next;
    this.changed.push(p);
    this.changedSinceFit++;
  }

  /** Pattern histogram of RANDOM_PAIRS pairs of visible keys, drawn by hashing (no random stream). */
  private randomPatterns(): Float64Array {
    const hist = new Float64Array(PATTERNS);
    const V = this.seenList.length;
    for (let t = 0; t < RANDOM_PAIRS; t++) {
      const a = this.seenList.data[fmix32(2 * t + 0x51ed27) % V];
      const b = this.seenList.data[fmix32(2 * t + 0x7f4a7c15) % V];
      if (a === b) continue;
      this.comparer.load(a);
      hist[this.comparer.compare(b)]++;
    }
    return hist;
  }

  /** Refit EM; true when some pattern's link decision flipped. */
  private refit(): boolean {
    this.fs.fit(this.hist[UNLABELLED], { match: this.hist[KNOWN_MATCH], nonMatch: this.hist[KNOWN_NON_MATCH] });
    this.fits++;
    this.changedSinceFit = 0;
    let flipped = false;
    for (let p = 0; p < PATTERNS; p++) {
      const l = this.fs.posterior(p) >= this.options.threshold ? 1 : 0;
      if (l !== this.link[p]) {
        this.link[p] = l;
        flipped = true;
      }
    }
    return flipped;
  }

  private linkedOf(p: number): number {
    const flags = this.pairFlags.data[p];
    if (flags & LOGIN) return this.options.logins || this.linkOfPattern(p) ? 1 : 0;
    if (flags & CONFLICT) return 0;
    return this.linkOfPattern(p);
  }

  private linkOfPattern(p: number): number {
    const pattern = this.pairPattern.data[p];
    return pattern >= 0 && histOf(this.pairFlags.data[p], pattern) !== INACTIVE ? this.link[pattern] : 0;
  }

  private relinkAll(): void {
    this.relinks++;
    this.clusters.reset();
    for (let p = 0; p < this.pairA.length; p++) {
      const l = this.linkedOf(p);
      this.pairLinked.data[p] = l;
      if (l) this.clusters.union(this.pairA.data[p], this.pairB.data[p]);
    }
  }

  private relinkChanged(): void {
    const broken: number[] = [];
    for (let c = 0; c < this.changed.length; c++) {
      const p = this.changed.data[c];
      const l = this.linkedOf(p);
      if (l === this.pairLinked.data[p]) continue;
      this.pairLinked.data[p] = l;
      if (l) this.clusters.union(this.pairA.data[p], this.pairB.data[p]);
      else broken.push(this.pairA.data[p]);
    }
    if (broken.length === 0) return;
    // A removed link may split its component: dissolve each affected component once and re-link it.
    const stamp = this.round;
    for (const k of broken) {
      if (this.splitStamp[k] === stamp) continue;
      const members = this.clusters.dissolve(k);
      for (const m of members) this.splitStamp[m] = stamp;
      for (const m of members) {
        for (let node = this.adjHead[m]; node >= 0; node = this.adjNext.data[node]) {
          const p = this.adjPair.data[node];
          if (this.pairLinked.data[p]) this.clusters.union(this.pairA.data[p], this.pairB.data[p]);
        }
      }
    }
  }
}

/** Patterns whose pairs share an IP that is not crowded. */
const SHARES_IP = Uint8Array.from({ length: PATTERNS }, (_, p) => {
  const l = patternLevel(p, 0);
  return l === 2 || l === 3 ? 1 : 0;
});

/**
 * The histogram a scored pair belongs to. A pair only the `ip` block produced whose shared IPs have all
 * become crowded is inactive: it was paired before the IP showed itself as a carrier NAT, and such pairs
 * (strangers, concurrent by the thousand) would otherwise dominate the non-match class. A login label
 * wins over that.
 */
function histOf(flags: number, pattern: number): number {
  if (flags & LOGIN) return KNOWN_MATCH;
  if (!(flags & OTHER_BLOCK) && !SHARES_IP[pattern]) return INACTIVE;
  return flags & CONFLICT ? KNOWN_NON_MATCH : UNLABELLED;
}

/** CSR offsets of events per key (counts only: the key-major copy does not need the index itself). */
function keyOffsets(key: Int32Array, keys: number): Int32Array {
  const offsets = new Int32Array(keys + 1);
  for (let i = 0; i < key.length; i++) offsets[key[i] + 1]++;
  for (let k = 0; k < keys; k++) offsets[k + 1] += offsets[k];
  return offsets;
}
