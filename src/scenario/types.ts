// The normalized scenario: every default filled in, durations in milliseconds. Downstream code accepts
// only this form; the YAML shape with its shorthands stops at `normalize.ts`.
import type { IdentitySpec, WorldSpec } from './worldSpec.ts';
import type { Formula } from './formula.ts';
import type { GraphOptions, LoginOptions } from './resolverOptions.ts';

export type IdentityResolver = 'key' | 'login' | 'graph' | 'oracle';

export type Refresh = { kind: 'stream' } | { kind: 'batch'; cadenceMs: number };

export interface PipelineSpec {
  name: string;
  refresh: Refresh;
  latencyMs: number;
  identity: IdentityResolver;
  /** Channels that feed the profile store; null means all channels. */
  channels: string[] | null;
  /** Time of refresh cut 0 (epoch ms), pinning the schedule; null = averaged over the schedule's phase. */
  originMs: number | null;
  /** Refit models on cuts of this cadence (published after the pipeline's latency); null = fitted once. */
  retrainMs: number | null;
  /** Options of identity `graph` (defaults filled in); null for other resolvers. */
  graph: GraphOptions | null;
  /** Options of identity `login` (defaults filled in); null for other resolvers. */
  login: LoginOptions | null;
}

export type ModelSpec =
  | { name: string; type: 'popularity' }
  | { name: string; type: 'recency-popularity'; halfLifeMs: number }
  | { name: string; type: 'itemknn'; neighbors: number; halfLifeMs: number; shrink: number }
  | { name: string; type: 'random' }
  | { name: string; type: 'ease'; lambda: number | null; halfLifeMs: number }
  | {
      name: string;
      type: 'mf';
      factors: number;
      epochs: number;
      learningRate: number;
      regularization: number;
      halfLifeMs: number;
      history: number;
      negatives: number;
      batchSize: number;
    }
  | {
      name: string;
      type: 'gru4rec';
      factors: number;
      epochs: number;
      learningRate: number;
      sequenceLength: number;
      negatives: number;
      batchSize: number;
      samplesPerEpoch: number;
    }
  | { name: string; type: 'saved'; path: string }
  | { name: string; type: 'tfjs'; path: string; input: 'sequence' | 'multihot'; sequenceLength: number; itemIds: string }
  | CommandModelSpec
  | HttpModelSpec;

/** A model in a process recgap starts and talks to over stdin/stdout (README "Evaluate your own model"). */
export interface CommandModelSpec {
  name: string;
  type: 'command';
  /** Program and arguments, run without a shell; a program given as a path is absolute (resolved beside the scenario). */
  command: string[];
  /** Working folder of the process: the scenario file's folder (absolute). */
  cwd: string;
  /** Longest wait for one answer. */
  timeoutMs: number;
  /** Longest wait for the answer to the handshake (the model fits in between). */
  startTimeoutMs: number;
}

/** A model server recgap POSTs the same JSON to, in batches. */
export interface HttpModelSpec {
  name: string;
  type: 'http';
  url: string;
  /** Longest wait for one POST's answer (each attempt). */
  timeoutMs: number;
  /** Longest wait for the answer to the handshake POST. */
  startTimeoutMs: number;
  /** POSTs in flight at once. */
  concurrency: number;
  /** Extra attempts of a POST after a connection error or an HTTP 5xx answer (never after a 4xx or a timeout). */
  retries: number;
  /** Requests per POST. */
  batch: number;
}

/** The models recgap does not fit itself: it starts a process or calls a server for every scored profile. */
export type ExternalModelSpec = CommandModelSpec | HttpModelSpec;

export type TrainUntil = { kind: 'quantile'; q: number } | { kind: 'time'; tsMs: number };

export type ExcludeSeen = 'none' | 'view' | 'person';

export interface EvalSpec {
  ks: number[];
  windowMs: number;
  positives: string[];
  /**
   * Already-converted items left out of rankings: 'view' = each view excludes the items of the positive
   * events it holds; 'person' = every view excludes all the person's positives before t; 'none' = none.
   * Labels never contain the person's positives before t unless 'none'.
   */
  excludeSeen: ExcludeSeen;
  bootstrap: number;
  level: number;
  /** Share of persons (by a hash of the person id) whose requests are evaluated; 1 = all. */
  sample: number;
  /** Upper edges of the signal-age bins, ascending. */
  ageBinEdgesMs: number[];
  /** Phases of a batch schedule averaged over when a pipeline names no origin (1..64). */
  phases: number;
}

