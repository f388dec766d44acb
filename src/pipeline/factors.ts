// The causes of the gap (docs/method.md 5.1): each factor has an "as production" and a "fixed" setting. A
// pipeline's decomposition runs over the factors in which it differs from the frozen configuration.
import { modelLatencyOf, type ServingConfig } from './serving.ts';

export const FACTORS = ['staleness', 'identity', 'channels', 'model'] as const;
export type Factor = (typeof FACTORS)[number];

export function isFactor(x: unknown): x is Factor {
  return typeof x === 'string' && (FACTORS as readonly string[]).includes(x);
}

/** Factors in which `c` differs from the frozen-equivalent configuration, in FACTORS order. */
export function factorsOf(c: ServingConfig): Factor[] {
  const out: Factor[] = [];
  if (c.refresh.kind !== 'stream' || c.latencyMs !== 0) out.push('staleness');
  if (c.identity !== 'oracle') out.push('identity');
  if (c.channels !== null) out.push('channels');
  if (c.retrainMs !== null) out.push('model');
  return out;
}

/**
 * `c` with the given factors set to their fixed values: stream with no latency, oracle, all channels,
 * and the model fitted once before the split (what the offline evaluation scores). Each factor touches
 * only its own settings: fixing staleness leaves the retrain schedule and the model's publication latency
 * as they are, and the phase (its period included) is kept, so a request's remaining cuts do not move.
 */
export function withFixed(c: ServingConfig, fixed: readonly Factor[]): ServingConfig {
  let out = { ...c };
  for (const f of fixed) {
    if (f === 'staleness') out = { ...out, refresh: { kind: 'stream' }, latencyMs: 0, modelLatencyMs: modelLatencyOf(out) };
    else if (f === 'identity') out = { ...out, identity: 'oracle' };
    else if (f === 'channels') out = { ...out, channels: null };
    else out = { ...out, retrainMs: null, modelLatencyMs: 0 };
  }
  // Without a batch schedule left, the phase is moot (and configurations that differ only there are one).
  if (out.refresh.kind === 'stream' && out.retrainMs === null) out = { ...out, phase: null };
  return out;
}

/** Configurations v(S) for every subset mask S of `factors` (bit i = factors[i] fixed). */
export function subsetConfigs(c: ServingConfig, factors: readonly Factor[]): ServingConfig[] {
  const out: ServingConfig[] = [];
  for (let mask = 0; mask < 1 << factors.length; mask++)
    out.push(
      withFixed(
        c,
        factors.filter((_, i) => mask & (1 << i)),
      ),
    );
  return out;
}
