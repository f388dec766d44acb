// Options of the identity resolvers a pipeline can use (`login`, `graph`), their defaults, and the
// signature that tells two otherwise equal serving configurations apart.
import type { IdentityResolver } from '../scenario/types.ts';

/** Fields a blocking key can combine with `+`: signals, the UTC day of the event, the item. */
export const BLOCKING_FIELDS = ['ip', 'userAgent', 'geo', 'day', 'item'] as const;
export type BlockingField = (typeof BLOCKING_FIELDS)[number];

export function isBlockingField(x: unknown): x is BlockingField {
  return typeof x === 'string' && (BLOCKING_FIELDS as readonly string[]).includes(x);
}

/** A blocking key as written in a scenario: fields joined by `+`, e.g. `ip` or `userAgent+geo+day`. */
export const BLOCKING_KEY_PATTERN = new RegExp(`^(${BLOCKING_FIELDS.join('|')})(\\+(${BLOCKING_FIELDS.join('|')}))*$`);

export interface GraphOptions {
  /** Link two candidate keys when their posterior match probability is at least this (0..1). */
  threshold: number;
  /** Blocking keys: keys that share the value of any of them are compared; no other pairs are. */
  blocking: string[];
  /** A block that reaches more keys than this stops producing pairs (a carrier-NAT IP, a popular item). */
  maxBlock: number;
  /** Also link keys that share a login, as deterministic edges (a production graph's first tier). */
  logins: boolean;
  /** With logins: also serve the cluster of the login the request's own event carries, as of the cut (as `login` does). */
  atRequest: boolean;
}

export interface LoginOptions {
  /** Merge a key's anonymous history from before its first login (key-level retroactive stitching). */
  retroactive: boolean;
  /** Without retroactive stitching: start at the beginning of the session in which the key first logged in. */
  sessionStitch: boolean;
  /**
   * Use the login the request itself carries: serve that account's cluster as of the cut next to the
   * request key's own (a fresh cookie that logs in gets the account's history). False: the request key's
   * cluster at the cut only.
   */
  atRequest: boolean;
}

/**
 * Defaults: posterior threshold 0.85, blocking on the IP alone (home IPs hold a household's keys;
 * carrier-NAT IPs crowd out), blocks up to 30 keys (a home IP rarely sees more over a month), logins as
 * deterministic edges, the request's own login used. Comparison patterns are discrete, so links come in groups: on the quickstart world
 * 0.85 falls in a gap between groups at every size tried (2,000 to 60,000 persons) and links with pairwise
 * precision about 0.98 at almost twice the recall of login stitching (bench/identity.ts). Lower
 * thresholds trade precision for recall; false merges cost served accuracy faster than the extra (older)
 * history adds it.
 */
export const DEFAULT_GRAPH: Readonly<GraphOptions> = Object.freeze({ threshold: 0.85, blocking: ['ip'], maxBlock: 30, logins: true, atRequest: true });

/** Defaults: retroactive stitching (what recgap did before these options existed), session stitching on, the request's own login used. */
export const DEFAULT_LOGIN: Readonly<LoginOptions> = Object.freeze({ retroactive: true, sessionStitch: true, atRequest: true });

/** The fields of a blocking key in canonical order (the order of BLOCKING_FIELDS), de-duplicated. */
export function blockingFields(key: string): BlockingField[] {
  const parts = new Set(key.split('+'));
  return BLOCKING_FIELDS.filter((f) => parts.has(f));
}

/** The canonical text of a blocking key: `geo+userAgent+day` -> `userAgent+geo+day`. */
export function canonicalBlockingKey(key: string): string {
  return blockingFields(key).join('+');
}

/** Resolver settings a serving configuration may carry next to `identity`. */
export interface ResolverSettings {
  identity: IdentityResolver;
  graph?: GraphOptions | null;
  login?: LoginOptions | null;
}

/**
 * The part of a configuration signature that the resolver options add: empty for `key` and `oracle`,
 * for default options and for options that serve the same views, so existing signatures are unchanged.
 *
 * @example
 * resolverSignature({ identity: 'graph', graph: { ...DEFAULT_GRAPH, threshold: 0.5 } }) // '|graph:0.5;ip;30;logins'
 */
export function resolverSignature(c: ResolverSettings): string {
  if (c.identity === 'graph') {
    const g = c.graph ?? DEFAULT_GRAPH;
    if (sameGraph(g, DEFAULT_GRAPH)) return '';
    // Without login edges the request's login is not used, so atRequest changes nothing then.
    return `|graph:${g.threshold};${g.blocking.join(',')};${g.maxBlock};${g.logins ? 'logins' : 'nologins'}${g.logins && !g.atRequest ? ';cut-only' : ''}`;
  }
  if (c.identity === 'login') {
    // Retroactive stitching takes whole key histories, so sessionStitch changes nothing then.
    const l = c.login ?? DEFAULT_LOGIN;
    return (l.retroactive ? '' : `|login:forward${l.sessionStitch ? '+session' : ''}`) + (l.atRequest ? '' : '|login:cut-only');
  }
  return '';
}

/**
 * A short description of the resolver for summaries, e.g. `graph (p >= 0.85, blocking ip, with logins)`.
 *
 * @example
 * describeResolver({ identity: 'login', login: { retroactive: false, sessionStitch: true, atRequest: true } }) // 'login (from the session of first login)'
 */
export function describeResolver(c: ResolverSettings): string {
  if (c.identity === 'graph') {
    const g = c.graph ?? DEFAULT_GRAPH;
    return `graph (p >= ${g.threshold}, blocking ${g.blocking.join(', ')}${g.logins ? ', with logins' : ''}${g.logins && !g.atRequest ? ", without the request's own login" : ''})`;
  }
  if (c.identity === 'login') {
    const l = c.login ?? DEFAULT_LOGIN;
    const how = l.retroactive ? [] : [l.sessionStitch ? 'from the session of first login' : 'from first login'];
    if (!l.atRequest) how.push("without the request's own login");
    return how.length ? `login (${how.join(', ')})` : 'login';
  }
  return c.identity;
}

function sameGraph(a: GraphOptions, b: GraphOptions): boolean {
  const sameLogins = a.logins === b.logins && (!a.logins || a.atRequest === b.atRequest);
  return a.threshold === b.threshold && a.maxBlock === b.maxBlock && sameLogins && a.blocking.length === b.blocking.length && a.blocking.every((k, i) => k === b.blocking[i]);
}
