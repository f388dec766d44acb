// The normalized scenario: every default filled in, durations in milliseconds. Downstream code accepts
// only this form; the YAML shape with its shorthands stops at `normalize.ts`.
import type { WorldSpec } from '../world/spec.ts';

export type IdentityResolver = 'key' | 'login' | 'graph' | 'oracle';

export type Refresh = { kind: 'stream' } | { kind: 'batch'; cadenceMs: number };

export interface PipelineSpec {
  name: string;
  refresh: Refresh;
  latencyMs: number;
  identity: IdentityResolver;
  /** Channels that feed the profile store; null means all channels. */
  channels: string[] | null;
  /** Time of refresh cut 0 (epoch ms); null means UTC midnight of the first event's day. */
  originMs: number | null;
}

export type ModelSpec =
  | { name: string; type: 'popularity' }
  | { name: string; type: 'recency-popularity'; halfLifeMs: number }
  | { name: string; type: 'itemknn'; neighbors: number; halfLifeMs: number; shrink: number }
  | { name: string; type: 'random' };

export type TrainUntil = { kind: 'quantile'; q: number } | { kind: 'time'; tsMs: number };

export interface EvalSpec {
  ks: number[];
  windowMs: number;
  positives: string[];
  excludeSeen: boolean;
  bootstrap: number;
  level: number;
  /** Upper edges of the signal-age bins, ascending. */
  ageBinEdgesMs: number[];
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  world: WorldSpec;
  train: { until: TrainUntil };
  eval: EvalSpec;
  models: ModelSpec[];
  pipelines: PipelineSpec[];
}
