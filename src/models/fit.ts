// Build a fitted model from its normalized spec.
import type { ModelSpec } from '../scenario/types.ts';
import type { FitContext, Model } from './model.ts';
import { fitPopularity } from './popularity.ts';
import { fitItemKnn } from './itemknn.ts';
import { fitRandom } from './random.ts';
import { fitEase } from './ease.ts';
import { fitMf } from './mf.ts';
import { initTf } from '../tf/backend.ts';

/**
 * Fit one model on the training part of the log. Each model draws from its own named random stream.
 *
 * @example
 * const model = await fitModel({ name: 'knn', type: 'itemknn', neighbors: 100, halfLifeMs: 6048e5, shrink: 10 }, ctx);
 */
export async function fitModel(spec: ModelSpec, ctx: FitContext): Promise<Model> {
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
    case 'ease':
      return fitEase(spec.name, c, { lambda: spec.lambda, lambdaScale: 0.5, halfLifeMs: spec.halfLifeMs });
    case 'mf':
      await initTf();
      return fitMf(spec.name, c, spec);
    default:
      throw new Error(`model type ${spec.type} not wired yet`);
  }
}
