// The synthetic world generator (docs/method.md section 2): spec + seed -> catalogue, persons, and an event
// log whose behaviour and identity come from separate random streams.
import type { EventLog } from '../log/eventLog.ts';
import type { Rng } from '../util/rng.ts';
import { assembleLog, orderSessions, worldDictionaries } from './assemble.ts';
import { assignIdentity } from './sessionIdentity.ts';
import { drawCatalog } from './items.ts';
import { drawPersons } from './persons.ts';
import { drawPromotions } from './promotions.ts';
import { drawSeasonality } from './seasonality.ts';
import { eventSignals } from './signals.ts';
import { simulateBehavior } from './simulate.ts';
import type { WorldSpec } from '../scenario/worldSpec.ts';
import { checkWorldSpec } from './validate.ts';

export interface World {
  spec: WorldSpec;
  log: EventLog;
  items: { category: Int32Array; price: Float32Array; popularity: Float64Array; vectors: Float32Array /* items x dim, row-major */ };
  /** key index -> the person who owns the device (the first owner for shared devices) */
  keyOwner: Int32Array;
  /** key index -> true when the device behind the key is used by more than one person */
  keyShared: Uint8Array;
}

/**
 * Generate a world. Deterministic for (spec, rng seed): behaviour draws from `rng.fork('items')`,
 * `rng.fork('persons')` and `rng.fork('behavior')`, identity only from `rng.fork('identity')`, so any
 * identity setting (including `fragmented`) leaves time, person, session, item, type and value columns
 * identical, and channel too between fragmented and unfragmented renderings.
 * `onProgress(done, total)` reports persons simulated (the bulk of the work).
 *
 * @example
 * const world = generateWorld(DEFAULT_WORLD, Rng.fromSeed(7));
 * world.log.length;               // events, sorted by time
 * world.log.dict.type;            // ['view', 'cart', 'purchase']
 */
export function generateWorld(spec: WorldSpec, rng: Rng, onProgress?: (done: number, total: number) => void): World {
  checkWorldSpec(spec);
  // 1. Catalogue, promotions and seasonality: sub-streams of 'items', so adding promotions leaves items alone.
  const itemsRng = rng.fork('items');
  const catalog = drawCatalog(spec, itemsRng.fork('catalog'));
  const promotions = drawPromotions(spec, catalog, itemsRng.fork('promotions'));
  const seasonality = drawSeasonality(spec, itemsRng.fork('seasonality'));
  // 2. Persons' fixed traits: favourites, long-term taste, activity.
  const persons = drawPersons(spec, catalog, rng.fork('persons'));
  // 3. Behaviour: sessions, views, carts, purchases, person by person (unsorted).
  const behavior = simulateBehavior(spec, catalog, persons, promotions, seasonality, rng.fork('behavior'), onProgress);
  // 4. Global session ids by start time (ties by person).
  const { table, globalId } = orderSessions(behavior);
  // 5. Identity: devices, keys, channels and logins per session, from its own stream.
  const identity = assignIdentity(spec.identity, spec.persons, table, rng.fork('identity'));
  // 6. Time-sorted columnar log, with the identity signals (IP, user agent, region) per event.
  const dict = worldDictionaries(spec.persons, spec.items, identity.keyNames);
  const assembled = assembleLog(behavior, globalId, identity, dict);
  // Signals per event; mid-session logins only where keys can be anonymous (fragmented worlds).
  const { signals, login } = eventSignals(assembled.session, assembled.login, identity.signals);
  const log: EventLog = { ...assembled, login: spec.identity.fragmented ? login : assembled.login, signals };
  onProgress?.(spec.persons, spec.persons);
  return {
    spec,
    log,
    items: { category: catalog.category, price: catalog.price, popularity: catalog.popularity, vectors: catalog.vectors },
    keyOwner: identity.keyOwner,
    keyShared: identity.keyShared,
  };
}
