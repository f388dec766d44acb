// The columns of the device mixture (deviceMix.ts): the keys-per-person histogram of the twin when every person
// has j devices, for j = 1, 2, .... Identity is drawn after behaviour and from its own stream (docs/method.md
// 2.10), so the behaviour is simulated once and only the identity layer is drawn again for each j: the columns
// then share their persons and sessions, and differ only by the devices, which is what the fit compares.
import type { WorldSpec } from '../scenario/worldSpec.ts';
import { Rng } from '../util/rng.ts';
import { orderSessions } from '../world/assemble.ts';
import { drawCatalog } from '../world/items.ts';
import { drawPersons } from '../world/persons.ts';
import { drawPromotions } from '../world/promotions.ts';
import { drawSeasonality } from '../world/seasonality.ts';
import { assignIdentity } from '../world/sessionIdentity.ts';
import { simulateBehavior } from '../world/simulate.ts';
import { keyBin, keyBins } from './identityStats.ts';
import { APP } from '../world/devices.ts';

/** Persons simulated for the columns at least: their histograms are then steadier than the source's own. */
const COLUMN_PERSONS = 10_000;

/**
 * Keys-per-person histograms (identityStats.ts keyBin, by channel or not) of the twin world `spec` with 1, ..., maxDevices
 * devices per person, over persons with a session that has an event of a `visible` type (event type codes of
 * the world: 0 view, 1 cart, 2 purchase), the ones the source's lens shows. Draws from the same streams as
 * generateWorld with seed `seed`, over at least COLUMN_PERSONS persons.
 *
 * @example
 * deviceColumns(spec, 7, Uint8Array.of(1, 1, 1), 5, false)[0] // everyone on one device: [0.62, 0.25, 0.09, ...] (cookie churn)
 */
export function deviceColumns(spec: WorldSpec, seed: number, visible: Uint8Array, maxDevices: number, byChannel: boolean): number[][] {
  const world = { ...spec, persons: Math.max(spec.persons, COLUMN_PERSONS) };
  // The streams generateWorld draws from (world/generate.ts) under loadLog's root fork.
  const rng = Rng.fromSeed(seed).fork('world');
  const itemsRng = rng.fork('items');
  const catalog = drawCatalog(world, itemsRng.fork('catalog'));
  const promotions = drawPromotions(world, catalog, itemsRng.fork('promotions'));
  const seasonality = drawSeasonality(world, itemsRng.fork('seasonality'));
  const persons = drawPersons(world, catalog, rng.fork('persons'));
  const behavior = simulateBehavior(world, catalog, persons, promotions, seasonality, rng.fork('behavior'));
  const seen = new Uint8Array(behavior.sessions);
  for (let e = 0; e < behavior.events; e++) if (visible[behavior.type[e]]) seen[behavior.session[e]] = 1;
  const { table, globalId } = orderSessions(behavior);
  const seenGlobal = new Uint8Array(table.count);
  for (let s = 0; s < behavior.sessions; s++) seenGlobal[globalId[s]] = seen[s];

  const columns: number[][] = [];
  for (let j = 1; j <= maxDevices; j++) {
    const devices = Array.from({ length: j }, (_, i) => (i === j - 1 ? 1 : 0));
    const identity = assignIdentity({ ...world.identity, devices }, world.persons, table, rng.fork('identity'));
    const isApp = Uint8Array.from(identity.channel, (c) => (c === APP ? 1 : 0));
    columns.push(keysHistogram(table.person, identity.key, isApp, seenGlobal, world.persons, identity.keyNames.length, byChannel));
  }
  return columns;
}

/** Shares of persons per keyBin (identityStats.ts) of their distinct keys over their visible sessions. */
function keysHistogram(person: Int32Array, key: Int32Array, isApp: Uint8Array, seen: Uint8Array, persons: number, keys: number, byChannel: boolean): number[] {
  // Sessions grouped by person (a counting sort), so a key's stamp names the person being counted.
  const start = new Int32Array(persons + 1);
  for (let s = 0; s < person.length; s++) start[person[s] + 1]++;
  for (let p = 0; p < persons; p++) start[p + 1] += start[p];
  const fill = start.slice(0, persons);
  const byPerson = new Int32Array(person.length);
  for (let s = 0; s < person.length; s++) byPerson[fill[person[s]]++] = s;
  const stamp = new Int32Array(keys).fill(-1);
  const histogram = new Array<number>(keyBins(byChannel)).fill(0);
  let total = 0;
  for (let p = 0; p < persons; p++) {
    let appKeys = 0;
    let otherKeys = 0;
    for (let j = start[p]; j < start[p + 1]; j++) {
      const s = byPerson[j];
      if (!seen[s] || stamp[key[s]] === p) continue;
      stamp[key[s]] = p;
      if (isApp[s]) appKeys++;
      else otherKeys++;
    }
    if (appKeys + otherKeys === 0) continue;
    histogram[keyBin(appKeys, otherKeys, byChannel)]++;
    total++;
  }
  return histogram.map((h) => h / total);
}
