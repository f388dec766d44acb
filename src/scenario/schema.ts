// The user-facing scenario shape (with shorthands), validated with zod. Only `normalize.ts` reads the
// parsed result; everything downstream sees the normalized `Scenario` of `types.ts`.
import { z } from 'zod';
import { BLOCKING_FIELDS, BLOCKING_KEY_PATTERN, DEFAULT_GRAPH, DEFAULT_LOGIN } from './resolverOptions.ts';
import { ACTIVITY_TAIL_DEFAULTS, ACTIVITY_TAILS, DEFAULT_WORLD } from './worldSpec.ts';
import {
  DEFAULT_BUSINESS,
  DEFAULT_DATA,
  DEFAULT_DRIFT_SCALE,
  DEFAULT_EVAL,
  DEFAULT_MODEL_OPTIONS,
  DEFAULT_PIPELINE,
  DEFAULT_SEED,
  DEFAULT_UNTIL_QUANTILE,
} from './defaults.ts';
import { MS, formatDurationMs, parseDurationMs } from '../util/duration.ts';
import { NAME_PATTERN, NAME_RULE, NAME_RULES, SCENARIO_NAME_MAX_LENGTH, SCENARIO_NAME_PATTERN, nameProblem } from './names.ts';

/** Upper bounds on sizes, so a typo cannot ask for 1e300 of anything: ten years, and persons the memory guard can price. */
const MAX_DAYS = 3650;
const MAX_PERSONS = 100_000_000;
const MAX_ITEMS = 10_000_000;

/** Messages the schema words itself for users (zod's defaults never reach them); issues.ts prints these as they are. */
export const SCHEMA_MESSAGES = new Set<string>();
const says = (message: string) => (SCHEMA_MESSAGES.add(message), { error: message });

/** Out-of-range train.until, as a percentage or a share; normalize.ts says the same for percentages. */
export const QUANTILE_RANGE = 'a quantile strictly between 0% and 100% (0 and 1)';

const DURATION_PATTERN = /^(0|(\d+(\.\d+)?(ms|s|m|h|d|w))+)$/;
/** A duration whose digits are not all zeros: `0d`, `0h0m` and `0.0d` are not positive. */
const POSITIVE_DURATION_PATTERN = /^(?=.*[1-9])(\d+(\.\d+)?(ms|s|m|h|d|w))+$/;

/** Duration text matching `pattern`, at most MAX_DAYS long and, unless zero, at least 1ms (timestamps are whole ms). */
const durationText = (pattern: RegExp, zero: boolean) =>
  z
    .string()
    .regex(pattern, { abort: true })
    .refine((t) => parseDurationMs(t)! <= MAX_DAYS * MS.d, { ...says(`a duration of at most ${MAX_DAYS}d (10 years)`), abort: true })
    .refine((t) => (zero && parseDurationMs(t) === 0) || parseDurationMs(t)! >= 1, says('a duration of at least 1ms'));
const duration = z.union([z.literal(0), durationText(DURATION_PATTERN, true)]).describe('a duration such as 7d, 6h, 30m or 0');
const positiveDuration = durationText(POSITIVE_DURATION_PATTERN, false).describe('a positive duration such as 7d, 6h or 30m');
const probability = z.number().min(0).max(1).describe('a probability between 0 and 1');
const nonNegative = z.number().min(0);
const count = z.number().int().min(1);

/**
 * The JSON Schema `default` of an optional setting, as metadata: parsing is unchanged (absent stays absent;
 * normalize.ts fills the same value in from the same constant), only the published schema shows it.
 */
const byDefault = (value: unknown) => ({ default: value });
/** A default duration as users write it: `7d`, `30m`, or 0. */
const durationDefault = (ms: number) => (ms === 0 ? 0 : formatDurationMs(ms));
const W = DEFAULT_WORLD;
const I = DEFAULT_WORLD.identity;

const IDENTITY_RESOLVERS = ['key', 'login', 'graph', 'oracle'] as const;

const loginRate = z.union([
  probability,
  z.strictObject({ app: probability.optional(), web: probability.optional(), mweb: probability.optional(), desktop: probability.optional() }),
]);

