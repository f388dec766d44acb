// JSON Schema of results.json as written (NaN and Infinity appear as null). A test validates every
// run's serialized output against it, so the schema and the Results type cannot drift apart.
import { z } from 'zod';
import { FACTORS } from '../pipeline/factors.ts';
import type { Formula } from '../scenario/formula.ts';

/** A number, or null where JSON cannot hold it (NaN, Infinity). */
export const num = z.number().nullable();
export const interval = z.strictObject({ mean: num, lo: num, hi: num }).describe('point estimate with its percentile bootstrap interval');
/** A pipeline's identity resolution against the true persons (results[].identity). */
export const resolutionQualitySchema = z.strictObject({
  pairwisePrecision: num,
  pairwiseRecall: num,
  bcubedPrecision: num,
  bcubedRecall: num,
  purity: num,
  coverage: num,
  keysPerPerson: num,
  keys: num,
  persons: num,
  requests: num,
  atMs: num,
});
const factor = z.enum(FACTORS);
const shares = z.strictObject(
  Object.fromEntries(FACTORS.map((f) => [f, interval.optional()])) as Record<(typeof FACTORS)[number], z.ZodOptional<typeof interval>>,
);
const quantilesMs = z.strictObject({ p10: num, p25: num, p50: num, p75: num, p90: num });
const signalAge = z.strictObject({
  emptyShare: num.describe('share of requests whose view is empty'),
  quantilesMs: quantilesMs.describe('request time minus the newest event in the view, over requests with a non-empty view'),
  meanMs: num,
});
const lag = z
  .strictObject({
    emptyShare: num.describe('share of requests whose person has history but whose served view is empty (lag infinite)'),
    noHistoryShare: num.describe('share of requests whose person has no event before the request (no lag defined)'),
    quantilesMs: quantilesMs.describe("finite pipeline lags: served signal age minus the frozen view's (the person's inactivity)"),
    meanMs: num,
  })
  .describe("what the pipeline adds to the signal age beyond the person's own inactivity");
const schedule = z
  .union([
    z.strictObject({
      origin: z.literal('averaged'),
      phases: z.number().int(),
      periodMs: z.number().describe('the span the phase is uniform over: lcm of the refresh and retrain cadences'),
    }),
    z.strictObject({ origin: z.literal('pinned'), at: z.string().describe('ISO time of a cut (pipelines[].origin)'), atMs: z.number() }),
  ])
  .nullable()
  .describe('how the batch schedule was placed: averaged over its phase (no origin given) or pinned; null for a stream pipeline without retraining');

const isolatedGroup = z.strictObject({
  events: z.number().int(),
  from: z.string().describe("ISO time of the group's first event"),
  to: z.string().describe("ISO time of the group's last event"),
  gapMs: z.number().describe('from the group to the nearest event of the rest of the log'),
});

/** business.value's checked formula tree (scenario/formula.ts): numbers, names and the four operators, two arguments each. */
const formula: z.ZodType<Formula> = z.lazy(() =>
  z.union([
    z.strictObject({ kind: z.literal('number'), value: z.number() }),
    z.strictObject({ kind: z.literal('name'), name: z.string() }),
    z.strictObject({ kind: z.literal('op'), op: z.enum(['+', '-', '*', '/']), args: z.array(formula).length(2) }),
  ]),
);

/** The normalized business section the report prices with (scenario/types.ts BusinessSpec); older runs have none. */
const business = z
  .looseObject({
    sessionsPerMonth: z.number(),
    averageOrderValue: z.number(),
    margin: z.number(),
    marketingSpendPerMonth: z.number(),
    exposure: z.number(),
    incrementality: z.number(),
    incrementalityRange: z.tuple([z.number(), z.number()]),
    currency: z.string(),
    model: z.string().nullable().optional(),
    baselineConversionRate: z.number().nullable().optional(),
    value: z.strictObject({ text: z.string(), formula }).nullable().optional(),
    quantities: z.record(z.string(), z.number()).optional(),
    costs: z.record(z.string(), z.strictObject({ oneOff: z.number(), perMonth: z.number() })).optional(),
    source: z.enum(['scenario', 'defaults']),
  })
  .optional();

