// Options of the identity resolvers a pipeline can use (`login`, `graph`) and their defaults, with the
// syntax of a graph's blocking keys. The scenario parser fills them in; identity/ reads them.

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
