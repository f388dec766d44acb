// Most-popular baselines: positive-event counts in training, optionally weighted toward recent events.
import type { FitContext, Model, Profile } from './model.ts';
import { identityMap, toLogScores, type ItemMap } from './itemMap.ts';
import { f32, type SavedModel } from './artifacts.ts';

/**
 * Popularity: score_i = number of positive events on item i before the split, or with a half-life,
 * sum over those events of 2^(-(until - ts) / halfLife).
 *
 * @example
 * const pop = fitPopularity('pop', ctx);           // plain counts
 * const recent = fitPopularity('recent', ctx, 7 * 86400000);
 */
export function fitPopularity(name: string, ctx: FitContext, halfLifeMs?: number): Model {
  const { log, trainBound, isPositive, untilMs } = ctx;
  const nItems = log.dict.item.length;
  const counts = new Float64Array(nItems);
  const decay = halfLifeMs ? Math.LN2 / halfLifeMs : 0;
  for (let i = 0; i < trainBound; i++) {
    if (!isPositive[log.type[i]]) continue;
    counts[log.item[i]] += decay ? Math.exp(-decay * (untilMs - log.tsMs[i])) : 1;
  }
  return popularityModel(name, identityMap(nItems), log.dict.item, Float32Array.from(counts), { halfLifeMs: halfLifeMs ?? null });
}

export interface PopularityConfig {
  /** The half-life of recency-popularity; null for plain counts. */
  halfLifeMs: number | null;
}

/**
 * Bind saved popularity scores to a log through `map`; items the model never saw score -Infinity.
 *
 * @example
 * const pop = popularityFromSaved(readSaved(dir) as SavedModel<PopularityConfig>, map);
 */
export function popularityFromSaved(saved: SavedModel<PopularityConfig>, map: ItemMap): Model {
  return popularityModel(saved.name, map, saved.items, f32(saved, 'scores', [saved.items.length]), saved.config);
}

function popularityModel(name: string, map: ItemMap, itemIds: readonly string[], scores: Float32Array, config: PopularityConfig): Model {
  let row = scores;
  if (!map.identity) {
    row = new Float32Array(map.nLog);
    toLogScores(map, scores, 1, row);
  }
  return {
    name,
    type: config.halfLifeMs ? 'recency-popularity' : 'popularity',
    nItems: map.nLog,
    dependsOn: 'none',
    score(_profile: Profile, out: Float32Array) {
      out.set(row);
    },
    toSaved: () => ({ type: 'popularity', name, items: [...itemIds], config, weights: [{ name: 'scores', shape: [map.nModel], data: scores }] }),
  };
}
