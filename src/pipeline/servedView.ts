// The served view: the history production hands the model at request time t. Built from events with
// ts < the visible cut, of the keys the resolver merges with the request key (and, for `login`, with the
// login the request carries), from allowed channels. Views are cached per (cut, cluster).
import type { EventLog } from '../log/eventLog.ts';
import { groupEvents, groupPrefix, lowerBoundInt, lowerBoundTime, type GroupIndex } from '../log/groupIndex.ts';
import { KeyOnlyResolver, LoginResolver, type KeyResolver } from '../identity/resolvers.ts';
import { visibleCutMs, type ServingConfig } from './serving.ts';
import { GraphResolver } from '../identity/graphResolver.ts';
import type { ResolverSettings } from '../identity/options.ts';
import { DEFAULT_GRAPH, DEFAULT_LOGIN } from '../scenario/resolverOptions.ts';
import { RunError } from '../errors.ts';

/** A request's served profile. `cluster` identifies the (cut, cluster) pair within `cutMs`. */
export interface ServedView {
  /** Event indices, ascending (= time order). */
  events: Int32Array;
  cutMs: number;
  /**
   * Identity cluster id at this cut: person id for oracle, else the representative key, or for the union
   * of the request key's cluster and its login's cluster a negative id encoding both (unionClusterId).
   */
  cluster: number;
  /** The request key has no event before the cut in this view's profile store (a fresh key). */
  unknownKey: boolean;
}

/** Channel-filtered CSR indexes shared by all views of one channel set. */
export interface ViewIndexes {
  byKey: GroupIndex;
  byPerson: GroupIndex;
}

/** Build the key and person indexes, keeping only events from `channels` (null = all). */
export function buildViewIndexes(log: EventLog, channels: number[] | null): ViewIndexes {
  let keep: Uint8Array | undefined;
  if (channels) {
    const allowed = new Uint8Array(256);
    for (const c of channels) allowed[c] = 1;
    keep = new Uint8Array(log.length);
    for (let i = 0; i < log.length; i++) keep[i] = allowed[log.channel[i]];
  }
  return {
    byKey: groupEvents(log.key, log.dict.key.length, keep),
    byPerson: groupEvents(log.person, log.dict.person.length, keep),
  };
}

/**
 * The cluster id of a view that is the union of two distinct clusters (representative keys a and b, in
 * either order) among nKeys keys: negative, so it never equals a representative key, and the same for
 * the same pair. Exact while nKeys^2 < 2^53 (nKeys up to 9 * 10^7).
 *
 * @example
 * unionClusterId(3, 7, 10) === unionClusterId(7, 3, 10); // -38
 */
export function unionClusterId(a: number, b: number, nKeys: number): number {
  return a < b ? -1 - (a * nKeys + b) : -1 - (b * nKeys + a);
}

/**
 * Served views for one serving configuration. Requests must arrive in non-decreasing time, so the
 * resolver and the cut only move forward.
 *
 * Request-time login (atRequest, the default, of `login` and of `graph` with login edges): a request
 * that carries a login also gets that login's cluster as of the cut (found through the first key seen
 * with the login), next to its own key's cluster. A login with no event before the cut adds nothing;
 * no event at or after the cut is ever read. When the request key's own cluster serves nothing, the
 * view is the login cluster's view and shares its id; otherwise the union gets its own id
 * (unionClusterId).
 *
 * @example
 * const views = new ServedViews(log, config, buildViewIndexes(log, config.channels));
 * const v = views.view(tMs, key, person, login); // v.events: what production serves
 */
export class ServedViews {
  private readonly resolver: KeyResolver | null;
  private readonly atRequest: boolean;
  private cutMs = -Infinity;
  private bound = 0;
  private readonly cache = new Map<number, Int32Array>();
  private lastT = -Infinity;

