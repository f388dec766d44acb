// The normalized description of a synthetic world (docs/method.md section 2) and its defaults: every value
// filled in, durations in milliseconds. The scenario parser produces it; the generator (world/) only reads it.

/** The per-person activity multiplier's distribution (docs/method.md 2.3). */
export const ACTIVITY_TAILS = ['gamma', 'lognormal'] as const;
export type ActivityTail = (typeof ACTIVITY_TAILS)[number];

/**
 * What the optional activity settings mean when absent. They stay out of DEFAULT_WORLD so that a scenario
 * without them normalizes, generates and echoes into results.json exactly as before they existed.
 */
export const ACTIVITY_TAIL_DEFAULTS = { tail: 'gamma', sigma: 1, oneOff: 0 } as const satisfies Required<Pick<ActivitySpec, 'tail' | 'sigma' | 'oneOff'>>;

export interface ActivitySpec {
  /** Mean sessions per person per day (before heterogeneity). */
  sessionsPerDay: number;
  /** Gamma shape of per-person activity multipliers (mean 1); smaller = more heterogeneous. Used when tail is 'gamma'. */
  heterogeneity: number;
  /**
   * Distribution of the per-person activity multiplier (mean 1): 'gamma' (shape heterogeneity) or 'lognormal'
   * (log-sd sigma), whose tail is heavy enough for a few persons with hundreds of visits beside many with one.
   */
  tail?: ActivityTail;
  /** Standard deviation of the log activity multiplier when tail is 'lognormal'. */
  sigma?: number;
  /** Share of persons who visit exactly once (one session at a random time of the period), beside the rest. */
  oneOff?: number;
  /** Mean number of views per session (1 + geometric). */
  viewsPerSession: number;
  /** Whether session starts follow a day/night pattern. */
  diurnal: boolean;
}

export interface DriftSpec {
  /** Ornstein-Uhlenbeck mean-reversion rate per day; 0 means no drift. Half-life ln2 / kappa. */
  kappa: number;
  /** OU volatility: the taste offset's stationary RMS norm is sigma / sqrt(2 kappa) (norm units, see world/taste.ts). */
  sigma: number;
  /** Poisson rate per person per day of regime shifts toward a new category; 0 = none. */
  shiftRate: number;
  /** Size of a regime shift's jump toward the new category centroid. */
  shiftStrength: number;
}

export interface PromotionSpec {
  /** Number of promotion windows over the run; 0 = none. */
  count: number;
  durationMs: number;
  itemsPerPromotion: number;
  /** Utility boost of promoted items while the promotion runs. */
  boost: number;
}

export interface SeasonalitySpec {
  /** Amplitude of the sinusoidal category multipliers (log scale); 0 = none. */
  amplitude: number;
  periodMs: number;
}

export interface FunnelSpec {
  /** Average cart probability of a view (logistic in utility, calibrated so this is the mean rate; see world/funnel.ts). */
  cart: number;
  /** Average purchase probability of a cart (logistic in utility, calibrated like `cart`). */
  purchase: number;
  /** Logistic slope of cart and purchase probabilities in utility. */
  slope: number;
  /** Probability that a purchase happens in the same session as its cart. */
  sameSession: number;
  /** Mean of the exponential delay of purchases that happen later, in a return session. */
  delayMeanMs: number;
}

export type ChannelMix = { app: number; mweb: number; desktop: number };

export interface IdentitySpec {
  /** false = one key per person, no churn, no logins needed ("identity: none"). */
  fragmented: boolean;
  /** P(person has 1, 2, 3, ... devices); sums to 1. */
  devices: number[];
  /** Channel of each device. */
  channelMix: ChannelMix;
  /** Per-session probability of switching from the last used device to another of the person's devices. */
  switchProb: number;
  /** Mean web cookie lifetime (exponential); app ids never churn. */
  cookieLifetimeMs: number;
  /** Share of web browsers whose cookies are additionally capped (Safari ITP). */
  itpShare: number;
  itpCapMs: number;
  /** Per-channel probability that a session logs in. */
  loginRate: ChannelMix;
  /** Fraction of persons who also use one device of another person (the source of false merges). */
  sharedDevices: number;
  /** What a device graph can observe per session (IP, user agent, geography), drawn on its own stream. */
  signals: SignalSpec;
}

