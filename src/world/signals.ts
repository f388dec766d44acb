// What a device graph can see (docs/method.md 2.9, Identity): per session an IP address, a user-agent
// family and a coarse region, from households, home networks and carrier NAT. Drawn only from the
// identity stream's 'signals' fork, so adding signals leaves every behaviour and identity draw as it was.
import { InputError, msg } from '../errors.ts';
import { NONE, type EventLog } from '../log/eventLog.ts';
import type { Rng } from '../util/rng.ts';
import { APP, type Devices, DESKTOP, MWEB } from './devices.ts';
import type { SessionTable } from './sessionIdentity.ts';
import type { SignalSpec } from '../scenario/worldSpec.ts';

/** Per-session signals, indexed like the SessionTable; ids index into `dict`. */
export interface SessionSignals {
  readonly ip: Int32Array;
  readonly userAgent: Int32Array;
  readonly geo: Int32Array;
  /** Where in a logged-in session the login happens, as a fraction of its events; NaN = at the start. */
  readonly loginAt: Float64Array;
  readonly dict: { ip: string[]; userAgent: string[]; geo: string[] };
}

/** Per-event signal columns as EventLog carries them. */
export type EventSignals = NonNullable<EventLog['signals']>;

// User-agent families: operating system, then browser weights per OS, with the newest major version.
type Browser = readonly [name: string, share: number, newest: number];
type OsFamily = { readonly os: string; readonly share: number; readonly browsers: readonly Browser[] };
const MOBILE_OS: readonly OsFamily[] = [
  {
    os: 'iOS',
    share: 0.55,
    browsers: [
      ['Safari', 0.85, 17],
      ['Chrome', 0.15, 121],
    ],
  },
  {
    os: 'Android',
    share: 0.45,
    browsers: [
      ['Chrome', 0.8, 121],
      ['Samsung', 0.2, 23],
    ],
  },
];
const DESKTOP_OS: readonly OsFamily[] = [
  {
    os: 'Windows',
    share: 0.75,
    browsers: [
      ['Chrome', 0.7, 121],
      ['Edge', 0.2, 120],
      ['Firefox', 0.1, 122],
    ],
  },
  {
    os: 'macOS',
    share: 0.25,
    browsers: [
      ['Safari', 0.5, 17],
      ['Chrome', 0.45, 121],
      ['Firefox', 0.05, 122],
    ],
  },
];
const APP_VERSION = 5;

/**
 * Draw households, user agents and networks for every session.
 *
 * Households: persons are grouped in index order into households of 1 + categorical(householdSize)
 * persons; each household lives in a region r with probability proportional to 1 / (r + 1).
 * A device belongs to its owner's household (a shared device stays where it lives), so a sharer's
 * sessions on it carry the owner's home IP: the signal agrees with the shared key, as in real graphs.
 * Networks: a session is on the home network with probability homeShare[channel]; the home IP of a
 * household lasts Exp(homeIpLifetimeMs) from its first use, then the ISP assigns a new one. Any other
 * session uses a carrier-NAT IP drawn uniformly from its region's pool of ceil(persons in region /
 * natPersons) IPs, in the home region or, with probability `travel`, another (Zipf) region.
 * User agents: a person has one mobile and one desktop OS; each device draws a browser for its OS
 * (app devices report the app) and a major version among the uaVersions newest (weights 1/2^v).
 * The user agent reads `OS/Browser/version`, so `iOS/Safari/17`; the part before the first `/` is the
 * family a graph may compare partially. Logins: a logged-in session logs in mid-way with probability
 * midSessionLogin, at a uniform fraction of its events.
 *
 * @example
 * const signals = drawSignals(spec.identity.signals, spec.persons, devices, device, sessions, rng.fork('identity').fork('signals'));
 * signals.dict.ip[signals.ip[0]]; // e.g. '24.0.0.17' (home) or '100.64.0.3' (carrier NAT)
 */