const identityParams = z.strictObject({
  devices: z
    .array(probability)
    .min(1)
    .max(8)
    .optional()
    .describe('one to eight probabilities P(1 device), P(2 devices), ... that sum to 1')
    .meta(byDefault(I.devices)),
  channelMix: z.strictObject({ app: probability, mweb: probability, desktop: probability }).optional().meta(byDefault(I.channelMix)),
  switchProb: probability.optional().meta(byDefault(I.switchProb)),
  cookieLifetime: positiveDuration.optional().meta(byDefault(durationDefault(I.cookieLifetimeMs))),
  itpShare: probability.optional().meta(byDefault(I.itpShare)),
  itpCap: positiveDuration.optional().meta(byDefault(durationDefault(I.itpCapMs))),
  loginRate: loginRate.optional().meta(byDefault(I.loginRate)),
  sharedDevices: probability.optional().meta(byDefault(I.sharedDevices)),
  signals: z
    .strictObject({
      householdSize: z
        .array(probability)
        .min(1)
        .max(10)
        .optional()
        .describe('one to ten probabilities P(household of 1 person), P(2 persons), ... that sum to 1')
        .meta(byDefault(I.signals.householdSize)),
      homeShare: loginRate
        .optional()
        .describe('a probability, or one per channel (app, web, mweb, desktop), that a session runs on the home network (else carrier NAT)')
        .meta(byDefault(I.signals.homeShare)),
      homeIpLifetime: positiveDuration
        .optional()
        .describe('a positive duration: mean time before a household gets a new home IP')
        .meta(byDefault(durationDefault(I.signals.homeIpLifetimeMs))),
      natPersons: z
        .number()
        .min(1)
        .optional()
        .describe('a number >= 1: persons per carrier-NAT IP (strangers behind one mobile IP)')
        .meta(byDefault(I.signals.natPersons)),
      regions: z
        .number()
        .int()
        .min(1)
        .max(100_000)
        .optional()
        .describe('an integer from 1 to 100000: coarse regions (Zipf-sized)')
        .meta(byDefault(I.signals.regions)),
      travel: probability.optional().describe('a probability that a session away from home is in another region').meta(byDefault(I.signals.travel)),
      uaVersions: z
        .number()
        .int()
        .min(1)
        .max(20)
        .optional()
        .describe('an integer from 1 to 20: major versions per browser or app in user agents')
        .meta(byDefault(I.signals.uaVersions)),
      midSessionLogin: probability
        .optional()
        .describe('a probability: share of logged-in sessions whose login comes after their first event')
        .meta(byDefault(I.signals.midSessionLogin)),
    })
    .optional()
    .describe('a mapping of the identity signals a device graph links keys with: household IPs, carrier NAT, user agents, regions'),
});
const identitySchema = z.union([z.literal('none'), identityParams]);

const driftSchema = z.union([
  z.literal('none'),
  z.strictObject({
    // Bounded so that sigma = scale * sqrt(2 kappa) and the simulator's exponentials stay finite.
    kappa: nonNegative
      .max(100)
      .optional()
      .describe('a rate per day from 0 to 100: mean reversion of taste (half-life ln2/kappa)')
      .meta(byDefault(W.drift.kappa)),
    scale: nonNegative
      .max(100)
      .optional()
      .describe('a number from 0 to 100: stationary standard deviation of the taste offset')
      .meta(byDefault(DEFAULT_DRIFT_SCALE)),
    sigma: nonNegative.max(10_000).optional().describe('a number from 0 to 10000: OU volatility (default scale * sqrt(2 kappa))'),
    shiftRate: nonNegative
      .max(100)
      .optional()
      .describe('a rate per person per day from 0 to 100: regime shifts toward a new category')
      .meta(byDefault(W.drift.shiftRate)),
    shiftStrength: nonNegative.max(100).optional().meta(byDefault(W.drift.shiftStrength)),
  }),
]);