/**
 * Per-session signals that real device graphs link keys with (world/signals.ts). Persons live in
 * households; a session on the home network carries the household's IP (reassigned now and then), any
 * other session a carrier-NAT IP of its region, shared with strangers.
 */
export interface SignalSpec {
  /** P(household of 1, 2, 3, ... persons); sums to 1. */
  householdSize: number[];
  /** Per-channel probability that a session runs on the home network (else carrier NAT / away). */
  homeShare: ChannelMix;
  /** Mean time before the ISP reassigns a household's home IP (exponential). */
  homeIpLifetimeMs: number;
  /** Persons per carrier-NAT IP in a region: how many strangers share one mobile IP. */
  natPersons: number;
  /** Number of coarse regions (Zipf-sized); a household lives in one. */
  regions: number;
  /** Probability that a session away from home happens in another region. */
  travel: number;
  /** Major versions per browser or app in user-agent strings (newer ones more common). */
  uaVersions: number;
  /** Share of logged-in sessions whose login comes after the first event (earlier events anonymous). */
  midSessionLogin: number;
}

export interface WorldSpec {
  persons: number;
  items: number;
  categories: number;
  /** Latent dimension d. */
  dim: number;
  /** Start of the simulated period (epoch ms) and its length. */
  startMs: number;
  days: number;
  /** Favourite categories per person (mixture of their centroids forms mu_u). */
  favoriteCategories: number;
  /** Spread of item vectors around their category centroid. */
  itemNoise: number;
  /** Zipf exponent of base popularity; beta_pop, beta_price weights in utility. */
  zipf: number;
  betaPop: number;
  betaPrice: number;
  activity: ActivitySpec;
  drift: DriftSpec;
  promotions: PromotionSpec;
  seasonality: SeasonalitySpec;
  funnel: FunnelSpec;
  identity: IdentitySpec;
}

const DAY = 86_400_000;

/** Defaults for every world setting; the scenario parser merges user settings over these. */
export const DEFAULT_WORLD: WorldSpec = {
  persons: 20_000,
  items: 3_000,
  categories: 30,
  dim: 16,
  startMs: Date.UTC(2024, 0, 1),
  days: 56,
  favoriteCategories: 3,
  itemNoise: 0.5,
  zipf: 1.0,
  betaPop: 1.0,
  betaPrice: 0.3,
  activity: { sessionsPerDay: 0.25, heterogeneity: 1.0, viewsPerSession: 4, diurnal: true },
  drift: { kappa: 0.2, sigma: Math.sqrt(2 * 0.2), shiftRate: 0, shiftStrength: 1.5 },
  promotions: { count: 0, durationMs: 3 * DAY, itemsPerPromotion: 20, boost: 1.5 },
  seasonality: { amplitude: 0, periodMs: 7 * DAY },
  funnel: { cart: 0.08, purchase: 0.35, slope: 1.0, sameSession: 0.6, delayMeanMs: 2 * DAY },
  identity: {
    fragmented: true,
    devices: [0.5, 0.35, 0.15],
    channelMix: { app: 0.35, mweb: 0.4, desktop: 0.25 },
    switchProb: 0.3,
    cookieLifetimeMs: 30 * DAY,
    itpShare: 0.3,
    itpCapMs: 7 * DAY,
    loginRate: { app: 0.9, mweb: 0.15, desktop: 0.15 },
    sharedDevices: 0.01,
    signals: {
      householdSize: [0.3, 0.35, 0.15, 0.15, 0.05],
      homeShare: { app: 0.6, mweb: 0.6, desktop: 0.9 },
      homeIpLifetimeMs: 30 * DAY,
      natPersons: 200,
      regions: 50,
      travel: 0.05,
      uaVersions: 3,
      midSessionLogin: 0,
    },
  },
};
