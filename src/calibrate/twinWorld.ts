// The twin's first world: one-shot estimates from the source's statistics, the knobs that will refine them,
// and for every setting where it came from (a note that becomes its YAML comment). What the source cannot show
// keeps the generator's default (or the scenario's own fragmentation settings) and says why.
import { DEFAULT_WORLD } from '../scenario/worldSpec.ts';
import { channelKnob, getSetting, KNOBS, setKnob, setSetting, type Knob, type WorldInput } from './knobs.ts';
import type { Lens } from './lens.ts';
import type { Stats } from './logStats.ts';
import { calibrateMsg } from './messages.ts';
import { fitGamma, fitLognormal, lognormalMoments, type LognormalVisits } from './visitModel.ts';

const DAY_MS = 86_400_000;
const CHANNEL_NAMES = ['app', 'mweb', 'desktop'] as const;

/** Where a setting came from. */
export type Note =
  | { kind: 'fitted'; stat: string }
  | { kind: 'measured'; text: string }
  | { kind: 'kept'; reason: string }
  | { kind: 'stand-in'; reason: string };

export interface TwinPlan {
  world: WorldInput;
  /** Knobs refined round by round; the drift knobs join after the kappa grid has placed kappa (calibrate.ts). */
  knobs: Knob[];
  driftKnobs: Knob[];
  /**
   * Lognormal activity: sessionsPerDay, sigma and oneOff, moved together each round through the visit model
   * (visitModel.ts) rather than one by one; empty when activity is Gamma (its knobs are in `knobs`).
   */
  activityKnobs: Knob[];
  /** Per setting path, the value the last kept round wanted before it was clamped to the knob's bounds. */
  wanted: Map<string, number>;
  /** Statistics the twin must match (knob statistics plus events and days, which follow from them). */
  matched: string[];
  /** Whether the device mix is fitted (the source shows device keys). */
  fitDevices: boolean;
  /** Notes by setting path (`activity.sessionsPerDay`). */
  notes: Map<string, Note>;
  /** Settings the source cannot show, with the reason: the "not measured, defaults kept" list. */
  kept: Array<{ setting: string; reason: string }>;
}

export interface PlanOptions {
  /** Persons the twin must show (the source's, or --persons). */
  persons: number;
  /** Source time range. */
  firstMs: number;
  lastMs: number;
  /** The source scenario's data.fragment (YAML shape), kept as the twin's identity when the log has no keys. */
  fragment: Record<string, unknown> | null;
  /** Distinct categories when the source knows them. */
  categories: number | null;
  /** Whether drift was measured with a decay, without one, or could not be. */
  drift: 'decay' | 'no-decay' | 'too-little-data';
}

/**
 * The first twin world and its refinement plan.
 *
 * @example
 * const plan = initialPlan(source.stats, lens, { persons: 6528, firstMs, lastMs, fragment: null, categories: null, drift: 'no-decay' });
 * plan.world.activity // { sessionsPerDay: 0.0079, heterogeneity: 0.2, viewsPerSession: 27.3 }
 */