export function drawSignals(spec: SignalSpec, persons: number, devices: Devices, device: Int32Array, sessions: SessionTable, rng: Rng): SessionSignals {
  checkSignalSpec(spec);
  const homes = drawHouseholds(spec, persons, rng.fork('households'));
  const agents = drawAgents(spec, persons, devices, rng.fork('agents'));
  const net = rng.fork('networks');
  const homeIps = rng.fork('homeIps');
  const logins = rng.fork('logins');

  // Carrier-NAT pools: region r owns IPs natStart[r] .. natStart[r + 1] - 1.
  const inRegion = new Int32Array(spec.regions);
  for (let p = 0; p < persons; p++) inRegion[homes.region[homes.household[p]]]++;
  const natStart = new Int32Array(spec.regions + 1);
  for (let r = 0; r < spec.regions; r++) natStart[r + 1] = natStart[r] + Math.max(1, Math.ceil(inRegion[r] / spec.natPersons));
  const natCount = natStart[spec.regions];

  const homeShare = [0, 0, 0];
  homeShare[APP] = spec.homeShare.app;
  homeShare[MWEB] = spec.homeShare.mweb;
  homeShare[DESKTOP] = spec.homeShare.desktop;
  const regionCdf = zipfCdf(spec.regions);
  const current = new Int32Array(homes.count).fill(NONE);
  const expires = new Float64Array(homes.count);
  let homeCount = 0;
  const lifetimeRate = 1 / spec.homeIpLifetimeMs;

  const S = sessions.count;
  const ip = new Int32Array(S);
  const userAgent = new Int32Array(S);
  const geo = new Int32Array(S);
  const loginAt = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const dev = device[s];
    const h = homes.household[devices.owner[dev]];
    // Fixed draws per session, so each setting moves only its own decisions.
    const rHome = net.float();
    const rTravel = net.float();
    const rRegion = net.float();
    const rPool = net.float();
    userAgent[s] = agents.device[dev];
    if (rHome < homeShare[devices.channel[dev]]) {
      if (current[h] < 0 || sessions.start[s] >= expires[h]) {
        current[h] = natCount + homeCount++;
        expires[h] = sessions.start[s] + homeIps.exponential(lifetimeRate);
      }
      ip[s] = current[h];
      geo[s] = homes.region[h];
    } else {
      const r = rTravel < spec.travel ? lowerBound(regionCdf, rRegion) : homes.region[h];
      ip[s] = natStart[r] + Math.min(natStart[r + 1] - natStart[r] - 1, Math.floor(rPool * (natStart[r + 1] - natStart[r])));
      geo[s] = r;
    }
    const rMid = logins.float();
    const rAt = logins.float();
    loginAt[s] = rMid < spec.midSessionLogin ? rAt : NaN;
  }

  const ipNames = new Array<string>(natCount + homeCount);
  for (let j = 0; j < natCount; j++) ipNames[j] = `100.${64 + ((j >>> 16) & 63)}.${(j >>> 8) & 255}.${j & 255}`;
  for (let j = 0; j < homeCount; j++) ipNames[natCount + j] = `${24 + (j >>> 24)}.${(j >>> 16) & 255}.${(j >>> 8) & 255}.${j & 255}`;
  const geoNames = Array.from({ length: spec.regions }, (_, r) => 'r' + r);
  return { ip, userAgent, geo, loginAt, dict: { ip: ipNames, userAgent: agents.names, geo: geoNames } };
}

/**
 * Throw on the first signal setting the generator cannot use (a hand-built WorldSpec skips the parser).
 *
 * @example
 * checkSignalSpec({ ...DEFAULT_WORLD.identity.signals, regions: 0 });
 * // throws InputError('generateWorld: world.identity.signals.regions is 0; expected an integer >= 1')
 */
export function checkSignalSpec(spec: SignalSpec): void {
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new InputError(msg.invalidValue('generateWorld', `world.identity.signals.${field}`, value, expected));
  };
  const prob = (v: number) => v >= 0 && v <= 1;
  const h = spec.householdSize;
  if (h.length === 0 || h.some((w) => !(w >= 0)) || !(h.reduce((a, b) => a + b, 0) > 0))
    fail('householdSize', h, 'non-negative weights for 1, 2, 3, ... persons with a positive sum');
  for (const c of ['app', 'mweb', 'desktop'] as const) if (!prob(spec.homeShare[c])) fail(`homeShare.${c}`, spec.homeShare[c], 'a probability in [0, 1]');
  if (!(spec.homeIpLifetimeMs > 0)) fail('homeIpLifetimeMs', spec.homeIpLifetimeMs, 'a duration > 0');
  if (!(spec.natPersons >= 1)) fail('natPersons', spec.natPersons, 'a number >= 1');
  if (!Number.isInteger(spec.regions) || spec.regions < 1) fail('regions', spec.regions, 'an integer >= 1');
  if (!prob(spec.travel)) fail('travel', spec.travel, 'a probability in [0, 1]');
  if (!Number.isInteger(spec.uaVersions) || spec.uaVersions < 1) fail('uaVersions', spec.uaVersions, 'an integer >= 1');
  if (!prob(spec.midSessionLogin)) fail('midSessionLogin', spec.midSessionLogin, 'a probability in [0, 1]');
}

