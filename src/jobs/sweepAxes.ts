// What a sweep's axes are called and how their values order, for charts, pages and the printed table: the
// config path `pipelines.0.refresh` becomes "refresh cadence (pipeline weekly-batch)", with the pipeline
// or model named from the scenario; `world.identity.loginRate.app` becomes "login rate on app". A path
// not listed here reads as its last field in words with the rest of the path beside it. Values that are
// all numbers or all durations are ordered (plotted in their natural order); anything else is a category,
// kept in the order given.
import type { Scenario } from '../scenario/types.ts';
import type { AxisKind, SweepAxis } from '../results/sweep.ts';
import { parseDurationMs } from '../util/duration.ts';

/** Labels of a pipeline's settings, by the path below `pipelines.<i>.` */
const PIPELINE_FIELDS: Record<string, string> = {
  refresh: 'refresh cadence',
  latency: 'refresh latency',
  identity: 'identity resolver',
  retrain: 'model retrain cadence',
  origin: 'schedule origin',
  channels: 'channels',
  'graph.threshold': 'graph match threshold',
  'graph.maxBlock': 'graph block size limit',
  'graph.blocking': 'graph blocking keys',
  'graph.logins': 'graph login edges',
  'graph.atRequest': 'graph request-time login',
  'login.retroactive': 'retroactive login stitching',
  'login.sessionStitch': 'login session stitching',
  'login.atRequest': 'request-time login',
};

/** Labels of a model's settings, by the path below `models.<i>.` */
const MODEL_FIELDS: Record<string, string> = {
  neighbors: 'neighbours',
  halfLife: 'half-life',
  shrink: 'similarity shrinkage',
  lambda: 'L2 penalty (lambda)',
  factors: 'latent factors',
  epochs: 'training epochs',
  learningRate: 'learning rate',
  regularization: 'regularization',
  history: 'history length',
  negatives: 'negative samples',
  batchSize: 'batch size',
  sequenceLength: 'sequence length',
  samplesPerEpoch: 'samples per epoch',
  type: 'model type',
};

/** Labels of other paths. */
const FIELDS: Record<string, string> = {
  seed: 'seed',
  'world.persons': 'persons',
  'world.items': 'items',
  'world.categories': 'categories',
  'world.days': 'days simulated',
  'world.dim': 'taste dimensions',
  'world.favoriteCategories': 'favourite categories per person',
  'world.itemNoise': 'item noise',
  'world.zipf': 'popularity skew (zipf)',
  'world.betaPop': 'popularity weight in utility',
  'world.betaPrice': 'price weight in utility',
  'world.activity.sessionsPerDay': 'sessions per person per day',
  'world.activity.heterogeneity': 'activity heterogeneity',
  'world.activity.sigma': 'activity spread (lognormal sigma)',
  'world.activity.oneOff': 'one-off visitor share',
  'world.activity.viewsPerSession': 'views per session',
  'world.drift.kappa': 'drift rate (kappa)',
  'world.drift.sigma': 'drift volatility (sigma)',
  'world.drift.shiftRate': 'interest shift rate',
  'world.drift.shiftStrength': 'interest shift strength',
  'world.funnel.cart': 'cart rate',
  'world.funnel.purchase': 'purchase rate',
  'world.funnel.slope': 'funnel slope',
  'world.funnel.sameSession': 'same-session purchase share',
  'world.funnel.delayMean': 'mean purchase delay',
  'world.identity.loginRate': 'login rate',
  'world.identity.sharedDevices': 'shared-device share',
  'world.identity.switchProb': 'device switch probability',
  'world.identity.cookieLifetime': 'cookie lifetime',
  'world.identity.itpShare': 'ITP browser share',
  'world.identity.itpCap': 'ITP cookie cap',
  'world.promotions.count': 'promotions',
  'world.seasonality.amplitude': 'seasonality amplitude',
  'train.until': 'train/test split',
  'eval.window': 'label window W',
  'eval.k': 'cut-offs K',
  'eval.positives': 'positive event types',
  'eval.excludeSeen': 'exclude seen items',
  'eval.bootstrap': 'bootstrap replicates',
  'eval.level': 'interval level',
  'eval.sample': 'person sample share',
  'eval.phases': 'schedule phases',
  'data.drift.clock': 'drift clock (times faster)',
  'data.drift.shifts.share': 'share of persons whose interest shifts',
  'data.fragment.loginRate': 'injected login rate',
  'data.fragment.sharedDevices': 'injected shared-device share',
};