  constructor(
    private readonly log: EventLog,
    private readonly config: ServingConfig & ResolverSettings,
    private readonly idx: ViewIndexes,
  ) {
    if (config.identity === 'login') this.atRequest = (config.login ?? DEFAULT_LOGIN).atRequest;
    else if (config.identity === 'graph') this.atRequest = (config.graph ?? DEFAULT_GRAPH).logins && (config.graph ?? DEFAULT_GRAPH).atRequest;
    else this.atRequest = false;
    switch (config.identity) {
      case 'key':
        this.resolver = new KeyOnlyResolver();
        break;
      case 'login':
        this.resolver = new LoginResolver(log, config.login ?? DEFAULT_LOGIN);
        break;
      case 'graph':
        // The graph links keys from every channel's events, whatever channels feed the profile store.
        this.resolver = new GraphResolver(log, config.graph ?? DEFAULT_GRAPH);
        break;
      case 'oracle':
        this.resolver = null;
        break;
      default:
        throw new RunError(`identity resolver "${config.identity}" is not available yet`);
    }
  }

  /** The identity resolver behind these views (null for oracle), at the newest cut served so far. */
  get identity(): KeyResolver | null {
    return this.resolver;
  }

  /** The served view for a request at tMs by `key` of `person`, carrying `login` (-1: none). */
  view(tMs: number, key: number, person: number, login = -1): ServedView {
    if (tMs < this.lastT) throw new RunError('served views must be requested in time order');
    this.lastT = tMs;
    const cut = visibleCutMs(this.config, tMs);
    if (cut !== this.cutMs) {
      this.cutMs = cut;
      this.bound = lowerBoundTime(this.log.tsMs, cut);
      this.resolver?.advanceTo(this.bound);
      this.cache.clear();
    }
    const unknownKey = groupPrefix(this.idx.byKey, key, this.bound).length === 0;
    if (this.resolver === null) {
      // Oracle: the true person's own events, whatever key they were logged on.
      return { events: groupPrefix(this.idx.byPerson, person, this.bound), cutMs: cut, cluster: person, unknownKey };
    }
    const r = this.resolver;
    const cluster = r.clusterOf(key);
    const events = this.clusterEvents(key, cluster);
    const anchor = this.atRequest && login >= 0 && r.loginKey ? r.loginKey(login) : -1;
    if (anchor >= 0) {
      const other = r.clusterOf(anchor);
      if (other !== cluster) {
        const theirs = this.clusterEvents(anchor, other);
        if (events.length === 0) return { events: theirs, cutMs: cut, cluster: other, unknownKey };
        if (theirs.length > 0) {
          const id = unionClusterId(cluster, other, this.log.dict.key.length);
          let both = this.cache.get(id);
          if (!both) {
            both = concatSorted([events, theirs], events.length + theirs.length);
            this.cache.set(id, both);
          }
          return { events: both, cutMs: cut, cluster: id, unknownKey };
        }
      }
    }
    return { events, cutMs: cut, cluster, unknownKey };
  }

  /** The visible events of key k's cluster (id `cluster`), cached per cut for clusters of several keys. */
  private clusterEvents(k: number, cluster: number): Int32Array {
    if (this.resolver!.clusterSize(k) === 1) return this.keyEvents(k);
    let events = this.cache.get(cluster);
    if (!events) {
      events = this.mergeCluster(k);
      this.cache.set(cluster, events);
    }
    return events;
  }

  private mergeCluster(key: number): Int32Array {
    const parts: Int32Array[] = [];
    let total = 0;
    this.resolver!.forEachMember(key, (k) => {
      const p = this.keyEvents(k);
      if (p.length) {
        parts.push(p);
        total += p.length;
      }
    });
    return concatSorted(parts, total);
  }

  /** Key k's visible events that its cluster's profile includes (from resolver.firstEvent on). */
  private keyEvents(k: number): Int32Array {
    const p = groupPrefix(this.idx.byKey, k, this.bound);
    const from = this.resolver!.firstEvent?.(k) ?? 0;
    return from > 0 ? p.subarray(lowerBoundInt(p, 0, p.length, from)) : p;
  }
}

/** Disjoint ascending event lists as one ascending list (event index order is time order). */
function concatSorted(parts: Int32Array[], total: number): Int32Array {
  if (parts.length === 1) return parts[0];
  const out = new Int32Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return parts.length > 1 ? out.sort() : out;
}
