// The probabilistic device graph (pipeline identity `graph`, docs/method.md 3.3): blocking -> comparison
// vectors -> Fellegi-Sunter weights from EM -> threshold -> connected components. Incremental: each
// advance adds the newly visible events, re-compares only pairs of keys that received events, refits EM
// on the pattern histogram, and relinks locally unless the link decision of a pattern flipped.
import type { EventLog } from '../log/eventLog.ts';
import type { KeyResolver } from './resolvers.ts';
import { fmix32 } from '../util/hash.ts';
import { Blocker } from './blocking.ts';
import { Clusters } from './clusters.ts';
import { KeyComparer, KeyRows, PATTERNS } from './compare.ts';
import { FellegiSunter, type FsParameters } from './fellegiSunter.ts';
import { DEFAULT_GRAPH, type GraphOptions } from '../scenario/resolverOptions.ts';
import { CANDIDATE, CONFLICT, DORMANT, histOf, INACTIVE, KeyPairs, KNOWN_MATCH, KNOWN_NON_MATCH, LOGIN, OTHER_BLOCK, UNLABELLED } from './pairs.ts';
import { IntVec } from './tables.ts';

/** EM starts once this many candidate pairs exist; before that only login edges link keys. */
const MIN_PAIRS = 100;
/** Refit EM when this share of candidate pairs is new or re-compared since the last fit. */
const REFIT_SHARE = 0.02;
/** Initial capacity of the pair tables per key (IP blocking gives 3-4), so bulk loads rarely grow. */
const PAIRS_PER_KEY = 4;
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
  /** Visible events in key-major rows; their counts per key also pick which side of a pair loads. */
  private readonly rows: KeyRows;
  private readonly eventCount: Int32Array;
  private readonly dirtyList = new IntVec(1024);
  private readonly splitStamp: Int32Array;
  private readonly anchor: Int32Array;
  private readonly pairs: KeyPairs;
  private readonly changed = new IntVec(1024);
  /** key -> scratch for grouping pairs by the key that loads (-1 when unused). */
  private readonly loadHead: Int32Array;
  private readonly link = new Uint8Array(PATTERNS);
  private changedSinceFit = 0;
  private round = 0;
  private fitted = false;
  private fits = 0;
  private relinks = 0;
  private comparisons = 0;

  constructor(
    private readonly log: EventLog,
    private readonly options: GraphOptions = DEFAULT_GRAPH,
  ) {
    this.nKeys = log.dict.key.length;
    this.blocker = new Blocker(log, options.blocking, options.maxBlock);
    this.rows = new KeyRows(log);
    this.eventCount = this.rows.count;
    this.comparer = new KeyComparer(log, this.rows, this.blocker.crowdedIp);
    this.clusters = new Clusters(this.nKeys);
    this.seen = new Uint8Array(this.nKeys);
    this.dirty = new Uint8Array(this.nKeys);
    this.splitStamp = new Int32Array(this.nKeys);
    this.anchor = new Int32Array(log.dict.login.length).fill(-1);
    this.pairs = new KeyPairs(this.nKeys, PAIRS_PER_KEY);
    this.loadHead = new Int32Array(this.nKeys).fill(-1);
  }

  /** The first key seen with login l before the bound; its cluster holds every key linked by l (login edges always link). */
  loginKey(l: number): number {
    return this.options.logins && l >= 0 && l < this.anchor.length ? this.anchor[l] : -1;
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
      this.rows.append(i);
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
    if (!this.fitted && this.pairs.candidates >= MIN_PAIRS) {
      this.fs.start(this.randomPatterns());
      relink = this.refit();
      this.fitted = true;
    } else if (this.fitted && this.changedSinceFit >= REFIT_SHARE * this.pairs.candidates) relink = this.refit();
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
    for (let p = 0; p < this.pairs.length; p++) linked += this.pairs.linked.data[p];
    const b = this.blocker.stats();
    return {
      keys: this.seenList.length,
      candidatePairs: this.pairs.candidates,
      linkedPairs: linked,
      loginPairs: this.pairs.logins,
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
    // A new candidate is scored with the dirty key that just joined its block; a login edge relinks.
    const p = this.pairs.add(a, b, flag);
    if (p >= 0) this.changed.push(p);
  }

  /**
   * Re-compare every candidate pair with a key that received events. Pairs are grouped by their side
   * with the longer history, which loads once and is compared with each shorter partner: a long-lived
   * key costs its history once per advance, not once per pair. When many keys changed (a first cut, a
   * long batch), the pairs are scanned in order instead of through each key's adjacency list.
   */
  private rescoreDirty(): void {
    const round = ++this.round;
    const { dirtyList, dirty, eventCount, pairs } = this;
    const { a: pairA, b: pairB, flags, round: pairRound } = pairs;
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
      for (let p = 0; p < pairs.length; p++) {
        if ((flags.data[p] & (CANDIDATE | DORMANT)) === CANDIDATE && (dirty[pairA.data[p]] || dirty[pairB.data[p]])) select(p);
      }
    } else {
      for (let d = 0; d < dirtyList.length; d++) {
        for (let node = pairs.adjHead[dirtyList.data[d]]; node >= 0; node = pairs.adjNext.data[node]) {
          const p = pairs.adjPair.data[node];
          if ((flags.data[p] & (CANDIDATE | DORMANT)) === CANDIDATE && pairRound.data[p] !== round) select(p);
        }
      }
    }
    for (let d = 0; d < dirtyList.length; d++) dirty[dirtyList.data[d]] = 0;
    dirtyList.length = 0;
    // Counting sort of the selected pairs by loader: each loader's pairs contiguous, loaders ascending.
    const loaders: number[] = [];
    const { loadHead, comparer } = this;
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
      comparer.load(a);
      for (; at < end; at++) {
        const p = order[at];
        pairs.score(p, comparer.compare(pairs.other(p, a)), comparer.conflict);
        this.changed.push(p);
      }
    }
    this.comparisons += selected.length;
    this.changedSinceFit += selected.length;
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
    const { hist } = this.pairs;
    this.fs.fit(hist[UNLABELLED], { match: hist[KNOWN_MATCH], nonMatch: hist[KNOWN_NON_MATCH] });
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
    const flags = this.pairs.flags.data[p];
    if (flags & LOGIN) return this.options.logins || this.linkOfPattern(p) ? 1 : 0;
    if (flags & CONFLICT) return 0;
    return this.linkOfPattern(p);
  }

  private linkOfPattern(p: number): number {
    const pattern = this.pairs.pattern.data[p];
    return pattern >= 0 && histOf(this.pairs.flags.data[p], pattern) !== INACTIVE ? this.link[pattern] : 0;
  }

  private relinkAll(): void {
    const { pairs } = this;
    this.relinks++;
    this.clusters.reset();
    for (let p = 0; p < pairs.length; p++) {
      const l = this.linkedOf(p);
      pairs.linked.data[p] = l;
      if (l) this.clusters.union(pairs.a.data[p], pairs.b.data[p]);
    }
  }

  private relinkChanged(): void {
    const { pairs } = this;
    const broken: number[] = [];
    for (let c = 0; c < this.changed.length; c++) {
      const p = this.changed.data[c];
      const l = this.linkedOf(p);
      if (l === pairs.linked.data[p]) continue;
      pairs.linked.data[p] = l;
      if (l) this.clusters.union(pairs.a.data[p], pairs.b.data[p]);
      else broken.push(pairs.a.data[p]);
    }
    if (broken.length === 0) return;
    // A removed link may split its component: dissolve each affected component once and re-link it.
    const stamp = this.round;
    for (const k of broken) {
      if (this.splitStamp[k] === stamp) continue;
      const members = this.clusters.dissolve(k);
      for (const m of members) this.splitStamp[m] = stamp;
      for (const m of members) {
        for (let node = pairs.adjHead[m]; node >= 0; node = pairs.adjNext.data[node]) {
          const p = pairs.adjPair.data[node];
          if (pairs.linked.data[p]) this.clusters.union(pairs.a.data[p], pairs.b.data[p]);
        }
      }
    }
  }
}
