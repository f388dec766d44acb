// Defaults of the scenario settings outside the world spec and the resolver options, in normalized units:
// normalize.ts fills them in and schema.ts publishes them as JSON Schema defaults, from these same values.
import { MS } from '../util/duration.ts';
import type { BusinessSpec, DataFormat, DataSpec, EvalSpec, IdentityResolver, ModelSpec } from './types.ts';

export const DEFAULT_SEED = 7;

/** Train on events up to this quantile of event times (train.until). */
export const DEFAULT_UNTIL_QUANTILE = 0.75;

/** world.drift.scale: stationary standard deviation of the taste offset; sigma defaults to scale * sqrt(2 kappa). */
export const DEFAULT_DRIFT_SCALE = 1;

const DEFAULT_AGE_BINS_MS = [MS.h, 6 * MS.h, MS.d, 2 * MS.d, 4 * MS.d, 7 * MS.d, 14 * MS.d];
/** Phases a batch schedule without an origin is averaged over: 8 keeps the replay cost near one pass. */
const DEFAULT_PHASES = 8;

/** Evaluation settings (eval.*); `sample` 1 evaluates every request. */
export const DEFAULT_EVAL: Readonly<EvalSpec> = Object.freeze({
  ks: [10],
  windowMs: 7 * MS.d,
  positives: ['purchase'],
  excludeSeen: 'none',
  bootstrap: 1000,
  level: 0.95,
  sample: 1,
  ageBinEdgesMs: DEFAULT_AGE_BINS_MS,
  phases: DEFAULT_PHASES,
});

type ModelOptions<T extends ModelSpec['type']> = Omit<Extract<ModelSpec, { type: T }>, 'name' | 'type'>;

/** Options per model type; `ease.lambda` has none (it scales with the training data) and is left out. */
export const DEFAULT_MODEL_OPTIONS: {
  'recency-popularity': ModelOptions<'recency-popularity'>;
  itemknn: ModelOptions<'itemknn'>;
  ease: Omit<ModelOptions<'ease'>, 'lambda'>;
  mf: ModelOptions<'mf'>;
  gru4rec: ModelOptions<'gru4rec'>;
  tfjs: Omit<ModelOptions<'tfjs'>, 'path' | 'input'>;
  command: Pick<ModelOptions<'command'>, 'timeoutMs' | 'startTimeoutMs'>;
  http: Omit<ModelOptions<'http'>, 'url'>;
} = {
  'recency-popularity': { halfLifeMs: 7 * MS.d },
  itemknn: { neighbors: 100, halfLifeMs: 7 * MS.d, shrink: 10 },
  ease: { halfLifeMs: 0 },
  mf: { factors: 32, epochs: 5, learningRate: 0.01, regularization: 1e-4, halfLifeMs: 7 * MS.d, history: 20, negatives: 64, batchSize: 1024 },
  gru4rec: { factors: 32, epochs: 3, learningRate: 0.01, sequenceLength: 10, negatives: 1024, batchSize: 512, samplesPerEpoch: 200_000 },
  tfjs: { sequenceLength: 20, itemIds: 'ids.json' },
  // A process answers a profile in well under a second; fitting happens before the handshake answer and may take minutes.
  command: { timeoutMs: 60 * MS.s, startTimeoutMs: 10 * MS.m },
  http: { timeoutMs: 30 * MS.s, startTimeoutMs: 10 * MS.m, concurrency: 4, retries: 2, batch: 64 },
};

/** Pipeline settings besides refresh: no latency, the raw device key, every channel. */
export const DEFAULT_PIPELINE: Readonly<{ latencyMs: number; identity: IdentityResolver }> = Object.freeze({ latencyMs: 0, identity: 'key' });

/** Log settings (data.*); the format comes from the file extension (csv when it says nothing) and the CSV delimiter is detected. */
export const DEFAULT_DATA = Object.freeze({
  timeUnit: 'auto' as const,
  sessionGapMs: 30 * MS.m,
  strict: false,
  /** data.drift.clock: replay at the log's own speed. */
  clock: 1,
  /** data.drift.shifts.groups: item groups a planted interest shift moves between. */
  shiftGroups: 20,
});

/**
 * The read options of a log file with every setting at its default: no column map, event map or delimiter,
 * times detected, sessions cut at 30 minutes, bad rows counted (what `recgap audit FILE` reads).
 *
 * @example
 * readLog(defaultDataSpec('events.csv', 'csv', { strict: true }))
 */
export function defaultDataSpec(path: string, format: DataFormat, overrides: Partial<DataSpec> = {}): DataSpec {
  return {
    path,
    format,
    columns: null,
    timeUnit: DEFAULT_DATA.timeUnit,
    eventMap: null,
    delimiter: null,
    sessionGapMs: DEFAULT_DATA.sessionGapMs,
    strict: DEFAULT_DATA.strict,
    ...overrides,
  };
}

/**
 * Business defaults: a mid-size shop. They only scale the money figures; reports print them beside every
 * figure and say when they are defaults rather than the scenario's own numbers.
 */
export const DEFAULT_BUSINESS: Omit<BusinessSpec, 'source'> = {
  sessionsPerMonth: 1_000_000,
  averageOrderValue: 50,
  margin: 0.3,
  marketingSpendPerMonth: 100_000,
  exposure: 0.5,
  incrementality: 0.1,
  incrementalityRange: [0.05, 0.3],
  currency: 'USD',
  model: null,
  baselineConversionRate: null,
  value: null,
  quantities: {},
  costs: {},
};