/** The part of the normalized scenario a report reads back; the rest is kept as it is. */
export const resultsScenarioSchema = z
  .looseObject({ name: z.string(), seed: z.number(), description: z.string().optional(), business })
  .describe('the normalized scenario that produced the run');

export const resultsSchema = z.strictObject({
  version: z.literal('recgap.results/2'),
  scenario: resultsScenarioSchema,
  config: z.strictObject({
    ks: z.array(z.number().int()),
    metrics: z.array(z.string()).describe('metric keys such as ndcg@10, in column order'),
    primaryMetric: z.string(),
    window: z.string(),
    windowMs: z.number(),
    positives: z.array(z.string()),
    excludeSeen: z
      .enum(['none', 'view', 'person'])
      .describe(
        "eval.excludeSeen: none, view (each view excludes the items of its own positive events) or person (every view excludes all the person's positives before t)",
      ),
    bootstrap: z.number().int(),
    level: z.number(),
    sample: z.number().describe('share of persons whose requests were evaluated (person-hash sample, eval.sample); 1 = all'),
    sampledFrom: z.number().int().describe('requests before sampling; equals counts.requests without a sample'),
    until: z.string().describe('ISO time of the train/test split'),
    untilMs: z.number(),
  }),
  log: z
    .strictObject({
      source: z.enum(['world', 'data']),
      ingest: z
        .looseObject({
          file: z.string(),
          rows: z.number(),
          loaded: z.number(),
          outOfOrder: z.number().int().describe('loaded rows earlier than the row before them in the file (informational: the log is sorted by time)'),
          emptySessionEvents: z.number().int().describe('loaded events whose session field was empty; their sessions are cut by inactivity'),
          timeRange: z.strictObject({ from: z.string(), to: z.string() }).describe('ISO times of the first and last loaded events'),
          isolated: z
            .strictObject({
              thresholdMs: z
                .number()
                .nullable()
                .describe(
                  'gaps at least this long set an edge group apart: max(100 x the 95th percentile of positive gaps between consecutive events, 1 day); null for a log too small to tell',
                ),
              start: isolatedGroup.nullable().describe('events at the start of the log far before the rest, or null'),
              end: isolatedGroup.nullable().describe('events at the end of the log far after the rest, or null'),
            })
            .describe(
              'stray events at either end (at most 0.1% of the log, 1 to 1000 events) separated from the rest by a gap of at least thresholdMs: clip them with data.timeRange',
            ),
        })
        .nullable()
        .describe("the reader's report: rows, loaded, dropped rows by reason (duplicate events among them) with first line numbers"),
      fragment: z.strictObject({ sessions: z.number(), keysBefore: z.number(), keysAfter: z.number(), unknownPersonEvents: z.number() }).nullable(),
      drift: z.strictObject({ clock: z.number(), shiftedPersons: z.number(), shiftedEvents: z.number(), groups: z.number() }).nullable(),
    })
    .describe('where the log came from and what was injected'),
  counts: z.strictObject({
    events: z.number().int(),
    anonymousEvents: z.number().int().describe('events without a known person'),
    standInPersons: z.number().int().describe('keys standing in for unknown persons'),
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
    testEvents: z.number().int().describe('events at or after the split'),
    testKeys: z.number().int().describe('distinct keys after the split: visitors as analytics counts them'),
    testPersons: z.number().int().describe('distinct persons after the split: true visitors'),
    testConversions: z.number().int().describe('positive events after the split'),
    testConvertingKeys: z.number().int(),
    testConvertingPersons: z.number().int(),
    testSessions: z.number().int().describe('sessions with an event after the split'),
    testConvertingSessions: z.number().int().describe('of those, sessions with a positive event'),
  }),
  models: z.array(
    z.strictObject({
      name: z.string(),
      type: z.string(),
      saved: z.string().nullable().describe('folder of the fitted model in the run output (models/<name>; load it with type: saved), null when not saved'),
    }),
  ),
  pipelines: z.array(
    z.strictObject({
      name: z.string(),
      description: z.string(),
      refresh: z.string(),
      latencyMs: z.number(),
      identity: z.string(),
      channels: z.union([z.literal('all'), z.array(z.string())]),
      retrain: z.string().nullable(),
      factors: z.array(factor),
      schedule,
      signalAge,
      lag,
      meanViewEvents: num,
    }),
  ),
  frozen: z.strictObject({
    meanViewEvents: num,
    inactivity: signalAge.describe("the frozen view's signal age: how long the person had been inactive; emptyShare = persons without history"),
  }),
  warnings: z.array(z.string()).describe("what a reader must know to trust the numbers, e.g. a test period shorter than a pipeline's cadence"),
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
      lagCurve: z
        .strictObject({
          metric: z.string(),
          bins: z.array(z.strictObject({ label: z.string(), loMs: num, hiMs: num, count: z.number(), frozen: num, served: num, gap: num })),
          fit: z.strictObject({
            lInf: num,
            tauMs: num,
            rmse: num,
            n: z.number(),
            nEmpty: z.number().describe('requests with an empty served view, fitted at L_inf'),
            tauAtBound: z.boolean(),
          }),
        })
        .describe(
          'the primary metric binned by pipeline lag (empty served views in the last bin; persons without history in none) and the fitted relevance loss L_inf (1 - exp(-lag / tau))',
        ),
      unknownKey: z
        .strictObject({
          share: num.describe("share of requests whose key had no event before the cut in the pipeline's profile store"),
          requests: z.number().int(),
          frozen: num.describe('primary metric mean over those requests, frozen view'),
          served: num.describe('primary metric mean over those requests, served view'),
        })
        .describe('requests whose key was unknown at the cut (a fresh key) and the primary metric on them'),
      identity: resolutionQualitySchema.describe(
        "identity resolution of the pipeline against the true persons; purity = share of a served profile that is the requester's, coverage = share of the person's history the profile holds",
      ),
    }),
  ),
  comparisons: z.array(
    z.strictObject({ model: z.string(), metric: z.string(), pipeline: z.string(), baseline: z.string(), difference: interval, pValue: num, pHolm: num }),
  ),
  modelRanking: z
    .strictObject({
      metric: z.string(),
      frozen: z.array(z.strictObject({ model: z.string(), mean: num, rank: z.number().int() })),
      served: z.record(z.string(), z.array(z.strictObject({ model: z.string(), mean: num, rank: z.number().int() }))),
      differences: z
        .array(z.strictObject({ view: z.string(), a: z.string(), b: z.string(), difference: interval, pValue: num, pHolm: num }))
        .describe('every model pair (a before b in scenario order) under the frozen view and each served view: a - b, paired, Holm-adjusted over all of them'),
      reversals: z.array(
        z.strictObject({
          pipeline: z.string(),
          offlineWinner: z.string(),
          servedWinner: z.string(),
          frozenDifference: interval,
          servedDifference: interval,
          frozenPValue: num,
          frozenPHolm: num,
          pValue: num,
          pHolm: num,
          claimed: z.boolean().describe('both differences significant in opposite directions (Holm); otherwise a tie on at least one side, not a reversal'),
        }),
      ),
    })
    .describe('models ranked on the primary metric under the frozen view and each served view; reversals = offline winner that loses served'),
  runtime: z.strictObject({
    node: z.string(),
    tfBackend: z.string().nullable().describe('tensorflow, wasm or cpu; null when no model used TensorFlow.js'),
    threads: z.number().int(),
    timingsMs: z.record(z.string(), z.number()),
  }),
});

/** JSON Schema of results.json. */
export function resultsJsonSchema(): unknown {
  return z.toJSONSchema(resultsSchema);
}