const worldSchema = z.strictObject({
  persons: count.max(MAX_PERSONS).optional().meta(byDefault(W.persons)),
  items: count.min(2).max(MAX_ITEMS).optional().meta(byDefault(W.items)),
  categories: count.optional().meta(byDefault(W.categories)),
  dim: z.number().int().min(2).max(64).optional().meta(byDefault(W.dim)),
  start: z
    .string()
    .optional()
    .describe('an ISO 8601 date or time: start of the simulated period')
    .meta(byDefault(new Date(W.startMs).toISOString().slice(0, 10))),
  days: z.number().gt(0).max(MAX_DAYS).optional().meta(byDefault(W.days)),
  favoriteCategories: count.optional().meta(byDefault(W.favoriteCategories)),
  itemNoise: nonNegative.optional().meta(byDefault(W.itemNoise)),
  zipf: nonNegative.optional().meta(byDefault(W.zipf)),
  betaPop: nonNegative.optional().meta(byDefault(W.betaPop)),
  betaPrice: nonNegative.optional().meta(byDefault(W.betaPrice)),
  activity: z
    .strictObject({
      sessionsPerDay: z.number().gt(0).max(1000).optional().meta(byDefault(W.activity.sessionsPerDay)),
      heterogeneity: z.number().gt(0).optional().meta(byDefault(W.activity.heterogeneity)),
      tail: z
        .enum(ACTIVITY_TAILS)
        .optional()
        .describe("the activity multiplier's distribution: gamma (shape heterogeneity) or lognormal (log-sd sigma), heavier-tailed")
        .meta(byDefault(ACTIVITY_TAIL_DEFAULTS.tail)),
      sigma: z
        .number()
        .gt(0)
        .max(5)
        .optional()
        .describe('log-sd of the activity multiplier when tail is lognormal')
        .meta(byDefault(ACTIVITY_TAIL_DEFAULTS.sigma)),
      oneOff: z.number().min(0).lt(1).optional().describe('share of persons who visit exactly once').meta(byDefault(ACTIVITY_TAIL_DEFAULTS.oneOff)),
      viewsPerSession: z.number().min(1).max(1000).optional().meta(byDefault(W.activity.viewsPerSession)),
      diurnal: z.boolean().optional().meta(byDefault(W.activity.diurnal)),
    })
    .optional(),
  drift: driftSchema.optional(),
  promotions: z
    .union([
      z.literal('none'),
      z.strictObject({
        count: z.number().int().min(0).optional().meta(byDefault(W.promotions.count)),
        duration: positiveDuration.optional().meta(byDefault(durationDefault(W.promotions.durationMs))),
        itemsPerPromotion: count.optional().meta(byDefault(W.promotions.itemsPerPromotion)),
        boost: nonNegative.optional().meta(byDefault(W.promotions.boost)),
      }),
    ])
    .optional(),
  seasonality: z
    .union([
      z.literal('none'),
      z.strictObject({
        amplitude: nonNegative.optional().meta(byDefault(W.seasonality.amplitude)),
        period: positiveDuration.optional().meta(byDefault(durationDefault(W.seasonality.periodMs))),
      }),
    ])
    .optional(),
  funnel: z
    .strictObject({
      cart: probability.optional().meta(byDefault(W.funnel.cart)),
      purchase: probability.optional().meta(byDefault(W.funnel.purchase)),
      slope: nonNegative.optional().meta(byDefault(W.funnel.slope)),
      sameSession: probability.optional().meta(byDefault(W.funnel.sameSession)),
      delayMean: positiveDuration.optional().meta(byDefault(durationDefault(W.funnel.delayMeanMs))),
    })
    .optional(),
  identity: identitySchema.optional(),
});

