// The twin file's comments and the table's rows for the activity settings: lognormal activity names the measured
// tail, and a setting at its bound says so with the value the log wants (never just "fitted").
import { describe, expect, it } from 'vitest';
import type { Calibration } from '../../src/calibrate/calibrate.ts';
import { KNOBS, setKnob } from '../../src/calibrate/knobs.ts';
import type { Lens } from '../../src/calibrate/lens.ts';
import { calibrateMsg } from '../../src/calibrate/messages.ts';
import { initialPlan } from '../../src/calibrate/twinWorld.ts';
import { twinYaml } from '../../src/calibrate/twinYaml.ts';
import { statRows } from '../../src/calibrate/validation.ts';
import { fitGamma, fitLognormal, gammaMoments } from '../../src/calibrate/visitModel.ts';

const LENS: Lens = { types: { view: null, cart: null, purchase: 'purchase' }, keys: false, logins: false, channels: null, categories: false };
const DAY_MS = 86_400_000;

/** A purchases-only source with the given visit statistics, planned, its twin showing `twin`. */
function calibration(visits: { visitsPerPerson: number; visitsCv: number; oneVisitShare: number }, twin: Record<string, number>) {
  // A purchases-only log measures no touches (NaN), as Online Retail does.
  const stats = { persons: 1000, items: 100, events: 9000, days: 30, eventsPerVisit: 3, zipf: 0.5, popularityNdcg: 0.1, sameVisitShare: Number.NaN, ...visits };
  const plan = initialPlan(stats, LENS, { persons: 1000, firstMs: 0, lastMs: 30 * DAY_MS, fragment: null, categories: null, drift: 'too-little-data' });
  const cal = { plan, source: { stats, keyHistogram: null, driftStatus: null }, scaled: null } as unknown as Calibration;
  // Written when asked, so a test can place the kept round's wanted values first.
  const line = (key: string) =>
    twinYaml({
      name: 't',
      seed: 7,
      input: 'log.csv',
      cal,
      twin: { stats: { ...stats, ...twin }, keyHistogram: null, driftStatus: null },
      sections: { train: {}, eval: {}, models: [], pipelines: [], from: null },
    })
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith(`${key}:`)) ?? '';
  return { cal, line };
}

describe('twin.yaml and the table for activity', () => {
  it('lognormal activity: the tail is measured, oneOff at its bound 0 says what the log wants', () => {
    // Fewer single visits than a lognormal alone gives (20% at mean 3, CV 1): the log wants a negative oneOff.
    const visits = { visitsPerPerson: 3, visitsCv: 1, oneVisitShare: 0.2 };
    const wants = fitLognormal({ mean: 3, cv: 1, one: 0.2 }).wantedOneOff;
    const { cal, line } = calibration(visits, { oneVisitShare: 0.3 });
    expect(cal.plan.activityKnobs).toEqual([KNOBS.sessionsPerDay, KNOBS.sigma, KNOBS.oneOff]);
    expect(cal.plan.world.activity).toMatchObject({ tail: 'lognormal', oneOff: 0 });
    // The round kept wanted this (calibrate.ts copies it from the best round).
    cal.plan.wanted.set('activity.oneOff', wants);
    const gamma = fitGamma({ mean: 3, cv: 1 }, KNOBS.heterogeneity.min, KNOBS.heterogeneity.max);
    expect(line('tail')).toBe(`tail: lognormal # ${calibrateMsg.noteTail(1, 0.2, { one: gamma.one, reached: gamma.reached })}`);
    expect(line('oneOff')).toBe(
      `oneOff: 0 # ${calibrateMsg.noteFitted(calibrateMsg.statLabel('oneVisitShare'), 0.2, 0.3)}${calibrateMsg.noteAtBound(0, wants, true)}`,
    );
    expect(calibrateMsg.noteAtBound(0, -0.1944, true)).toBe('; at its bound 0 (the log wants -0.194): the generator cannot go further');
    // sigma is not at a bound: fitted, nothing more.
    expect(line('sigma')).not.toContain('at its bound');
    const row = statRows(cal, { stats: { ...cal.source.stats, oneVisitShare: 0.3 }, keyHistogram: null, driftStatus: null }).find(
      (r) => r.name === 'oneVisitShare',
    )!;
    expect(row).toMatchObject({ status: 'matched', ok: false, bound: { setting: 'activity.oneOff', value: 0, wants } });
  });

  it('Gamma activity at its bound says which side the log wants; the one-visit share stays reported', () => {
    // Visits of a Gamma world (mean 40, shape 0.7): the Gamma reaches the mean, the CV and the single visits.
    const g = gammaMoments(40, 0.7);
    const { cal, line } = calibration({ visitsPerPerson: g.mean, visitsCv: g.cv, oneVisitShare: g.one }, { visitsCv: 1 });
    expect(cal.plan.activityKnobs).toEqual([]);
    setKnob(cal.plan.world, KNOBS.heterogeneity, 0.01);
    expect(line('heterogeneity')).toBe(
      `heterogeneity: 0.1 # ${calibrateMsg.noteFitted(calibrateMsg.statLabel('visitsCv'), g.cv, 1)}${calibrateMsg.noteAtBound(0.1, null, true)}`,
    );
    expect(calibrateMsg.noteAtBound(0.1, null, true)).toBe('; at its bound 0.1 (the log wants below 0.1): the generator cannot go further');
    const rows = statRows(cal, { stats: { ...cal.source.stats, visitsCv: 1 }, keyHistogram: null, driftStatus: null });
    expect(rows.find((r) => r.name === 'oneVisitShare')?.status).toBe('reported');
    expect(rows.find((r) => r.name === 'visitsCv')?.bound).toEqual({ setting: 'activity.heterogeneity', value: 0.1, wants: null });
  });
});
