// The shape of results.json (documented in docs/results.md, JSON Schema in results.schema.json).
import type { Interval } from '../eval/bootstrap.ts';
import type { AgeBin, RelevanceLossFit } from '../eval/ageCurve.ts';
import type { Factor } from '../pipeline/factors.ts';
import type { ExcludeSeen, Scenario } from '../scenario/types.ts';
import type { LogProvenance } from './loadLog.ts';
import type { ModelRanking } from './modelRanking.ts';
import type { ResolutionQuality } from '../identity/quality.ts';

export const RESULTS_VERSION = 'recgap.results/1';

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

export interface SignalAgeStats {
  /** Requests whose served view is empty (no signal at all). */
  emptyShare: number;
  /** Quantiles of signal age over requests with a non-empty view, in ms. */
  quantilesMs: { p10: number; p25: number; p50: number; p75: number; p90: number };
  meanMs: number;
}

export interface AgeCurve {
  metric: string;
  bins: Array<Pick<AgeBin, 'label' | 'loMs' | 'hiMs' | 'count'> & { frozen: number; served: number; gap: number }>;
  /** relevance_loss(age) = lInf (1 - exp(-age / tau)) fitted on per-request gaps. */
  fit: RelevanceLossFit;
}

export interface ModelPipelineResult {
  model: string;
  pipeline: string;
  metrics: Record<string, MetricResult>;
  decomposition: Decomposition;
  signalAge: SignalAgeStats;
  ageCurve: AgeCurve;
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
  signalAge: SignalAgeStats;
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
  };
  /** saved: the fitted model's folder in the run output (models/<name>), null when not saved. */
  models: Array<{ name: string; type: string; saved: string | null }>;
  pipelines: PipelineSummary[];
  frozen: { meanViewEvents: number };
  results: ModelPipelineResult[];
  comparisons: Comparison[];
  /** Models ranked under the frozen view and each served view, with tested rank reversals. */
  modelRanking: ModelRanking;
  /** The TensorFlow.js backend that ran (null when no model used it) and its threads. */
  runtime: { node: string; tfBackend: string | null; threads: number; timingsMs: Record<string, number> };
}
