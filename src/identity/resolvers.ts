// Identity resolution as the pipeline sees it at a cut: which device keys are treated as one customer.
// Resolvers only learn from events visible at the cut (index < bound), never from the future.
import type { EventLog } from '../log/eventLog.ts';
import { DEFAULT_LOGIN, type LoginOptions } from '../scenario/resolverOptions.ts';
import { Clusters } from './clusters.ts';

/** Clusters of keys, advanced monotonically in time. */
export interface KeyResolver {
  /** Make events with index < bound visible to the resolver. Bounds must not decrease. */
  advanceTo(bound: number): void;
  /** Cluster id of key k (a representative key). */
  clusterOf(k: number): number;
  /** Number of keys in k's cluster. */
  clusterSize(k: number): number;
  /** Calls fn for every key in k's cluster. */
  forEachMember(k: number, fn: (key: number) => void): void;
  /**
   * Index of key k's first event that belongs to the cluster's profile (absent or 0: all of k's events).
   * A login resolver without retroactive stitching starts a key at its first login.
   */
  firstEvent?(k: number): number;
  /**
   * A key in the cluster of login l at the newest bound (the first key seen with it), -1 when no visible
   * event carries l. Only resolvers that link keys through logins have it.
   */
  loginKey?(l: number): number;
}

/** No resolution: every key is its own customer. */
export class KeyOnlyResolver implements KeyResolver {
  advanceTo(): void {}
  clusterOf(k: number): number {
    return k;
  }
  clusterSize(): number {
    return 1;
  }
  forEachMember(k: number, fn: (key: number) => void): void {
    fn(k);
  }
}

/**
 * Deterministic login stitching: union-find over keys that share a login id. With `retroactive` (the
 * default) a key's whole history joins the cluster once it has logged in (retroactive stitching at key
 * level). Without it, a key that has logged in contributes its events from its first login on, or with
 * `sessionStitch` from the start of the session in which that login happened (a login in the middle of
 * a session claims the session's earlier, anonymous events); keys that never logged in keep their own
 * anonymous history. Shared devices logged into by two persons merge both persons' clusters.
 *
 * Clusters are identity/clusters.ts's union-find with member lists: a merge is O(1) and listing a
 * cluster is O(size).
 */
export class LoginResolver implements KeyResolver {
  private readonly clusters: Clusters;
  /** login -> first key seen with it (the anchor all later keys with that login join). */
  private readonly anchor: Int32Array;
  /** key -> index of its first login event (or of its session's first event with sessionStitch), -1 = none yet. */
  private readonly stitchFrom: Int32Array;
  /** key -> its current session id and the index of that session's first event on the key. */
  private readonly lastSession: Int32Array;
  private readonly sessionFirst: Int32Array;
  private visible = 0;

  constructor(
    private readonly log: EventLog,
    private readonly options: LoginOptions = DEFAULT_LOGIN,
  ) {
    const nKeys = log.dict.key.length;
    this.clusters = new Clusters(nKeys);
    this.anchor = new Int32Array(log.dict.login.length).fill(-1);
    this.stitchFrom = new Int32Array(nKeys).fill(-1);
    this.lastSession = new Int32Array(nKeys).fill(-1);
    this.sessionFirst = new Int32Array(nKeys);
  }

  advanceTo(bound: number): void {
    const { login, key, session } = this.log;
    const forward = !this.options.retroactive;
    for (let i = this.visible; i < bound; i++) {
      const l = login[i];
      if (forward) {
        const k = key[i];
        const s = session[i];
        // Events without a session are sessions of their own.
        if (s < 0 || s !== this.lastSession[k]) {
          this.lastSession[k] = s;
          this.sessionFirst[k] = i;
        }
        if (l >= 0 && this.stitchFrom[k] < 0) this.stitchFrom[k] = this.options.sessionStitch ? this.sessionFirst[k] : i;
      }
      if (l < 0) continue;
      const a = this.anchor[l];
      if (a < 0) this.anchor[l] = key[i];
      else this.clusters.union(a, key[i]);
    }
    if (bound > this.visible) this.visible = bound;
  }

  firstEvent(k: number): number {
    return this.options.retroactive ? 0 : Math.max(0, this.stitchFrom[k]);
  }

  loginKey(l: number): number {
    return l >= 0 && l < this.anchor.length ? this.anchor[l] : -1;
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
}
