// The shape of results.json (documented in docs/results.md, JSON Schema in results.schema.json).
import type { Interval } from '../stats/bootstrap.ts';
import type { AgeBin, RelevanceLossFit } from '../eval/ageCurve.ts';
import type { Factor } from '../pipeline/factors.ts';
import type { ExcludeSeen, Scenario } from '../scenario/types.ts';
import type { IngestReport } from '../ingest/readLog.ts';
import type { FragmentReport } from '../world/fragment.ts';
import type { DriftReport } from '../world/injectDrift.ts';
import type { ResolutionQuality } from '../identity/quality.ts';

export const RESULTS_VERSION = 'recgap.results/2';

export interface MetricResult {
  frozen: Interval;
  served: Interval;
  /** frozen - served, paired per request. */
  gap: Interval;
  /** gap / frozen, interval from the same bootstrap replicates. */
  relativeGap: Interval;
}

export interface Decomposition {
  /** Factors in which this pipeline differs from the frozen configuration. */
  factors: Factor[];
  /** Per metric: Shapley share of each factor (they sum to the gap), and the two-factor interaction. */
  byMetric: Record<string, { shares: Partial<Record<Factor, Interval>>; interaction: Interval | null }>;
}

/** Request time minus the newest event of a view: the served view's signal age, or the frozen view's (inactivity). */
export interface SignalAgeStats {
  /** Requests whose view is empty (no signal at all; for the frozen view, persons without history). */
  emptyShare: number;
  /** Quantiles of signal age over requests with a non-empty view, in ms. */
  quantilesMs: { p10: number; p25: number; p50: number; p75: number; p90: number };
  meanMs: number;
}

/** Pipeline lag: served signal age minus the person's own inactivity (eval/lag.ts). */
export interface LagStats {
  /** Requests whose person has history but whose served view is empty (lag Infinity). */
  emptyShare: number;
  /** Requests whose person has no history before the request (no lag is defined). */
  noHistoryShare: number;
  /** Quantiles of the finite lags, in ms. */
  quantilesMs: { p10: number; p25: number; p50: number; p75: number; p90: number };
  meanMs: number;
}

/** The primary metric binned by pipeline lag, and the relevance-loss curve fitted against it. */
export interface LagCurve {
  metric: string;
  bins: Array<Pick<AgeBin, 'label' | 'loMs' | 'hiMs' | 'count'> & { frozen: number; served: number; gap: number }>;
  /** relevance_loss(lag) = lInf (1 - exp(-lag / tau)) fitted on per-request gaps, empty served views included. */
  fit: RelevanceLossFit;
}

/** How a pipeline's batch schedule was placed: averaged over its phase, or pinned by `origin`. */
export type ScheduleSummary = { origin: 'averaged'; phases: number; periodMs: number } | { origin: 'pinned'; at: string; atMs: number };

/** Requests whose key had no event before the pipeline's cut (a fresh key: only identity can give them a profile). */
export interface UnknownKeyStats {
  /** Share of all requests. */
  share: number;
  requests: number;
  /** Primary metric means over those requests, frozen and served (NaN when there are none). */
  frozen: number;
  served: number;
}

export interface ModelPipelineResult {
  model: string;
  pipeline: string;
  metrics: Record<string, MetricResult>;
  decomposition: Decomposition;
  signalAge: SignalAgeStats;
  lagCurve: LagCurve;
  /** Requests whose key was unknown at the cut, and the primary metric on them. */
  unknownKey: UnknownKeyStats;
  /** The pipeline's identity resolution against the true persons (pairwise, B-cubed, purity, coverage). */
  identity: ResolutionQuality;
}

export interface PipelineSummary {
  name: string;
  description: string;
  refresh: string;
  latencyMs: number;
  identity: string;
  channels: string[] | 'all';
  /** Model retrain cadence, or null when the served model is the one fitted before the split. */
  retrain: string | null;
  factors: Factor[];
  /** The batch schedule's placement; null when the pipeline has none (stream, no retraining). */
  schedule: ScheduleSummary | null;
  signalAge: SignalAgeStats;
  /** What the pipeline adds to the signal age beyond the person's own inactivity. */
  lag: LagStats;
  /** Mean number of events in the served view, next to the frozen view's. */
  meanViewEvents: number;
}