/**
 * Per-event signal columns from per-session ones (events without a session get -1), and the login column
 * with mid-session logins applied: in a logged-in session with loginAt = f and n events, the first
 * 1 + floor(f (n - 1)) events are anonymous (at least one, never all). Returns the login column itself
 * when no session logs in mid-way.
 *
 * @example
 * const { signals, login } = eventSignals(log.session, log.login, sessionSignals);
 */
export function eventSignals(session: Int32Array, login: Int32Array, s: SessionSignals): { signals: EventSignals; login: Int32Array } {
  const n = session.length;
  const ip = new Int32Array(n);
  const userAgent = new Int32Array(n);
  const geo = new Int32Array(n);
  let mid = false;
  for (let i = 0; i < s.loginAt.length && !mid; i++) mid = s.loginAt[i] === s.loginAt[i];
  for (let e = 0; e < n; e++) {
    const id = session[e];
    if (id < 0) {
      ip[e] = userAgent[e] = geo[e] = NONE;
      continue;
    }
    ip[e] = s.ip[id];
    userAgent[e] = s.userAgent[id];
    geo[e] = s.geo[id];
  }
  const signals = { ip, userAgent, geo, dict: s.dict };
  if (!mid) return { signals, login };
  const size = new Int32Array(s.loginAt.length);
  for (let e = 0; e < n; e++) if (session[e] >= 0) size[session[e]]++;
  const seen = new Int32Array(s.loginAt.length);
  const out = new Int32Array(login);
  for (let e = 0; e < n; e++) {
    const id = session[e];
    if (id < 0 || out[e] < 0) continue;
    const f = s.loginAt[id];
    const pos = seen[id]++;
    if (f === f && size[id] > 1 && pos < 1 + Math.floor(f * (size[id] - 1))) out[e] = NONE;
  }
  return { signals, login: out };
}

interface Households {
  count: number;
  /** person -> household */
  household: Int32Array;
  /** household -> region */
  region: Int32Array;
}

function drawHouseholds(spec: SignalSpec, persons: number, rng: Rng): Households {
  const household = new Int32Array(persons);
  const regions: number[] = [];
  const cdf = zipfCdf(spec.regions);
  for (let p = 0; p < persons; ) {
    const size = 1 + rng.categorical(spec.householdSize);
    const rRegion = rng.float();
    const h = regions.length;
    regions.push(lowerBound(cdf, rRegion));
    for (let j = 0; j < size && p < persons; j++) household[p++] = h;
  }
  return { count: regions.length, household, region: Int32Array.from(regions) };
}

/** device -> user-agent id, and the user-agent names. */
function drawAgents(spec: SignalSpec, persons: number, devices: Devices, rng: Rng): { device: Int32Array; names: string[] } {
  const mobileOs = new Uint8Array(persons);
  const desktopOs = new Uint8Array(persons);
  for (let p = 0; p < persons; p++) {
    mobileOs[p] = rng.float() < MOBILE_OS[0].share ? 0 : 1;
    desktopOs[p] = rng.float() < DESKTOP_OS[0].share ? 0 : 1;
  }
  const versionWeights = Array.from({ length: spec.uaVersions }, (_, v) => 2 ** -v);
  const ids = new Map<string, number>();
  const device = new Int32Array(devices.count);
  for (let dev = 0; dev < devices.count; dev++) {
    const rBrowser = rng.float();
    const v = rng.categorical(versionWeights);
    const owner = devices.owner[dev];
    const ch = devices.channel[dev];
    let name: string;
    if (ch === APP) name = `${MOBILE_OS[mobileOs[owner]].os}/App/${APP_VERSION - v}`;
    else {
      const family = ch === DESKTOP ? DESKTOP_OS[desktopOs[owner]] : MOBILE_OS[mobileOs[owner]];
      const [browser, , newest] = pick(family.browsers, rBrowser);
      name = `${family.os}/${browser}/${newest - v}`;
    }
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = ids.size));
    device[dev] = id;
  }
  return { device, names: [...ids.keys()] };
}

function pick(options: readonly Browser[], u: number): Browser {
  let acc = 0;
  for (const o of options) {
    acc += o[1];
    if (u < acc) return o;
  }
  return options[options.length - 1];
}

/** Cumulative Zipf(1) weights over n regions, normalised to end at 1. */
function zipfCdf(n: number): Float64Array {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let r = 0; r < n; r++) cdf[r] = acc += 1 / (r + 1);
  for (let r = 0; r < n; r++) cdf[r] /= acc;
  return cdf;
}

/** First index whose cumulative weight exceeds u. */
function lowerBound(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
