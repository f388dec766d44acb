// The signature that tells two otherwise equal serving configurations apart by their identity resolver
// options, and the resolver's description for summaries.
import type { IdentityResolver } from '../scenario/types.ts';
import { DEFAULT_GRAPH, DEFAULT_LOGIN, type GraphOptions, type LoginOptions } from '../scenario/resolverOptions.ts';

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
  return (
    a.threshold === b.threshold &&
    a.maxBlock === b.maxBlock &&
    sameLogins &&
    a.blocking.length === b.blocking.length &&
    a.blocking.every((k, i) => k === b.blocking[i])
  );
}
