// A serving configuration: when data becomes visible (refresh cuts + latency), which keys are merged
// (identity resolver) and which channels feed the profile store. Pipelines and the "fixed" variants used
// by the gap decomposition are both ServingConfigs.
import type { IdentityResolver, PipelineSpec, Refresh } from '../scenario/types.ts';
import { formatDurationMs } from '../util/duration.ts';
import { describeResolver, resolverSignature } from '../identity/options.ts';
import type { GraphOptions, LoginOptions } from '../scenario/resolverOptions.ts';
import { schedulePeriodMs, type SchedulePhase } from './phases.ts';

export interface ServingConfig {
  refresh: Refresh;
  latencyMs: number;
  identity: IdentityResolver;
  /** Allowed channel indices, sorted; null = all channels. */
  channels: number[] | null;
  /** Cut 0 of the batch schedules (refresh and retrain); with `phase`, the base that each phase shifts. */
  originMs: number;
  /** Averaged over the schedule's phase (no origin given); null or absent = pinned at originMs. */
  phase?: SchedulePhase | null;
  /** Models are refit on cuts of this cadence (same origin); null = the frozen model. */
  retrainMs: number | null;
  /**
   * How long a retrained model takes to publish: a model fitted on cut r serves from r + modelLatencyMs.
   * The pipeline's latency, kept apart from latencyMs so that fixing feature staleness (stream, no
   * latency) leaves the model's age alone. Absent = latencyMs.
   */
  modelLatencyMs?: number;
  /** Resolver options (defaults when absent or null). */
  graph?: GraphOptions | null;
  login?: LoginOptions | null;
}

/** A stable signature, so identical configurations are evaluated once. */
export function configSignature(c: ServingConfig): string {
  const at = placementSignature(c);
  const refresh = c.refresh.kind === 'stream' ? 'stream' : `batch:${c.refresh.cadenceMs}@${at}`;
  const retrain = c.retrainMs === null ? '' : `|${retrainSignature(c)}`;
  return `${refresh}|lat:${c.latencyMs}|id:${c.identity}${resolverSignature(c)}|ch:${c.channels ? c.channels.join(',') : 'all'}${retrain}`;
}

/** Where the schedules sit: the phase averaging (count and period) or the pinned origin. */
function placementSignature(c: ServingConfig): string {
  return c.phase ? `phases:${c.phase.count}/${c.phase.periodMs}` : String(c.originMs);
}

/**
 * The retrain schedule's signature: configurations that share it share every refit model (cadence,
 * publication latency and placement).
 */
export function retrainSignature(c: ServingConfig): string {
  return `retrain:${c.retrainMs}+${modelLatencyOf(c)}@${placementSignature(c)}`;
}

/** Human-readable description, e.g. `7d + 6h, key, all channels`. */
export function describeConfig(c: ServingConfig, channelNames: readonly string[]): string {
  const pinned = !c.phase ? ` from ${new Date(c.originMs).toISOString().replace(':00.000Z', 'Z')}` : '';
  const refresh = c.refresh.kind === 'stream' ? 'stream' : `every ${formatDurationMs(c.refresh.cadenceMs)}${pinned}`;
  const ch = c.channels ? c.channels.map((i) => channelNames[i]).join('+') : 'all channels';
  const retrain = c.retrainMs === null ? '' : `, retrain every ${formatDurationMs(c.retrainMs)}`;
  return `${refresh}, latency ${formatDurationMs(c.latencyMs)}, ${describeResolver(c)}, ${ch}${retrain}`;
}

/** How a run averages unpinned schedules over their phase: the phase count, random start and hash seed. */
export interface PhasePlan {
  count: number;
  /** In [0, 1 / count). */
  offset: number;
  seed: number;
}

/**
 * Resolve a pipeline spec against a log's channel dictionary and start time. A batch schedule without an
 * `origin` is averaged over its phase (`phases`); with one, it is pinned there.
 */
export function servingConfigOf(p: PipelineSpec, channelIds: number[] | null, defaultOriginMs: number, phases: PhasePlan): ServingConfig {
  const periodMs = schedulePeriodMs(p.refresh, p.retrainMs);
  const phase = p.originMs === null && periodMs !== null ? { ...phases, periodMs } : null;
  return {
    refresh: p.refresh,
    latencyMs: p.latencyMs,
    identity: p.identity,
    channels: channelIds,
    originMs: p.originMs ?? defaultOriginMs,
    phase,
    retrainMs: p.retrainMs,
    modelLatencyMs: p.latencyMs,
    graph: p.graph,
    login: p.login,
  };
}

/** The retrain schedule of a configuration as a cut schedule (cadence, publication latency, origin). */
export function retrainSchedule(c: ServingConfig): Pick<ServingConfig, 'refresh' | 'latencyMs' | 'originMs'> {
  if (c.retrainMs === null) throw new RangeError('retrainSchedule: the configuration does not retrain');
  return { refresh: { kind: 'batch', cadenceMs: c.retrainMs }, latencyMs: modelLatencyOf(c), originMs: c.originMs };
}

/** The publication latency of retrained models. */
export function modelLatencyOf(c: ServingConfig): number {
  return c.modelLatencyMs ?? c.latencyMs;
}

/**
 * The newest cut whose data is visible at request time t: events with ts < cut are served.
 * Batch: cut r_j = origin + j * cadence with r_j + latency <= t (origin: the schedule's, or a per-request shifted one). Stream:
 * cut = t - latency.
 */
export function visibleCutMs(c: Pick<ServingConfig, 'refresh' | 'latencyMs' | 'originMs'>, tMs: number, originMs = c.originMs): number {
  if (c.refresh.kind === 'stream') return tMs - c.latencyMs;
  const j = Math.floor((tMs - c.latencyMs - originMs) / c.refresh.cadenceMs);
  return originMs + j * c.refresh.cadenceMs;
}