export function initialPlan(s: Stats, lens: Lens, o: PlanOptions): TwinPlan {
  const world: WorldInput = {};
  const notes = new Map<string, Note>();
  const kept: TwinPlan['kept'] = [];
  const knobs: Knob[] = [];
  const matched = ['persons', 'items', 'events', 'days', 'visitsPerPerson', 'visitsCv', 'eventsPerVisit'];
  const fit = (knob: Knob, value: number) => {
    setKnob(world, knob, value);
    knobs.push(knob);
    notes.set(knob.path.join('.'), { kind: 'fitted', stat: knob.stat });
    if (!matched.includes(knob.stat)) matched.push(knob.stat);
  };
  const keep = (path: string[], value: unknown, reason: string, kind: 'kept' | 'stand-in' = 'kept') => {
    setSetting(world, path, structuredClone(value));
    notes.set(path.join('.'), { kind, reason });
    kept.push({ setting: path.join('.'), reason });
  };

  // Period: the source's own, from the midnight (UTC) before its first event.
  const startMs = Math.floor(o.firstMs / DAY_MS) * DAY_MS;
  world.start = new Date(startMs).toISOString().slice(0, 10);
  world.days = Number((Math.ceil(((o.lastMs - startMs) / DAY_MS) * 1000) / 1000).toPrecision(6));
  notes.set('start', { kind: 'measured', text: calibrateMsg.noteStart(o.firstMs) });
  notes.set('days', { kind: 'measured', text: calibrateMsg.noteDays(o.firstMs, o.lastMs) });
  fit(KNOBS.persons, o.persons);
  fit(KNOBS.items, s.items);
  if (o.categories !== null) {
    world.categories = o.categories;
    notes.set('categories', { kind: 'measured', text: calibrateMsg.noteCategories(o.categories) });
  }
  if (s.zipf === s.zipf) fit(KNOBS.zipf, s.zipf);
  else keep(['zipf'], DEFAULT_WORLD.zipf, calibrateMsg.reasonFewItemCounts());

  // Funnel: each rate needs both of its types; without views, views stand in for what the log does not record.
  const { view, cart, purchase } = lens.types;
  const F = DEFAULT_WORLD.funnel;
  if (view && cart) fit(KNOBS.cart, s.cartPerView);
  else if (!view) keep(['funnel', 'cart'], 1, calibrateMsg.reasonNoViews(), 'stand-in');
  else keep(['funnel', 'cart'], F.cart, calibrateMsg.reasonNoCarts());
  if (cart && purchase) fit(KNOBS.purchase, s.purchasePerCart);
  else if (view && purchase) fit(KNOBS.purchaseOfViews, s.purchasePerView / F.cart);
  else if (!view && !cart && purchase) keep(['funnel', 'purchase'], 1, calibrateMsg.reasonPurchasesOnly(), 'stand-in');
  else keep(['funnel', 'purchase'], F.purchase, calibrateMsg.reasonNoPurchases());
  const touched = s.sameVisitShare === s.sameVisitShare;
  if (purchase && touched) {
    fit(KNOBS.sameSession, s.sameVisitShare);
    if (s.laterDelayDays === s.laterDelayDays) fit(KNOBS.delayMean, s.laterDelayDays / Math.LN2);
    else keep(['funnel', 'delayMean'], `${F.delayMeanMs / DAY_MS}d`, calibrateMsg.reasonNoLaterPurchases());
  } else if (purchase && !view && !cart) {
    // Baskets: a purchases-only log records what was bought together; the twin buys it in the same visit.
    keep(['funnel', 'sameSession'], 1, calibrateMsg.reasonPurchasesOnly(), 'stand-in');
    keep(['funnel', 'delayMean'], `${F.delayMeanMs / DAY_MS}d`, calibrateMsg.reasonPurchasesOnly());
  } else {
    keep(['funnel', 'sameSession'], F.sameSession, calibrateMsg.reasonNoTouches());
    keep(['funnel', 'delayMean'], `${F.delayMeanMs / DAY_MS}d`, calibrateMsg.reasonNoTouches());
  }

  // Activity: a person's visits over the period are Gamma-Poisson (negative binomial) with shape
  // `heterogeneity` and mean m = sessionsPerDay x days, but the log only shows persons with a visit. The shape
  // comes from the moments (CV^2 = 1/mean + 1/shape), m from the mean of the zero-truncated count, and the
  // world's persons from the share who show up, 1 - P(0). When no Gamma gives the log's visits (its CV, or the
  // share who visit once, out of the zero-truncated Gamma's reach) and a lognormal with one-off persons does,
  // activity is lognormal and all three statistics are matched (visitModel.ts).
  const activityKnobs: Knob[] = [];
  const lognormal = lognormalActivity(s);
  let showUp: number;
  if (lognormal) {
    setSetting(world, ['activity', 'tail'], 'lognormal');
    notes.set('activity.tail', { kind: 'measured', text: calibrateMsg.noteTail(s.visitsCv, s.oneVisitShare, lognormal.gamma) });
    const days = Number(world.days);
    setKnob(world, KNOBS.sessionsPerDay, lognormal.params.m / days);
    setKnob(world, KNOBS.sigma, lognormal.params.sigma);
    setKnob(world, KNOBS.oneOff, lognormal.params.oneOff);
    for (const knob of [KNOBS.sessionsPerDay, KNOBS.sigma, KNOBS.oneOff]) {
      activityKnobs.push(knob);
      notes.set(knob.path.join('.'), { kind: 'fitted', stat: knob.stat });
    }
    matched.push('oneVisitShare');
    showUp = lognormalMoments(lognormal.params).showUp;
  } else {
    const shape = activityShape(s.visitsPerPerson, s.visitsCv);
    fit(KNOBS.heterogeneity, shape);
    const m = untruncatedMean(s.visitsPerPerson, shape);
    fit(KNOBS.sessionsPerDay, m / Number(world.days));
    showUp = 1 - (1 + m / shape) ** -shape;
  }
  setKnob(world, KNOBS.persons, o.persons / Math.max(showUp, 1e-6));
  // Events the source records per view: the view itself, its cart, its purchase, as far as the source has them.
  const funnel = world.funnel as Record<string, number>;
  const perView = (view ? 1 : 0) + (cart ? funnel.cart : 0) + (purchase ? funnel.cart * funnel.purchase : 0);
  fit(KNOBS.viewsPerSession, s.eventsPerVisit / Math.max(perView, 1e-9));

  // Drift: check 01's tau maps to kappa through generated twins (driftMap.ts); the first guess is 1 / tau.
  const driftKnobs: Knob[] = [];
  if (o.drift === 'decay') {
    setKnob(world, KNOBS.kappa, 1 / s.tauDays);
    setKnob(world, KNOBS.scale, 1);
    driftKnobs.push(KNOBS.scale);
    notes.set('drift.kappa', { kind: 'fitted', stat: 'tauDays' });
    notes.set('drift.scale', { kind: 'fitted', stat: 'driftLoss' });
    matched.push('tauDays', 'driftLoss');
  } else if (o.drift === 'no-decay') {
    world.drift = 'none';
    notes.set('drift', { kind: 'measured', text: calibrateMsg.noteNoDecay() });
    matched.push('tauDays');
  } else {
    keep(['drift', 'kappa'], DEFAULT_WORLD.drift.kappa, calibrateMsg.reasonDriftTooLittle());
  }

  // Identity: a log without device keys shows none of it; the twin keeps the scenario's own fragmentation
  // settings (data.fragment) or the defaults. With keys, the device mix is fitted after the behaviour
  // (calibrate.ts), channels and login rates per channel here.
  const I = DEFAULT_WORLD.identity;
  if (!lens.keys) {
    const base = o.fragment ?? { devices: I.devices, loginRate: I.loginRate, sharedDevices: I.sharedDevices };
    const reason = o.fragment ? calibrateMsg.reasonFragmentKept() : calibrateMsg.reasonNoKeys();
    for (const [name, value] of Object.entries(base)) keep(['identity', name], value, reason);
  } else {
    setSetting(world, ['identity', 'devices'], I.devices);
    notes.set('identity.devices', { kind: 'fitted', stat: 'keysPerPerson' });
    matched.push('keysPerPerson', 'multiKeyShare');
    const channels = lens.channels ?? [];
    if (channels.length > 1) {
      for (const c of CHANNEL_NAMES) {
        const share = s[`channel.${c}`] ?? 0;
        if (share > 0) fit(channelKnob('channel', c), share);
        else setSetting(world, ['identity', 'channelMix', c], 0);
      }
      normalizeShares(world, ['identity', 'channelMix']);
    } else keep(['identity', 'channelMix'], I.channelMix, calibrateMsg.reasonNoChannels());
    if (!lens.logins) keep(['identity', 'loginRate'], I.loginRate, calibrateMsg.reasonNoLogins());
    else if (channels.length > 0) {
      for (const c of CHANNEL_NAMES) {
        const rate = s[`login.${c}`];
        if (rate !== undefined && rate === rate) fit(channelKnob('login', c), rate);
        else setSetting(world, ['identity', 'loginRate', c], I.loginRate[c]);
      }
    } else fit(KNOBS.loginAll, s.loginAll);
    keep(['identity', 'sharedDevices'], I.sharedDevices, calibrateMsg.reasonSharedDevices());
  }
  return { world, knobs, driftKnobs, activityKnobs, wanted: new Map(), matched, fitDevices: lens.keys, notes, kept };
}

