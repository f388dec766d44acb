// One knob's correction per round: a Newton step with a fixed slope on the knob's scale (log or logit) toward the
// value at which its statistic equals the source's. Steps are bounded, so no round throws a knob across its range.
import type { Knob } from './knobs.ts';

/** A step moves a knob by at most this on its scale: a factor of e for log knobs. */
const MAX_STEP = 1;
/** Probabilities and shares are kept this far inside (0, 1) so that their logits stay finite. */
const EDGE = 1e-4;

/**
 * The knob's or statistic's value on the knob's scale.
 *
 * @example
 * toScale('logit', 0.5) // 0
 */
export function toScale(space: Knob['space'], x: number): number {
  if (space === 'log') return Math.log(Math.max(x, 1e-12));
  const p = Math.min(1 - EDGE, Math.max(EDGE, x));
  return Math.log(p / (1 - p));
}

/**
 * The inverse of toScale.
 *
 * @example
 * fromScale('log', Math.log(3)) // 3
 */
export function fromScale(space: Knob['space'], u: number): number {
  return space === 'log' ? Math.exp(u) : 1 / (1 + Math.exp(-u));
}

/**
 * The knob's next value: value + (target - stat) / slope on the knob's scale, with the knob's fixed slope and
 * the step bounded by MAX_STEP. The slope is not re-estimated from earlier rounds (a secant): a statistic of a
 * generated log moves with sampling noise whenever any knob moves, and a secant through two noisy rounds can
 * point anywhere; the fixed slopes are close enough for the correction to contract.
 *
 * @example
 * nextKnobValue({ space: 'log', slope: 1 }, 100, 80, 90) // 112.5
 */
export function nextKnobValue(knob: Pick<Knob, 'space' | 'slope' | 'maxStep'>, value: number, stat: number, target: number): number {
  const gap = toScale(knob.space, target) - toScale(knob.space, stat);
  const limit = knob.maxStep ?? MAX_STEP;
  const step = Math.max(-limit, Math.min(limit, gap / knob.slope));
  return fromScale(knob.space, toScale(knob.space, value) + step);
}

/**
 * |twin - source| / |source|; 0 when both are 0, Infinity when only the source is 0.
 *
 * @example
 * relativeError(110, 100) // 0.1
 */
export function relativeError(twin: number, source: number): number {
  if (twin === source) return 0;
  return Math.abs(twin - source) / Math.abs(source);
}