export interface Comparison {
  model: string;
  metric: string;
  /** served(pipeline) - served(baseline), paired per request. */
  pipeline: string;
  baseline: string;
  difference: Interval;
  pValue: number;
  /** Holm-adjusted across all comparisons of the run. */
  pHolm: number;
}

export interface Results {
  version: string;
  scenario: Scenario;
  config: {
    ks: number[];
    metrics: string[];
    primaryMetric: string;
    window: string;
    windowMs: number;
    positives: string[];
    /** What each view excludes from its ranking: 'none', 'view' (its own positives) or 'person' (all the person's). */
    excludeSeen: ExcludeSeen;
    bootstrap: number;
    level: number;
    /** Share of persons whose requests were evaluated (person-hash sample); 1 = all. */
    sample: number;
    /** Requests before sampling (= counts.requests without a sample). */
    sampledFrom: number;
    until: string;
    untilMs: number;
  };
  /** Where the log came from: generated world, or a file with what was injected. */
  log: LogProvenance;
  counts: {
    events: number;
    /** Events without a known person; each of their keys stands in for a person. */
    anonymousEvents: number;
    standInPersons: number;
    trainEvents: number;
    persons: number;
    keys: number;
    items: number;
    sessions: number;
    /** Session starts at or after the split. */
    candidates: number;
    censored: number;
    noLabels: number;
    requests: number;
    requestPersons: number;
    /** After the split: events, distinct keys (measured visitors), distinct persons (true visitors), positive events, keys and persons with a positive event. */
    testEvents: number;
    testKeys: number;
    testPersons: number;
    testConversions: number;
    testConvertingKeys: number;
    testConvertingPersons: number;
    /** Sessions with an event after the split, and those with a positive event (the conversion rate's parts). */
    testSessions: number;
    testConvertingSessions: number;
  };
  /** saved: the fitted model's folder in the run output (models/<name>), null when not saved. */
  models: Array<{ name: string; type: string; saved: string | null }>;
  pipelines: PipelineSummary[];
  /** The frozen view: its mean size and its signal age, the persons' own inactivity. */
  frozen: { meanViewEvents: number; inactivity: SignalAgeStats };
  /** Things the reader must know to trust the numbers (e.g. an evaluated period shorter than a cadence). */
  warnings: string[];
  results: ModelPipelineResult[];
  comparisons: Comparison[];
  /** Models ranked under the frozen view and each served view, with tested rank reversals. */
  modelRanking: ModelRanking;
  /** The TensorFlow.js backend that ran (null when no model used it) and its threads. */
  runtime: { node: string; tfBackend: string | null; threads: number; timingsMs: Record<string, number> };
}

/** Where the log came from and what was done to it (recorded in results.json). */
export interface LogProvenance {
  source: 'world' | 'data';
  /** The read's report without its duration (a timing: it is under runtime.timingsMs, 'read log'). */
  ingest: Omit<IngestReport, 'seconds'> | null;
  fragment: FragmentReport | null;
  drift: DriftReport | null;
}

export interface RankedModel {
  model: string;
  mean: number;
  rank: number;
}

export interface Reversal {
  pipeline: string;
  /** Better offline, worse served. */
  offlineWinner: string;
  servedWinner: string;
  /** offlineWinner - servedWinner under the frozen view (positive) and the served view (negative). */
  frozenDifference: Interval;
  servedDifference: Interval;
  /** Two-sided paired bootstrap p-value of the offline difference; Holm-adjusted with the served ones. */
  frozenPValue: number;
  frozenPHolm: number;
  /** Two-sided paired bootstrap p-value of the served difference; Holm-adjusted over both tests of every candidate. */
  pValue: number;
  pHolm: number;
  /** A rank reversal is claimed only when both differences are significant (Holm p below 1 - level). */
  claimed: boolean;
}

/** One pair of models under one view: a - b on the primary metric, paired per request. */
export interface ModelDifference {
  /** 'frozen' or a pipeline name. */
  view: string;
  a: string;
  b: string;
  difference: Interval;
  pValue: number;
  /** Holm-adjusted over every pair and view of the run. */
  pHolm: number;
}

export interface ModelRanking {
  metric: string;
  frozen: RankedModel[];
  served: Record<string, RankedModel[]>;
  /** Every model pair's difference under the frozen view and each served view, with its paired interval. */
  differences: ModelDifference[];
  reversals: Reversal[];
}
