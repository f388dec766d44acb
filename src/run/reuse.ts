// What consecutive runs on one fit (prepare.ts fitRun) share: the per-request tables of the frozen view and
// of each serving configuration, and each configuration's identity resolution quality. On one fit (same
// log, models and requests) a table depends only on its configuration and on the replay settings K and
// phases, so a sweep over one pipeline's cadence replays only that pipeline's configurations again.
// Only the latest run's entries are kept: memory stays at one run's tables.
import type { Scenario } from '../scenario/types.ts';
import type { SourceResult } from '../eval/replay.ts';
import type { ResolutionQuality } from '../identity/quality.ts';
import { configSignature, type ServingConfig } from '../pipeline/serving.ts';

export interface RunReuse {
  /** Per-request tables over the full request set, by sourceKey. */
  sources: Map<string, SourceResult>;
  /** Resolution quality by qualityKey. */
  quality: Map<string, ResolutionQuality>;
}

/**
 * Nothing to reuse yet.
 *
 * @example
 * const reuse = emptyReuse(); // { sources: Map(0), quality: Map(0) }
 */
export function emptyReuse(): RunReuse {
  return { sources: new Map(), quality: new Map() };
}

/**
 * Key of a per-request table on a fit: the frozen view (cfg null) or a configuration, with the replay
 * settings beyond the fit that shape it (the metric cut-offs K and the phases a schedule is averaged over).
 *
 * @example
 * sourceKey(scenario, null) // 'ks:10,20|phases:8|frozen'
 */
export function sourceKey(scenario: Scenario, cfg: ServingConfig | null): string {
  return `ks:${scenario.eval.ks.join(',')}|phases:${scenario.eval.phases}|${cfg ? configSignature(cfg) : 'frozen'}`;
}

/**
 * Key of a configuration's resolution quality on a fit (K does not enter it).
 *
 * @example
 * qualityKey(scenario, configs[0]) // 'phases:8|batch:86400000@phases:8/86400000|lat:3600000|id:login...'
 */
export function qualityKey(scenario: Scenario, cfg: ServingConfig): string {
  return `phases:${scenario.eval.phases}|${configSignature(cfg)}`;
}

/**
 * Drop every entry whose key is not in `used`.
 *
 * @example
 * keepOnly(reuse.sources, new Set(['ks:10|phases:8|frozen']));
 */
export function keepOnly<V>(map: Map<string, V>, used: ReadonlySet<string>): void {
  for (const k of [...map.keys()]) if (!used.has(k)) map.delete(k);
}