/**
 * How far the Gamma's one-visit share may miss the log's before the lognormal is preferred: the validation goal
 * (10%). The generator's share differs from the Poisson model's by a few percent (the quickstart world: 6.4% of
 * persons with one visit, the model 6.0%), so a tighter slack would take Gamma worlds out of their own family.
 */
const GAMMA_ONE_VISIT_SLACK = 0.1;

/**
 * Lognormal activity settings for the log's visits when the zero-truncated Gamma cannot give them (the CV beyond
 * its reach, or the one-visit share more than GAMMA_ONE_VISIT_SLACK off) and the lognormal reaches the CV; null
 * when the Gamma will do (so synthetic Gamma worlds keep their family).
 *
 * @example
 * lognormalActivity({ visitsPerPerson: 2.95, visitsCv: 1.87, oneVisitShare: 0.57 }) // { params: { m: 2.23, sigma: 1.35, oneOff: 0.21 }, ... }
 */
export function lognormalActivity(s: Stats): { params: LognormalVisits; gamma: { one: number; reached: boolean } } | null {
  const target = { mean: s.visitsPerPerson, cv: s.visitsCv, one: s.oneVisitShare };
  if (!(target.mean > 1 && target.cv > 0 && target.one > 0 && target.one < 1)) return null;
  const gamma = fitGamma(target, KNOBS.heterogeneity.min, KNOBS.heterogeneity.max);
  if (gamma.reached && Math.abs(gamma.one / target.one - 1) <= GAMMA_ONE_VISIT_SLACK) return null;
  const fit = fitLognormal(target);
  return fit.reached.cv ? { params: fit.params, gamma } : null;
}

