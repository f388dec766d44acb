// The served view: the history production hands the model at request time t. Built from events with
// ts < the visible cut, of the keys the resolver merges with the request key, from allowed channels.
// Views are cached per (cut, cluster): requests that share both get the same array.
import type { EventLog } from '../log/eventLog.ts';
import { groupEvents, groupPrefix, lowerBoundInt, lowerBoundTime, type GroupIndex } from '../log/groupIndex.ts';
import { KeyOnlyResolver, LoginResolver, type KeyResolver } from './identity.ts';
import { visibleCutMs, type ServingConfig } from './serving.ts';
import { GraphResolver } from '../identity/graphResolver.ts';
import { DEFAULT_GRAPH, DEFAULT_LOGIN, type ResolverSettings } from '../identity/options.ts';
import { RunError } from '../errors.ts';

/** A request's served profile. `cluster` identifies the (cut, cluster) pair within `cutMs`. */
export interface ServedView {
  /** Event indices, ascending (= time order). */
  events: Int32Array;
  cutMs: number;
  /** Identity cluster id at this cut (person id for oracle, representative key otherwise). */
  cluster: number;
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
 * Served views for one serving configuration. Requests must arrive in non-decreasing time, so the
 * resolver and the cut only move forward.
 *
 * @example
 * const views = new ServedViews(log, config, buildViewIndexes(log, config.channels));
 * const v = views.view(tMs, key, person); // v.events: what production serves
 */
export class ServedViews {
  private readonly resolver: KeyResolver | null;
  private cutMs = -Infinity;
  private bound = 0;
  private readonly cache = new Map<number, Int32Array>();
  private lastT = -Infinity;

  constructor(
    private readonly log: EventLog,
    private readonly config: ServingConfig & ResolverSettings,
    private readonly idx: ViewIndexes,
  ) {
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

  /** The served view for a request at tMs by `key` of `person`. */
  view(tMs: number, key: number, person: number): ServedView {
    if (tMs < this.lastT) throw new RunError('served views must be requested in time order');
    this.lastT = tMs;
    const cut = visibleCutMs(this.config, tMs);
    if (cut !== this.cutMs) {
      this.cutMs = cut;
      this.bound = lowerBoundTime(this.log.tsMs, cut);
      this.resolver?.advanceTo(this.bound);
      this.cache.clear();
    }
    if (this.resolver === null) {
      // Oracle: the true person's own events, whatever key they were logged on.
      return { events: groupPrefix(this.idx.byPerson, person, this.bound), cutMs: cut, cluster: person };
    }
    const r = this.resolver;
    const cluster = r.clusterOf(key);
    if (r.clusterSize(key) === 1) return { events: this.keyEvents(key), cutMs: cut, cluster };
    let events = this.cache.get(cluster);
    if (!events) {
      events = this.mergeCluster(key);
      this.cache.set(cluster, events);
    }
    return { events, cutMs: cut, cluster };
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
    const out = new Int32Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    // Event index order is time order, so a numeric sort merges the keys' histories by time.
    return parts.length > 1 ? out.sort() : out;
  }

  /** Key k's visible events that its cluster's profile includes (from resolver.firstEvent on). */
  private keyEvents(k: number): Int32Array {
    const p = groupPrefix(this.idx.byKey, k, this.bound);
    const from = this.resolver!.firstEvent?.(k) ?? 0;
    return from > 0 ? p.subarray(lowerBoundInt(p, 0, p.length, from)) : p;
  }
}