/** Drift injected into a real log (identity of the log when clock = 1 and no shifts). */
export interface DriftInjection {
  /** Behaviour replays this many times faster relative to the refresh clock. */
  clock: number;
  /** Planted interest shifts; null = none. */
  shifts: { share: number; groups: number } | null;
}

/** A real log and what to inject into it. */
export interface LogSource {
  data: DataSpec;
  /** Identity parameters for fragmentation injection; null = keep the log's keys. */
  fragment: IdentitySpec | null;
  drift: DriftInjection;
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  /** Exactly one of world and log is set. */
  world: WorldSpec | null;
  log: LogSource | null;
  train: { until: TrainUntil };
  eval: EvalSpec;
  models: ModelSpec[];
  pipelines: PipelineSpec[];
  /** Assumptions for pricing the gap (docs/method.md 7.2), defaults filled in. */
  business: BusinessSpec;
}

/** Business assumptions (normalized): every value set; `source` says whether the scenario gave any. */
export interface BusinessSpec {
  sessionsPerMonth: number;
  averageOrderValue: number;
  /** Contribution margin, a share of revenue. */
  margin: number;
  marketingSpendPerMonth: number;
  /** Share of sessions that see the slate. */
  exposure: number;
  /** Purchase probability per extra hit that would not have happened anyway. */
  incrementality: number;
  /** [low, high] incrementality for the sensitivity range. */
  incrementalityRange: [number, number];
  currency: string;
  /** The model to price; null = the offline winner. */
  model: string | null;
  /**
   * Share of sessions that convert, when the log cannot measure it (a log of purchases only has no session
   * without one); null = measured from the log.
   */
  baselineConversionRate: number | null;
  /** What one order is worth after margin, as a checked formula over aov, margin and `quantities`; null = aov x margin. */
  value: { text: string; formula: Formula } | null;
  /** Named numbers the value formula may use (e.g. shipping). */
  quantities: Record<string, number>;
  /** What each pipeline change costs, by pipeline name: one-off and per month; absent = not priced. */
  costs: Record<string, { oneOff: number; perMonth: number }>;
  source: 'scenario' | 'defaults';
}

/** Formats `data.format` accepts: generic readers, then built-in adapters that need no column mapping. */
export const DATA_FORMATS = ['csv', 'jsonl', 'parquet', 'arrow', 'movielens', 'retailrocket', 'diginetica', 'online-retail', 'otto', 'taobao'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** Source column names for the canonical fields; unmapped fields take their canonical name if present. */
export interface ColumnMap {
  time?: string;
  person?: string;
  key?: string;
  login?: string;
  session?: string;
  item?: string;
  event?: string;
  value?: string;
  channel?: string;
  /** Identity signals a device graph links keys with (EventLog.signals); absent per row = NONE. */
  ip?: string;
  userAgent?: string;
  geo?: string;
}

/** A span of event times: [fromMs, toMs), either end null for open. */
export interface TimeRange {
  fromMs: number | null;
  toMs: number | null;
}

/** A log to read instead of generating a world (normalized). */
export interface DataSpec {
  /** Absolute path (resolved against the scenario file's folder). */
  path: string;
  format: DataFormat;
  columns: ColumnMap | null;
  /** How to read the time column; 'auto' detects ISO 8601, epoch seconds or epoch milliseconds. */
  timeUnit: 'auto' | 'iso' | 's' | 'ms';
  /** Raw event value -> canonical event type name (view, cart, purchase, ...); null = keep raw values. */
  eventMap: Record<string, string> | null;
  /** CSV delimiter; null = detect. */
  delimiter: string | null;
  /** Inactivity gap that splits a key's events into sessions when the log has no session column. */
  sessionGapMs: number;
  /** Events kept: time in [fromMs, toMs) (null = open); the rest are dropped as `outside data.timeRange`. Absent or null = all. */
  timeRange?: TimeRange | null;
  /** Fail on the first bad row instead of counting and dropping bad rows. */
  strict: boolean;
}
