// One round's correction of lognormal activity (twinWorld.ts lognormalActivity): sessionsPerDay, sigma and oneOff
// move together. The visit model's moments at the current settings are shifted by what the twin still misses,
// and the model is inverted at the shifted moments. The three statistics depend on all three settings (the
// one-visit share moves more with the rate than with oneOff), so one-knob-one-statistic steps would not contract;
// through the model, a round's error is what the generator adds beside it (30-minute separation, a finite period).
import { fromScale, toScale } from './fixedPoint.ts';
import { KNOBS, knobValue, type Knob, type WorldInput } from './knobs.ts';
import type { Stats } from './logStats.ts';
import { fitLognormal, lognormalMoments } from './visitModel.ts';

export interface ActivityStep {
  /** The knobs' next values (before setKnob clamps and rounds them). */
  next: Map<Knob, number>;
  /** Statistics out of the model's reach at the bounds (not counted toward the round's error). */
  stuck: string[];
  /** Setting path -> the value the log wants where that lies beyond the knob's bound. */
  wanted: Record<string, number>;
}

/**
 * The next lognormal activity settings, from the twin's and the source's visit statistics.
 *
 * @example
 * const step = lognormalStep(plan.world, measured.stats, source.stats);
 * for (const [knob, value] of step.next) setKnob(plan.world, knob, value);
 */
export function lognormalStep(world: WorldInput, twin: Stats, source: Stats): ActivityStep {
  const days = Number(world.days);
  const current = { m: knobValue(world, KNOBS.sessionsPerDay) * days, sigma: knobValue(world, KNOBS.sigma), oneOff: knobValue(world, KNOBS.oneOff) };
  const stats = [twin.visitsPerPerson, twin.visitsCv, twin.oneVisitShare];
  if (!stats.every((v) => v > 0)) return { next: new Map(), stuck: [], wanted: {} };
  const model = lognormalMoments(current);
  const shift = (space: 'log' | 'logit', modelValue: number, sourceValue: number, twinValue: number) =>
    fromScale(space, toScale(space, modelValue) + toScale(space, sourceValue) - toScale(space, twinValue));
  const aim = {
    mean: Math.max(1 + 1e-6, shift('log', model.mean, source.visitsPerPerson, twin.visitsPerPerson)),
    cv: shift('log', model.cv, source.visitsCv, twin.visitsCv),
    one: shift('logit', model.one, source.oneVisitShare, twin.oneVisitShare),
  };
  const fit = fitLognormal(aim);
  const next = new Map<Knob, number>([
    [KNOBS.sessionsPerDay, fit.params.m / days],
    [KNOBS.sigma, fit.params.sigma],
    [KNOBS.oneOff, fit.params.oneOff],
  ]);
  const stuck: string[] = [];
  const wanted: Record<string, number> = {};
  if (!fit.reached.cv) {
    stuck.push('visitsCv');
    wanted[KNOBS.sigma.path.join('.')] = fit.wantedSigma;
  }
  if (!fit.reached.one) {
    stuck.push('oneVisitShare');
    wanted[KNOBS.oneOff.path.join('.')] = fit.wantedOneOff;
  }
  return { next, stuck, wanted };
}
