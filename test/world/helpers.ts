// Shared fixtures for the world tests: small worlds that generate in well under a second.
import { Rng } from '../../src/util/rng.ts';
import { generateWorld, type World } from '../../src/world/generate.ts';
import { DEFAULT_WORLD, type WorldSpec } from '../../src/scenario/worldSpec.ts';

export const DAY_MS = 86_400_000;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

/** DEFAULT_WORLD shrunk (400 persons, 600 items, 12 categories, 28 days), with overrides merged one level deep. */
export function smallSpec(overrides: DeepPartial<WorldSpec> = {}): WorldSpec {
  const base: WorldSpec = {
    ...DEFAULT_WORLD,
    persons: 400,
    items: 600,
    categories: 12,
    days: 28,
    activity: { ...DEFAULT_WORLD.activity, sessionsPerDay: 0.5 },
  };
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) {
    const cur = (base as unknown as Record<string, unknown>)[k];
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...(cur as object), ...v } : v;
  }
  return out as unknown as WorldSpec;
}

export function world(spec: WorldSpec, seed = 7): World {
  return generateWorld(spec, Rng.fromSeed(seed));
}

/** Behaviour columns: must not move when only identity settings change. */
export const BEHAVIOR_COLUMNS = ['tsMs', 'person', 'session', 'item', 'type', 'value'] as const;

/** Per session: its events' indices in log order. */
export function eventsBySession(w: World): number[][] {
  const out: number[][] = [];
  for (let e = 0; e < w.log.length; e++) (out[w.log.session[e]] ??= []).push(e);
  return out;
}