const columnName = z.string().min(1);
const rangeEnd = z.string().nullable().describe('an ISO 8601 time such as 2024-01-01 or 2024-01-01T06:00:00Z, or null for an open end');
const dataSchema = z.strictObject({
  path: z.string().min(1).describe('the log file, relative to the scenario file'),
  format: z
    .enum(['csv', 'jsonl', 'parquet', 'arrow', 'movielens', 'retailrocket', 'diginetica', 'online-retail', 'otto', 'taobao'])
    .optional()
    .describe('the log format (default: from the extension of path: .jsonl, .parquet, .arrow; else csv)'),
  columns: z
    .strictObject({
      time: columnName.optional(),
      person: columnName.optional(),
      key: columnName.optional(),
      login: columnName.optional(),
      session: columnName.optional(),
      item: columnName.optional(),
      event: columnName.optional(),
      value: columnName.optional(),
      channel: columnName.optional(),
      ip: columnName.optional().describe('the column of the IP address (or another network id); a signal identity: graph links keys with'),
      userAgent: columnName.optional().describe('the column of the user agent; a signal identity: graph links keys with'),
      geo: columnName.optional().describe('the column of a coarse region (geo); a signal identity: graph links keys with'),
    })
    .optional(),
  timeUnit: z.enum(['auto', 'iso', 's', 'ms']).optional().meta(byDefault(DEFAULT_DATA.timeUnit)),
  eventMap: z.record(z.string(), z.string().min(1)).optional().describe('a mapping of raw event value -> event type (view, cart, purchase, ...)'),
  delimiter: z.string().min(1).max(2).optional(),
  sessionGap: positiveDuration.optional().meta(byDefault(durationDefault(DEFAULT_DATA.sessionGapMs))),
  timeRange: z
    .tuple([rangeEnd, rangeEnd])
    .optional()
    .describe('[from, to]: ISO 8601 times (null leaves that end open); events outside [from, to) are dropped, counted as outside data.timeRange'),
  strict: z.boolean().optional().meta(byDefault(DEFAULT_DATA.strict)),
  fragment: identityParams.optional().describe('a mapping of identity settings: inject device fragmentation into a log that has persons but no device keys'),
  drift: z
    .strictObject({
      clock: z
        .number()
        .gt(0)
        .optional()
        .describe('a positive number: replay behaviour this many times faster than the log (2 = twice as fast)')
        .meta(byDefault(DEFAULT_DATA.clock)),
      shifts: z
        .strictObject({
          share: probability.describe('a share between 0 and 1: persons whose interest shifts'),
          groups: z
            .number()
            .int()
            .min(2)
            .max(10_000)
            .optional()
            .describe('an integer from 2 to 10000: item groups a shift moves between (random partition, matched popularity)')
            .meta(byDefault(DEFAULT_DATA.shiftGroups)),
        })
        .optional(),
    })
    .optional(),
});

const trainSchema = z.strictObject({
  until: z
    .union([z.string(), z.number().gt(0, says(QUANTILE_RANGE)).lt(1, says(QUANTILE_RANGE))])
    .optional()
    .describe('a quantile of event times ("75%" or 0.75) or an ISO 8601 timestamp')
    .meta(byDefault(`${DEFAULT_UNTIL_QUANTILE * 100}%`)),
});

const evalSchema = z.strictObject({
  k: z
    .union([count.max(1000), z.array(count.max(1000)).min(1).describe('cut-offs K, each counted once however often listed')])
    .optional()
    .meta(byDefault(DEFAULT_EVAL.ks.length === 1 ? DEFAULT_EVAL.ks[0] : DEFAULT_EVAL.ks)),
  window: positiveDuration
    .optional()
    .describe('a positive duration such as 7d or 12h (the label window W)')
    .meta(byDefault(durationDefault(DEFAULT_EVAL.windowMs))),
  positives: z.array(z.string().min(1)).min(1).optional().meta(byDefault(DEFAULT_EVAL.positives)),
  excludeSeen: z
    .union([z.boolean(), z.literal('view'), z.literal('person')])
    .optional()
    .describe(
      "false, view (each view excludes the items of its own positive events; true means view) or person (every view excludes all the person's positive items before t)",
    )
    .meta(byDefault(DEFAULT_EVAL.excludeSeen === 'none' ? false : DEFAULT_EVAL.excludeSeen)),
  bootstrap: z.number().int().min(0).max(100_000).optional().meta(byDefault(DEFAULT_EVAL.bootstrap)),
  level: z.number().gt(0).lt(1).optional().meta(byDefault(DEFAULT_EVAL.level)),
  sample: z
    .union([z.string().regex(/^\d+(\.\d+)?%$/), z.number().gt(0).max(1)])
    .optional()
    .describe('a share in (0, 1] or a percentage such as "10%": evaluate a person-hash sample of the requests (default: all)')
    .meta(byDefault(DEFAULT_EVAL.sample)),
  ageBins: z
    .array(positiveDuration)
    .min(1)
    .optional()
    .meta(byDefault(DEFAULT_EVAL.ageBinEdgesMs.map(durationDefault))),
  phases: z
    .number()
    .int()
    .min(1)
    .max(64)
    .optional()
    .describe(
      `an integer from 1 to 64: a batch pipeline without an origin is averaged over this many evenly spaced phases of its schedule (default ${DEFAULT_EVAL.phases})`,
    )
    .meta(byDefault(DEFAULT_EVAL.phases)),
});

