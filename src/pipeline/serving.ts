// A serving configuration: when data becomes visible (refresh cuts + latency), which keys are merged
// (identity resolver) and which channels feed the profile store. Pipelines and the "fixed" variants used
// by the gap decomposition are both ServingConfigs.
import type { IdentityResolver, PipelineSpec, Refresh } from '../scenario/types.ts';
import { formatDurationMs } from '../util/duration.ts';
import { describeResolver, resolverSignature, type GraphOptions, type LoginOptions } from '../identity/options.ts';

export interface ServingConfig {
  refresh: Refresh;
  latencyMs: number;
  identity: IdentityResolver;
  /** Allowed channel indices, sorted; null = all channels. */
  channels: number[] | null;
  originMs: number;
  /** Models are refit on cuts of this cadence (same latency and origin); null = the frozen model. */
  retrainMs: number | null;
  /** Resolver options (defaults when absent or null). */
  graph?: GraphOptions | null;
  login?: LoginOptions | null;
}

/** The configuration that an offline evaluation implicitly assumes: it must reproduce the frozen view. */
export function isFrozenEquivalent(c: ServingConfig): boolean {
  return c.refresh.kind === 'stream' && c.latencyMs === 0 && c.identity === 'oracle' && c.channels === null && c.retrainMs === null;
}

/** A stable signature, so identical configurations are evaluated once. */
export function configSignature(c: ServingConfig): string {
  const refresh = c.refresh.kind === 'stream' ? 'stream' : `batch:${c.refresh.cadenceMs}@${c.originMs}`;
  const retrain = c.retrainMs === null ? '' : `|retrain:${c.retrainMs}@${c.originMs}`;
  return `${refresh}|lat:${c.latencyMs}|id:${c.identity}${resolverSignature(c)}|ch:${c.channels ? c.channels.join(',') : 'all'}${retrain}`;
}

/** Human-readable description, e.g. `7d + 6h, key, all channels`. */
export function describeConfig(c: ServingConfig, channelNames: readonly string[]): string {
  const refresh = c.refresh.kind === 'stream' ? 'stream' : `every ${formatDurationMs(c.refresh.cadenceMs)}`;
  const ch = c.channels ? c.channels.map((i) => channelNames[i]).join('+') : 'all channels';
  const retrain = c.retrainMs === null ? '' : `, retrain every ${formatDurationMs(c.retrainMs)}`;
  return `${refresh}, latency ${formatDurationMs(c.latencyMs)}, ${describeResolver(c)}, ${ch}${retrain}`;
}

/** Resolve a pipeline spec against a log's channel dictionary and start time. */
export function servingConfigOf(p: PipelineSpec, channelIds: number[] | null, defaultOriginMs: number): ServingConfig {
  return { refresh: p.refresh, latencyMs: p.latencyMs, identity: p.identity, channels: channelIds, originMs: p.originMs ?? defaultOriginMs, retrainMs: p.retrainMs, graph: p.graph, login: p.login };
}

/**
 * The newest cut whose data is visible at request time t: events with ts < cut are served.
 * Batch: cut r_j = origin + j * cadence with r_j + latency <= t. Stream: cut = t - latency.
 */
export function visibleCutMs(c: Pick<ServingConfig, 'refresh' | 'latencyMs' | 'originMs'>, tMs: number): number {
  if (c.refresh.kind === 'stream') return tMs - c.latencyMs;
  const j = Math.floor((tMs - c.latencyMs - c.originMs) / c.refresh.cadenceMs);
  return c.originMs + j * c.refresh.cadenceMs;
}
