// Build a fitted model from its normalized spec.
import type { ModelSpec } from '../scenario/types.ts';
import type { FitContext, Model } from './model.ts';
import { fitPopularity } from './popularity.ts';
import { fitItemKnn } from './itemknn.ts';
import { fitRandom } from './random.ts';
import { fitEase } from './ease.ts';
import { tfGuard, tfGuardAsync } from '../tf/errors.ts';

// TensorFlow.js (about 0.8 s to load) is imported only when a scenario has a model that needs it.
const tfjs = () => import('../tf/backend.ts');

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
    case 'mf': {
      const [{ backend }, { fitMf }] = await Promise.all([tfjs().then((m) => m.initTf()), import('./mf.ts')]);
      return tfGuard(`fitting ${spec.name} (mf)`, backend, () => fitMf(spec.name, c, spec));
    }
    case 'gru4rec': {
      const [{ backend }, { fitGru4Rec }] = await Promise.all([tfjs().then((m) => m.initTf()), import('./gru4rec.ts')]);
      return tfGuard(`fitting ${spec.name} (gru4rec)`, backend, () => fitGru4Rec(spec.name, c, spec));
    }
    case 'saved': {
      const [{ loadModel }] = await Promise.all([import('./persist.ts'), tfjs().then((m) => m.initTf())]);
      return loadModel(spec.path, ctx.log, spec.name);
    }
    case 'command':
    case 'http': {
      const { fitExternal } = await import('./external/externalModel.ts');
      return fitExternal(spec, c);
    }
    case 'tfjs': {
      const [{ backend }, { loadTfjsModel }] = await Promise.all([tfjs().then((m) => m.initTf()), import('./tfjsModel.ts')]);
      return tfGuardAsync(`loading ${spec.path}`, backend, () => loadTfjsModel(spec.name, spec, ctx.log));
    }
  }
}