/**
 * A model or pipeline name (names.ts): its pattern first, then the reserved words, each failure worded by
 * names.ts. Uniqueness across models and pipelines is checked in normalize.ts.
 */
for (const rule of NAME_RULES) SCHEMA_MESSAGES.add(rule);
const nameSchema = z
  .string()
  .regex(NAME_PATTERN, { error: NAME_RULE, abort: true })
  .check((ctx) => {
    const problem = nameProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  })
  .describe(NAME_RULE);

/** A URL recgap can POST to: http or https with a host. */
function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const modelBase = { name: nameSchema };
const M = DEFAULT_MODEL_OPTIONS;
const modelSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...modelBase, type: z.literal('popularity') }),
  z.strictObject({
    ...modelBase,
    type: z.literal('recency-popularity'),
    halfLife: positiveDuration.optional().meta(byDefault(durationDefault(M['recency-popularity'].halfLifeMs))),
  }),
  z.strictObject({
    ...modelBase,
    type: z.literal('itemknn'),
    neighbors: z.number().int().min(1).max(10_000).optional().meta(byDefault(M.itemknn.neighbors)),
    halfLife: positiveDuration
      .optional()
      .describe('a positive duration: recency decay of profile events when scoring')
      .meta(byDefault(durationDefault(M.itemknn.halfLifeMs))),
    shrink: nonNegative.optional().meta(byDefault(M.itemknn.shrink)),
  }),
  z.strictObject({ ...modelBase, type: z.literal('random') }),
  z.strictObject({
    ...modelBase,
    type: z.literal('ease'),
    lambda: z.number().gt(0).optional().describe('a positive number: L2 penalty (default 0.5 x the mean number of training persons per item)'),
    halfLife: duration
      .optional()
      .describe('a duration or 0: recency decay of profile items when scoring (0 = binary profile)')
      .meta(byDefault(durationDefault(M.ease.halfLifeMs))),
  }),
  z.strictObject({
    ...modelBase,
    type: z.literal('mf'),
    factors: z.number().int().min(1).max(512).optional().meta(byDefault(M.mf.factors)),
    epochs: z.number().int().min(1).max(1000).optional().meta(byDefault(M.mf.epochs)),
    learningRate: z.number().gt(0).max(10).optional().meta(byDefault(M.mf.learningRate)),
    regularization: nonNegative.optional().meta(byDefault(M.mf.regularization)),
    halfLife: duration
      .optional()
      .describe('a duration or 0: recency decay of profile items in the folded-in user vector (0 = plain mean)')
      .meta(byDefault(durationDefault(M.mf.halfLifeMs))),
    history: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe('an integer from 1 to 1000: most recent distinct items that make the user vector')
      .meta(byDefault(M.mf.history)),
    negatives: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe('an integer from 1 to 1000: uniform negatives per batch, shared by its examples (BPR)')
      .meta(byDefault(M.mf.negatives)),
    batchSize: z.number().int().min(1).max(1_000_000).optional().meta(byDefault(M.mf.batchSize)),
  }),
  z.strictObject({
    ...modelBase,
    type: z.literal('gru4rec'),
    factors: z
      .number()
      .int()
      .min(1)
      .max(512)
      .optional()
      .describe('an integer from 1 to 512: item embedding and GRU state size')
      .meta(byDefault(M.gru4rec.factors)),
    epochs: z.number().int().min(1).max(1000).optional().meta(byDefault(M.gru4rec.epochs)),
    learningRate: z.number().gt(0).max(10).optional().meta(byDefault(M.gru4rec.learningRate)),
    sequenceLength: z
      .number()
      .int()
      .min(1)
      .max(200)
      .optional()
      .describe('an integer from 1 to 200: last N items of the profile the GRU reads')
      .meta(byDefault(M.gru4rec.sequenceLength)),
    negatives: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe('an integer from 1 to 100000: shared sampled negatives per batch (full softmax when the catalogue is smaller)')
      .meta(byDefault(M.gru4rec.negatives)),
    batchSize: z.number().int().min(1).max(1_000_000).optional().meta(byDefault(M.gru4rec.batchSize)),
    samplesPerEpoch: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('a positive integer: training positions drawn per epoch (all when fewer)')
      .meta(byDefault(M.gru4rec.samplesPerEpoch)),
  }),
  z.strictObject({ ...modelBase, type: z.literal('saved'), path: z.string().min(1).describe('the folder written by saveModel (model.json + weights.bin)') }),
  z.strictObject({
    ...modelBase,
    type: z.literal('tfjs'),
    path: z.string().min(1).describe('a TensorFlow.js model.json (LayersModel or GraphModel)'),
    input: z.enum(['sequence', 'multihot']).describe('sequence (the last N item indices) or multihot (one 0/1 slot per item)'),
    sequenceLength: z.number().int().min(1).max(10_000).optional().meta(byDefault(M.tfjs.sequenceLength)),
    itemIds: z
      .string()
      .min(1)
      .optional()
      .describe(`a JSON file of the item ids by output index (default ${M.tfjs.itemIds} next to model.json)`)
      .meta(byDefault(M.tfjs.itemIds)),
  }),
  z.strictObject({
    ...modelBase,
    type: z.literal('command'),
    command: z
      .array(z.string().min(1).describe('non-empty text: the program or one of its arguments'))
      .min(1)
      .describe("a list of the program and its arguments, e.g. [python3, score.py], run without a shell in the scenario file's folder"),
    timeout: positiveDuration
      .optional()
      .describe(`a positive duration: the longest wait for one answer (default ${durationDefault(M.command.timeoutMs)})`)
      .meta(byDefault(durationDefault(M.command.timeoutMs))),
    startTimeout: positiveDuration
      .optional()
      .describe(
        `a positive duration: the longest wait for the answer to the handshake, while the model fits (default ${durationDefault(M.command.startTimeoutMs)})`,
      )
      .meta(byDefault(durationDefault(M.command.startTimeoutMs))),
  }),
  z.strictObject({
    ...modelBase,
    type: z.literal('http'),
    url: z
      .string()
      .refine(isHttpUrl, says('an http:// or https:// URL such as http://127.0.0.1:8080/score'))
      .describe('an http:// or https:// URL such as http://127.0.0.1:8080/score'),
    timeout: positiveDuration
      .optional()
      .describe(`a positive duration: the longest wait for the answer to one POST (default ${durationDefault(M.http.timeoutMs)})`)
      .meta(byDefault(durationDefault(M.http.timeoutMs))),
    startTimeout: positiveDuration
      .optional()
      .describe(`a positive duration: the longest wait for the answer to the handshake POST (default ${durationDefault(M.http.startTimeoutMs)})`)
      .meta(byDefault(durationDefault(M.http.startTimeoutMs))),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .optional()
      .describe(`an integer from 1 to 64: POSTs in flight at once (default ${M.http.concurrency})`)
      .meta(byDefault(M.http.concurrency)),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe(
        `an integer from 0 to 10: extra attempts after a connection error or an HTTP 5xx answer, never after a 4xx or a timeout (default ${M.http.retries})`,
      )
      .meta(byDefault(M.http.retries)),
    batch: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe(`an integer from 1 to 10000: requests per POST (default ${M.http.batch})`)
      .meta(byDefault(M.http.batch)),
  }),
]);

