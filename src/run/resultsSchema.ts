// JSON Schema of results.json as written (NaN and Infinity appear as null). A test validates every
// run's serialized output against it, so the schema and the Results type cannot drift apart.
import { z } from 'zod';
import { FACTORS } from '../pipeline/factors.ts';

const num = z.number().nullable();
const interval = z.strictObject({ mean: num, lo: num, hi: num }).describe('point estimate with its percentile bootstrap interval');
const factor = z.enum(FACTORS);
const shares = z.strictObject(Object.fromEntries(FACTORS.map((f) => [f, interval.optional()])) as Record<(typeof FACTORS)[number], z.ZodOptional<typeof interval>>);
const signalAge = z.strictObject({
  emptyShare: num.describe('share of requests whose served view is empty'),
  quantilesMs: z.strictObject({ p10: num, p25: num, p50: num, p75: num, p90: num }),
  meanMs: num,
});

export const resultsSchema = z.strictObject({
  version: z.literal('recgap.results/1'),
  scenario: z.looseObject({ name: z.string(), seed: z.number() }).describe('the normalized scenario that produced the run'),
  config: z.strictObject({
    ks: z.array(z.number().int()),
    metrics: z.array(z.string()).describe('metric keys such as ndcg@10, in column order'),
    primaryMetric: z.string(),
    window: z.string(),
    windowMs: z.number(),
    positives: z.array(z.string()),
    excludeSeen: z.boolean(),
    bootstrap: z.number().int(),
    level: z.number(),
    until: z.string().describe('ISO time of the train/test split'),
    untilMs: z.number(),
  }),
  counts: z.strictObject({
    events: z.number().int(),
    trainEvents: z.number().int(),
    persons: z.number().int(),
    keys: z.number().int(),
    items: z.number().int(),
    sessions: z.number().int(),
    candidates: z.number().int().describe('session starts at or after the split'),
    censored: z.number().int().describe('dropped: t + W past the end of the log'),
    noLabels: z.number().int().describe('dropped: no positive event in [t, t + W)'),
    requests: z.number().int().describe('evaluated requests'),
    requestPersons: z.number().int(),
  }),
  models: z.array(z.strictObject({ name: z.string(), type: z.string() })),
  pipelines: z.array(
    z.strictObject({
      name: z.string(),
      description: z.string(),
      refresh: z.string(),
      latencyMs: z.number(),
      identity: z.string(),
      channels: z.union([z.literal('all'), z.array(z.string())]),
      factors: z.array(factor),
      signalAge,
      meanViewEvents: num,
    }),
  ),
  frozen: z.strictObject({ meanViewEvents: num }),
  results: z.array(
    z.strictObject({
      model: z.string(),
      pipeline: z.string(),
      metrics: z.record(z.string(), z.strictObject({ frozen: interval, served: interval, gap: interval, relativeGap: interval })),
      decomposition: z.strictObject({
        factors: z.array(factor),
        byMetric: z.record(z.string(), z.strictObject({ shares, interaction: interval.nullable() })),
      }),
      signalAge,
      ageCurve: z.strictObject({
        metric: z.string(),
        bins: z.array(z.strictObject({ label: z.string(), loMs: num, hiMs: num, count: z.number(), frozen: num, served: num, gap: num })),
        fit: z.strictObject({ lInf: num, tauMs: num, rmse: num, n: z.number(), tauAtBound: z.boolean() }),
      }),
    }),
  ),
  comparisons: z.array(
    z.strictObject({ model: z.string(), metric: z.string(), pipeline: z.string(), baseline: z.string(), difference: interval, pValue: num, pHolm: num }),
  ),
  runtime: z.strictObject({ node: z.string(), timingsMs: z.record(z.string(), z.number()) }),
});

/** JSON Schema of results.json. */
export function resultsJsonSchema(): unknown {
  return z.toJSONSchema(resultsSchema);
}
