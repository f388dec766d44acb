// A random ranker: the floor every model must beat, and the check of invariant 7.
import { hash3, unitFromHash } from '../util/hash.ts';
import type { FitContext, Model, Profile } from './model.ts';

/**
 * Uniform random scores per request, from a hash of (seed, request, item): reproducible and
 * independent of processing order.
 */
export function fitRandom(name: string, ctx: FitContext): Model {
  const nItems = ctx.log.dict.item.length;
  const seed = ctx.rng.nextUint32();
  return {
    name,
    type: 'random',
    nItems,
    dependsOn: 'request',
    score(profile: Profile, out: Float32Array) {
      for (let i = 0; i < nItems; i++) out[i] = unitFromHash(hash3(seed, profile.requestId, i));
    },
  };
}