const pipelineSchema = z.strictObject({
  name: nameSchema,
  refresh: z.union([z.literal('stream'), positiveDuration]).describe('batch cadence such as 7d, 1d, 1h, or stream'),
  latency: duration.optional().meta(byDefault(durationDefault(DEFAULT_PIPELINE.latencyMs))),
  identity: z.enum(IDENTITY_RESOLVERS).optional().meta(byDefault(DEFAULT_PIPELINE.identity)),
  channels: z
    .union([z.literal('all'), z.array(z.string().min(1)).min(1)])
    .optional()
    .meta(byDefault('all')),
  origin: z
    .string()
    .optional()
    .describe(
      "an ISO 8601 time: pins the refresh (and retrain) schedule to cuts at this time plus whole cadences (default: averaged over the schedule's phase, eval.phases)",
    ),
  retrain: positiveDuration
    .optional()
    .describe('a positive duration: refit the models on each cut of this cadence (model staleness; default: fitted once before the split)'),
  graph: z
    .strictObject({
      threshold: probability
        .optional()
        .describe(`a probability: link keys whose posterior match probability is at least this (default ${DEFAULT_GRAPH.threshold})`)
        .meta(byDefault(DEFAULT_GRAPH.threshold)),
      blocking: z
        .array(
          z
            .string()
            .regex(BLOCKING_KEY_PATTERN)
            .describe(`a blocking key: fields from ${BLOCKING_FIELDS.join(', ')} joined by +, e.g. ip or userAgent+geo+day`),
        )
        .min(1)
        .max(8)
        .optional()
        .describe(
          `a list of one to eight blocking keys: fields joined by +, from ${BLOCKING_FIELDS.join(', ')} (default [${DEFAULT_GRAPH.blocking.join(', ')}])`,
        )
        .meta(byDefault(DEFAULT_GRAPH.blocking)),
      maxBlock: z
        .number()
        .int()
        .min(2)
        .max(100_000)
        .optional()
        .describe(`an integer from 2 to 100000: blocks reaching more keys produce no pairs (default ${DEFAULT_GRAPH.maxBlock})`)
        .meta(byDefault(DEFAULT_GRAPH.maxBlock)),
      logins: z
        .boolean()
        .optional()
        .describe(`true or false: also link keys that share a login (default ${DEFAULT_GRAPH.logins})`)
        .meta(byDefault(DEFAULT_GRAPH.logins)),
      atRequest: z
        .boolean()
        .optional()
        .describe(
          `true or false: with logins, also serve the cluster of the login the request's own event carries, as of the cut (default ${DEFAULT_GRAPH.atRequest})`,
        )
        .meta(byDefault(DEFAULT_GRAPH.atRequest)),
    })
    .optional()
    .describe('a mapping of the options of identity: graph'),
  login: z
    .strictObject({
      retroactive: z
        .boolean()
        .optional()
        .describe(`true or false: merge a key's anonymous history from before its first login (default ${DEFAULT_LOGIN.retroactive})`)
        .meta(byDefault(DEFAULT_LOGIN.retroactive)),
      sessionStitch: z
        .boolean()
        .optional()
        .describe(`true or false: without retroactive, start at the session of the first login (default ${DEFAULT_LOGIN.sessionStitch})`)
        .meta(byDefault(DEFAULT_LOGIN.sessionStitch)),
      atRequest: z
        .boolean()
        .optional()
        .describe(`true or false: also serve the cluster of the login the request's own event carries, as of the cut (default ${DEFAULT_LOGIN.atRequest})`)
        .meta(byDefault(DEFAULT_LOGIN.atRequest)),
    })
    .optional()
    .describe('a mapping of the options of identity: login'),
});

