// Tiny logs with identity signals for the identity tests, and small synthetic worlds.
import { logFromRows, NONE, type EventLog } from '../../src/log/eventLog.ts';
import { Rng } from '../../src/util/rng.ts';
import { generateWorld, type World } from '../../src/world/generate.ts';
import { DEFAULT_WORLD, type WorldSpec } from '../../src/scenario/worldSpec.ts';

export const MIN = 60_000;
export const H = 3_600_000;
export const D = 24 * H;

export interface SignalRow {
  t: number;
  person?: string;
  key: string;
  item: string;
  type?: string;
  login?: string;
  channel?: string;
  session?: number;
  ip?: string;
  ua?: string;
  geo?: string;
}

/** logFromRows plus signal columns (rows need not be sorted; absent signals are NONE). */
export function signalLog(rows: SignalRow[]): EventLog {
  const sorted = rows.map((r, i) => ({ ...r, i })).sort((a, b) => a.t - b.t || a.i - b.i);
  const log = logFromRows(sorted.map((r) => ({ type: 'view', ...r })));
  const dicts = { ip: new Map<string, number>(), userAgent: new Map<string, number>(), geo: new Map<string, number>() };
  const col = (field: 'ip' | 'ua' | 'geo', dict: Map<string, number>) =>
    Int32Array.from(sorted, (r) => {
      const v = r[field];
      if (v === undefined) return NONE;
      if (!dict.has(v)) dict.set(v, dict.size);
      return dict.get(v)!;
    });
  const ip = col('ip', dicts.ip);
  const userAgent = col('ua', dicts.userAgent);
  const geo = col('geo', dicts.geo);
  return { ...log, signals: { ip, userAgent, geo, dict: { ip: [...dicts.ip.keys()], userAgent: [...dicts.userAgent.keys()], geo: [...dicts.geo.keys()] } } };
}

type IdentityOverrides = Partial<Omit<WorldSpec['identity'], 'signals'>> & { signals?: Partial<WorldSpec['identity']['signals']> };

/** A small world (persons, 28 days, 600 items) with identity overrides merged over the defaults. */
export function smallWorld(persons: number, identity: IdentityOverrides = {}, seed = 7): World {
  const d = DEFAULT_WORLD;
  const spec: WorldSpec = {
    ...d,
    persons,
    items: 600,
    categories: 12,
    days: 28,
    activity: { ...d.activity, sessionsPerDay: 0.5 },
    identity: { ...d.identity, ...identity, signals: { ...d.identity.signals, ...identity.signals } },
  };
  return generateWorld(spec, Rng.fromSeed(seed));
}

/** Requests (time, key, person) at every session start at or after fromMs: enough for resolution quality. */
export function sessionStartRequests(log: EventLog, fromMs: number): { length: number; tsMs: Float64Array; key: Int32Array; person: Int32Array } {
  const starts: number[] = [];
  const seen = new Set<number>();
  for (let e = 0; e < log.length; e++) {
    if (seen.has(log.session[e])) continue;
    seen.add(log.session[e]);
    if (log.tsMs[e] >= fromMs) starts.push(e);
  }
  return {
    length: starts.length,
    tsMs: Float64Array.from(starts, (e) => log.tsMs[e]),
    key: Int32Array.from(starts, (e) => log.key[e]),
    person: Int32Array.from(starts, (e) => log.person[e]),
  };
}
