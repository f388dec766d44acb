// Guards at the generator's entry: a WorldSpec built by hand (tests, benchmarks) skips the scenario
// parser, so the generator re-checks the few settings that would otherwise fail deep in a loop.
import { InputError, msg } from '../errors.ts';
import { ACTIVITY_TAIL_DEFAULTS, type WorldSpec } from '../scenario/worldSpec.ts';

/**
 * Throw on the first setting the generator cannot use.
 *
 * @example
 * checkWorldSpec({ ...DEFAULT_WORLD, items: 10, categories: 30 });
 * // throws InputError('generateWorld: world.items is 10; expected an integer >= categories (30)')
 */
export function checkWorldSpec(spec: WorldSpec): void {
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new InputError(msg.invalidValue('generateWorld', `world.${field}`, value, expected));
  };
  const int = (v: number) => Number.isInteger(v);
  const prob = (v: number) => v >= 0 && v <= 1;
  if (!int(spec.persons) || spec.persons < 0) fail('persons', spec.persons, 'an integer >= 0');
  if (!int(spec.categories) || spec.categories < 1) fail('categories', spec.categories, 'an integer >= 1');
  if (!int(spec.items) || spec.items < spec.categories) fail('items', spec.items, `an integer >= categories (${spec.categories})`);
  if (!int(spec.dim) || spec.dim < 1) fail('dim', spec.dim, 'an integer >= 1');
  if (!(spec.days > 0)) fail('days', spec.days, 'a number > 0');
  if (!int(spec.favoriteCategories) || spec.favoriteCategories < 1) fail('favoriteCategories', spec.favoriteCategories, 'an integer >= 1');
  if (!(spec.activity.sessionsPerDay >= 0)) fail('activity.sessionsPerDay', spec.activity.sessionsPerDay, 'a number >= 0');
  const { sigma, oneOff } = { ...ACTIVITY_TAIL_DEFAULTS, ...spec.activity };
  if (!(sigma > 0)) fail('activity.sigma', sigma, 'a number > 0');
  if (!(oneOff >= 0 && oneOff < 1)) fail('activity.oneOff', oneOff, 'a share in [0, 1)');
  if (!(spec.activity.viewsPerSession >= 1)) fail('activity.viewsPerSession', spec.activity.viewsPerSession, 'a number >= 1');
  if (!(spec.drift.kappa >= 0)) fail('drift.kappa', spec.drift.kappa, 'a number >= 0');
  if (!(spec.drift.sigma >= 0)) fail('drift.sigma', spec.drift.sigma, 'a number >= 0');
  if (!(spec.drift.shiftRate >= 0)) fail('drift.shiftRate', spec.drift.shiftRate, 'a number >= 0');
  for (const f of ['cart', 'purchase', 'sameSession'] as const) if (!prob(spec.funnel[f])) fail(`funnel.${f}`, spec.funnel[f], 'a probability in [0, 1]');
  if (!(spec.funnel.delayMeanMs > 0)) fail('funnel.delayMeanMs', spec.funnel.delayMeanMs, 'a duration > 0');
  const id = spec.identity;
  if (id.devices.length === 0 || id.devices.some((w) => !(w >= 0)) || !(id.devices.reduce((a, b) => a + b, 0) > 0))
    fail('identity.devices', id.devices, 'non-negative weights for 1, 2, 3, ... devices with a positive sum');
  const mix = id.channelMix;
  if (![mix.app, mix.mweb, mix.desktop].every((w) => w >= 0) || !(mix.app + mix.mweb + mix.desktop > 0))
    fail('identity.channelMix', mix, 'non-negative weights with a positive sum');
  for (const c of ['app', 'mweb', 'desktop'] as const) if (!prob(id.loginRate[c])) fail(`identity.loginRate.${c}`, id.loginRate[c], 'a probability in [0, 1]');
  for (const f of ['switchProb', 'itpShare', 'sharedDevices'] as const) if (!prob(id[f])) fail(`identity.${f}`, id[f], 'a probability in [0, 1]');
  if (!(id.cookieLifetimeMs > 0)) fail('identity.cookieLifetimeMs', id.cookieLifetimeMs, 'a duration > 0');
  if (!(id.itpCapMs > 0)) fail('identity.itpCapMs', id.itpCapMs, 'a duration > 0');
}
