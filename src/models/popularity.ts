// Most-popular baselines: positive-event counts in training, optionally weighted toward recent events.
import type { FitContext, Model, Profile } from './model.ts';

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
  const scores = Float32Array.from(counts);
  return {
    name,
    type: halfLifeMs ? 'recency-popularity' : 'popularity',
    nItems,
    dependsOn: 'none',
    score(_profile: Profile, out: Float32Array) {
      out.set(scores);
    },
  };
}