/** Business assumptions for pricing the gap (docs/method.md 7.2); every key optional with a documented default. */
const B = DEFAULT_BUSINESS;
const businessSchema = z.strictObject({
  sessionsPerMonth: z
    .number()
    .gt(0)
    .optional()
    .describe(`a positive number: sessions per month that could see recommendations (default ${B.sessionsPerMonth})`)
    .meta(byDefault(B.sessionsPerMonth)),
  averageOrderValue: z
    .number()
    .gt(0)
    .optional()
    .describe(`a positive amount: average order value (default ${B.averageOrderValue})`)
    .meta(byDefault(B.averageOrderValue)),
  margin: probability.optional().describe(`a share between 0 and 1: contribution margin of revenue (default ${B.margin})`).meta(byDefault(B.margin)),
  marketingSpendPerMonth: nonNegative
    .optional()
    .describe(`an amount >= 0: marketing spend per month (default ${B.marketingSpendPerMonth})`)
    .meta(byDefault(B.marketingSpendPerMonth)),
  exposure: probability
    .optional()
    .describe(`a share between 0 and 1: sessions that see the recommendations (default ${B.exposure})`)
    .meta(byDefault(B.exposure)),
  incrementality: probability
    .optional()
    .describe(`a probability between 0 and 1: purchases per extra hit that would not have happened anyway (default ${B.incrementality})`)
    .meta(byDefault(B.incrementality)),
  incrementalityRange: z
    .tuple([probability, probability])
    .optional()
    .describe(`[low, high] probabilities for the sensitivity range (default [${B.incrementalityRange.join(', ')}])`)
    .meta(byDefault(B.incrementalityRange)),
  currency: z
    .string()
    .regex(/^[A-Za-z$€£¥₹₩ .]{1,12}$/)
    .optional()
    .describe(`letters or a currency sign, up to 12 characters, e.g. EUR or $ (default ${B.currency})`)
    .meta(byDefault(B.currency)),
  model: z.string().min(1).optional().describe("the name of one of the scenario's models (default: the offline winner)"),
  value: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe(
      'a formula for what one order is worth after margin, over numbers, aov, margin and business.quantities with + - * / and parentheses, e.g. "aov * margin - shipping" (default aov * margin)',
    ),
  quantities: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), z.number().finite())
    .optional()
    .describe('a mapping from a name (letters, digits, underscore) to a number that business.value may use, e.g. { shipping: 4.5 }'),
  costs: z
    .record(
      z.string(),
      z.strictObject({
        oneOff: nonNegative.optional().describe('an amount >= 0: what building it costs once (default 0)'),
        perMonth: nonNegative.optional().describe('an amount >= 0: what running it costs a month (default 0)'),
      }),
    )
    .optional()
    .describe(
      'a mapping from pipeline name to its cost { oneOff, perMonth }: gives net value, payback and ROI; pipelines not listed are not priced against a cost',
    ),
  baselineConversionRate: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .describe('a share strictly between 0 and 1: sessions that convert, for logs that cannot measure it (only purchases); default: measured from the log'),
});

/** The scenario as users write it. */
export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z
    .string()
    .min(1)
    .max(SCENARIO_NAME_MAX_LENGTH)
    .regex(SCENARIO_NAME_PATTERN)
    .describe('letters, digits, dot, dash, underscore: it names the output folder'),
  description: z.string().optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional()
    .meta(byDefault(DEFAULT_SEED)),
  world: worldSchema.optional(),
  data: dataSchema.optional(),
  train: trainSchema.optional(),
  eval: evalSchema.optional(),
  models: z.array(modelSchema).min(1).describe('a list of models, e.g. [{ name: pop, type: popularity }]'),
  pipelines: z.array(pipelineSchema).min(1).describe('a list of pipelines, e.g. [{ name: weekly, refresh: 7d, latency: 6h, identity: key }]'),
  business: businessSchema
    .optional()
    .describe('a mapping of the assumptions that turn metric differences into money (sessions, order value, margin, exposure, incrementality)'),
});

export type ScenarioInput = z.infer<typeof scenarioSchema>;

/** JSON Schema of the scenario file, for editor completion. */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(scenarioSchema, { io: 'input' });
}