/**
 * Make the shares at `path` (a mapping or a list) sum to exactly 1 at four decimals: the scenario parser
 * accepts a mix only when it sums to 1, and the YAML shows what the generator uses. The rounding residue goes
 * to the largest share.
 *
 * @example
 * normalizeShares(world, ['identity', 'channelMix']) // { app: 0.3333, mweb: 0.3333, desktop: 0.3334 }
 */
export function normalizeShares(world: WorldInput, path: readonly string[]): void {
  const node = getSetting(world, path) as Record<string, number> | number[];
  const keys = Object.keys(node) as Array<keyof typeof node>;
  const values = keys.map((k) => Math.max(0, Number(node[k])));
  const total = values.reduce((a, b) => a + b, 0);
  const rounded = values.map((v) => Math.round((v / total) * 10_000) / 10_000);
  let largest = 0;
  rounded.forEach((v, i) => (v > rounded[largest] ? (largest = i) : 0));
  rounded[largest] = Number((1 - rounded.reduce((a, v, i) => (i === largest ? a : a + v), 0)).toFixed(4));
  keys.forEach((k, i) => ((node as Record<string | number, number>)[k as string] = rounded[i]));
}

/**
 * The Gamma shape of activity from the visits' mean and coefficient of variation (CV^2 = 1/mean + 1/shape for
 * a Gamma-Poisson count), within the knob's bounds.
 *
 * @example
 * activityShape(4, 1) // 1 / (1 - 0.25) = 1.333
 */
export function activityShape(mean: number, cv: number): number {
  const excess = cv * cv - 1 / mean;
  const shape = excess > 0 ? 1 / excess : KNOBS.heterogeneity.max;
  return Math.min(KNOBS.heterogeneity.max, Math.max(KNOBS.heterogeneity.min, shape));
}

/**
 * The mean m of a negative binomial count (shape k) whose zero-truncated mean, m / (1 - (1 + m/k)^-k), is
 * `shownMean`: the visits of everyone, given the visits of those who visit at least once. Bisection on log m.
 *
 * @example
 * untruncatedMean(2, 1) // 1: with shape 1 and mean 1, P(0) = 1/2, so those who visit average 2
 */
export function untruncatedMean(shownMean: number, k: number): number {
  if (!(shownMean > 1)) return 1e-6;
  const shown = (m: number) => m / (1 - (1 + m / k) ** -k);
  let lo = 1e-9;
  let hi = shownMean;
  for (let it = 0; it < 100; it++) {
    const mid = Math.sqrt(lo * hi);
    if (shown(mid) < shownMean) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}
