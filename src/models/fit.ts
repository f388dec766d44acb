// Build a fitted model from its normalized spec.
import type { ModelSpec } from '../scenario/types.ts';
import type { FitContext, Model } from './model.ts';
import { fitPopularity } from './popularity.ts';
import { fitItemKnn } from './itemknn.ts';
import { fitRandom } from './random.ts';

/**
 * Fit one model on the training part of the log. Each model draws from its own named random stream.
 *
 * @example
 * const model = fitModel({ name: 'knn', type: 'itemknn', neighbors: 100, halfLifeMs: 6048e5, shrink: 10 }, ctx);
 */
export function fitModel(spec: ModelSpec, ctx: FitContext): Model {
  const c = { ...ctx, rng: ctx.rng.fork(`model:${spec.name}`) };
  switch (spec.type) {
    case 'popularity':
      return fitPopularity(spec.name, c);
    case 'recency-popularity':
      return fitPopularity(spec.name, c, spec.halfLifeMs);
    case 'itemknn':
      return fitItemKnn(spec.name, c, spec);
    case 'random':
      return fitRandom(spec.name, c);
  }
}