/** Per-channel mappings: `world.identity.loginRate.app` -> "login rate on app". */
const PER_CHANNEL: Record<string, string> = {
  'world.identity.loginRate': 'login rate on',
  'world.identity.channelMix': 'channel share of',
  'world.identity.signals.homeShare': 'home-network share on',
  'data.fragment.loginRate': 'injected login rate on',
};

/**
 * The axis of `path` named in words, from the path and the scenario (which names pipelines and models).
 *
 * @example
 * axisLabel('pipelines.0.refresh', scenario) // 'refresh cadence (pipeline weekly-batch)'
 * axisLabel('world.identity.loginRate.app', scenario) // 'login rate on app'
 * axisLabel('world.activity.diurnal', scenario) // 'diurnal (world activity)'
 */
export function axisLabel(path: string, scenario: Pick<Scenario, 'pipelines' | 'models'>): string {
  const segs = path.split('.');
  const owned = (kind: 'pipeline' | 'model', fields: Record<string, string>) => {
    const i = Number(segs[1]);
    const owner = (kind === 'pipeline' ? scenario.pipelines : scenario.models)[i]?.name ?? `#${segs[1]}`;
    const rest = segs.slice(2).join('.');
    return `${fields[rest] ?? (rest ? words(rest) : kind)} (${kind} ${owner})`;
  };
  if (segs[0] === 'pipelines' && /^\d+$/.test(segs[1] ?? '')) return owned('pipeline', PIPELINE_FIELDS);
  if (segs[0] === 'models' && /^\d+$/.test(segs[1] ?? '')) return owned('model', MODEL_FIELDS);
  if (FIELDS[path]) return FIELDS[path];
  const parent = segs.slice(0, -1).join('.');
  if (PER_CHANNEL[parent]) return `${PER_CHANNEL[parent]} ${segs[segs.length - 1]}`;
  return segs.length === 1 ? words(path) : `${words(segs[segs.length - 1])} (${segs.slice(0, -1).map(words).join(' ')})`;
}

/** `sessionStitch` -> 'session stitch', `graph.maxBlock` -> 'graph max block'. */
function words(text: string): string {
  return text
    .split('.')
    .map((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase())
    .join(' ');
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?%?$/i;

/** A value's position on an ordered axis: the number (a percentage as a share) or the duration in ms. */
function positionOf(value: string, kind: AxisKind): number {
  if (kind === 'duration') return parseDurationMs(value)!;
  return value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : Number(value);
}

/**
 * How an axis's values order: all numbers (percentages included), all durations (0 counts as one), or
 * categories.
 *
 * @example
 * axisKind(['1h', '1d', '7d']) // 'duration'
 * axisKind(['key', 'login', 'graph']) // 'category'
 */
export function axisKind(values: readonly string[]): AxisKind {
  if (values.every((v) => NUMBER.test(v))) return 'number';
  if (values.every((v) => parseDurationMs(v) !== undefined)) return 'duration';
  return 'category';
}

/**
 * An axis as the table keeps it: its label, kind, and values in plotting order (natural order when
 * ordered, as given otherwise).
 *
 * @example
 * describeAxis({ path: 'pipelines.0.refresh', values: ['7d', '1h', '1d'] }, scenario)
 * // { path, label: 'refresh cadence (pipeline weekly-batch)', kind: 'duration', values: ['7d', '1h', '1d'], order: ['1h', '1d', '7d'] }
 */
export function describeAxis(axis: { path: string; values: string[] }, scenario: Pick<Scenario, 'pipelines' | 'models'>): SweepAxis {
  const kind = axisKind(axis.values);
  const order =
    kind === 'category'
      ? [...axis.values]
      : axis.values
          .map((v, i) => ({ v, i, at: positionOf(v, kind) }))
          .sort((a, b) => a.at - b.at || a.i - b.i)
          .map((x) => x.v);
  return { path: axis.path, label: axisLabel(axis.path, scenario), kind, values: axis.values, order };
}

/**
 * The folder name of a grid point: its index, zero-padded to the grid's width, and its values, reduced to
 * letters, digits, dots and dashes (a safe single path segment).
 *
 * @example
 * pointSlug(3, ['1d', '0.85'], 12) // '03-1d_0.85'
 * pointSlug(0, ['"a,b"', '../x'], 2) // '0-a-b_.-x'
 */
export function pointSlug(index: number, values: readonly string[], points: number): string {
  const part = (v: string) =>
    v
      .replace(/[^A-Za-z0-9.]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'x';
  return `${String(index).padStart(String(Math.max(0, points - 1)).length, '0')}-${values.map(part).join('_')}`.slice(0, 120);
}
