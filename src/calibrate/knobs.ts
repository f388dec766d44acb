// The world settings calibration turns, each paired with the statistic it moves most (docs/method.md 2.13).
// The pairing is what makes a fixed-point correction work: every round moves each knob by what its own
// statistic still misses, and the other knobs' effects on that statistic are corrected in the next round.

/** The `world:` section of a scenario as plain data (the YAML shape, validated when the twin is parsed). */
export type WorldInput = Record<string, unknown>;

export interface Knob {
  /** Path of the setting inside `world:`. */
  path: readonly string[];
  /** The statistic it is fitted to (logStats.ts names). */
  stat: string;
  /** Scale on which knob and statistic move about linearly together: log for sizes and rates, logit for probabilities. */
  space: 'log' | 'logit';
  /** Slope of the statistic against the knob on that scale (about; fixedPoint.ts). */
  slope: number;
  min: number;
  max: number;
  integer?: boolean;
  /** Largest move per round on the knob's scale (default fixedPoint.ts MAX_STEP). */
  maxStep?: number;
  /** How the value is written (a duration in days for delayMean). */
  unit?: 'd';
}

/** The knobs and their pairings; which apply depends on what the source log shows (twinWorld.ts). */
export const KNOBS = {
  persons: { path: ['persons'], stat: 'persons', space: 'log', slope: 1, min: 1, max: 100_000_000, integer: true },
  items: { path: ['items'], stat: 'items', space: 'log', slope: 1, min: 2, max: 10_000_000, integer: true },
  sessionsPerDay: { path: ['activity', 'sessionsPerDay'], stat: 'visitsPerPerson', space: 'log', slope: 1, min: 1e-5, max: 1000 },
  // A smaller Gamma shape spreads activity: CV^2 is about 1/mean + 1/shape, so the CV falls as the shape grows.
  heterogeneity: { path: ['activity', 'heterogeneity'], stat: 'visitsCv', space: 'log', slope: -0.4, min: 0.1, max: 100 },
  // Lognormal activity (twinWorld.ts picks it when no Gamma reaches the log's visits): sessionsPerDay, sigma and
  // oneOff move together through the visit model (visitModel.ts), not one by one; slopes are unused there.
  sigma: { path: ['activity', 'sigma'], stat: 'visitsCv', space: 'log', slope: 1, min: 0.05, max: 4 },
  oneOff: { path: ['activity', 'oneOff'], stat: 'oneVisitShare', space: 'logit', slope: 1, min: 0, max: 0.95 },
  viewsPerSession: { path: ['activity', 'viewsPerSession'], stat: 'eventsPerVisit', space: 'log', slope: 1, min: 1, max: 1000 },
  zipf: { path: ['zipf'], stat: 'zipf', space: 'log', slope: 1, min: 0.01, max: 5 },
  cart: { path: ['funnel', 'cart'], stat: 'cartPerView', space: 'logit', slope: 1, min: 1e-4, max: 0.999 },
  purchase: { path: ['funnel', 'purchase'], stat: 'purchasePerCart', space: 'logit', slope: 1, min: 1e-4, max: 0.999 },
  purchaseOfViews: { path: ['funnel', 'purchase'], stat: 'purchasePerView', space: 'logit', slope: 1, min: 1e-4, max: 0.999 },
  sameSession: { path: ['funnel', 'sameSession'], stat: 'sameVisitShare', space: 'logit', slope: 1, min: 0.001, max: 0.999 },
  delayMean: { path: ['funnel', 'delayMean'], stat: 'laterDelayDays', space: 'log', slope: 1, min: 0.001, max: 3650, unit: 'd' },
  kappa: { path: ['drift', 'kappa'], stat: 'tauDays', space: 'log', slope: -1, min: 0.001, max: 100 },
  // The share of similarity drift takes away grows about as the square of the taste offset's size when small.
  scale: { path: ['drift', 'scale'], stat: 'driftLoss', space: 'log', slope: 1.5, min: 0.05, max: 100, maxStep: 0.3 },
  loginAll: { path: ['identity', 'loginRate'], stat: 'loginAll', space: 'logit', slope: 1, min: 0.001, max: 0.999 },
} as const satisfies Record<string, Knob>;

/**
 * The knob of a channel's login rate or share of sessions.
 *
 * @example
 * channelKnob('login', 'app').path // ['identity', 'loginRate', 'app']
 */
export function channelKnob(kind: 'login' | 'channel', channel: string): Knob {
  return kind === 'login'
    ? { path: ['identity', 'loginRate', channel], stat: `login.${channel}`, space: 'logit', slope: 1, min: 0.001, max: 0.999 }
    : { path: ['identity', 'channelMix', channel], stat: `channel.${channel}`, space: 'log', slope: 1, min: 0.001, max: 1 };
}

/**
 * The value at `path` in the world input (a duration in days read back as a number).
 *
 * @example
 * getSetting({ activity: { sessionsPerDay: 0.25 } }, ['activity', 'sessionsPerDay']) // 0.25
 */
export function getSetting(world: WorldInput, path: readonly string[]): unknown {
  let node: unknown = world;
  for (const p of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[p] : undefined;
  return node;
}

/**
 * Set `path` in the world input, creating the mappings on the way.
 *
 * @example
 * setSetting(world, ['funnel', 'delayMean'], '1.5d')
 */
export function setSetting(world: WorldInput, path: readonly string[], value: unknown): void {
  let node = world as Record<string, unknown>;
  for (const p of path.slice(0, -1)) {
    if (node[p] === null || typeof node[p] !== 'object') node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/**
 * A knob's current value as a number (durations are written in days).
 *
 * @example
 * knobValue({ funnel: { delayMean: '1.5d' } }, KNOBS.delayMean) // 1.5
 */
export function knobValue(world: WorldInput, knob: Knob): number {
  const v = getSetting(world, knob.path);
  return knob.unit === 'd' ? Number.parseFloat(String(v)) : Number(v);
}

/**
 * Write a knob's value, clamped to its bounds and rounded as the YAML will show it (four significant digits,
 * whole numbers for counts), so a round generates exactly the world the twin file describes.
 *
 * @example
 * setKnob(world, KNOBS.delayMean, 1.23456) // funnel.delayMean: '1.235d'
 */
export function setKnob(world: WorldInput, knob: Knob, value: number): number {
  const clamped = Math.min(knob.max, Math.max(knob.min, value));
  const rounded = knob.integer ? Math.round(clamped) : Number(clamped.toPrecision(4));
  setSetting(world, knob.path, knob.unit === 'd' ? `${rounded}d` : rounded);
  return rounded;
}
