// The identity layer (docs/method.md 2.9, Identity): the device, key, channel and login of each session.
// It reads only session times and persons and draws only from the identity stream.
import { NONE } from '../log/eventLog.ts';
import type { Rng } from '../util/rng.ts';
import { APP, type Devices, DESKTOP, drawDevices, MWEB } from './devices.ts';
import { drawSignals, type SessionSignals } from './signals.ts';
import type { IdentitySpec } from '../scenario/worldSpec.ts';

/** Share of a sharing person's sessions that happen on the shared (household) device. */
export const SHARED_SESSION_SHARE = 0.25;

/** Sessions in global order (by start time, ties by person). */
export interface SessionTable {
  readonly count: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly person: Int32Array;
}

export interface SessionIdentity {
  /** session -> key index */
  readonly key: Int32Array;
  /** session -> login index (== person index) or -1 when the session did not log in */
  readonly login: Int32Array;
  /** session -> channel index */
  readonly channel: Uint8Array;
  /** key index -> external id */
  readonly keyNames: string[];
  /** key index -> owner of the device behind it */
  readonly keyOwner: Int32Array;
  /** key index -> 1 when the device behind it is used by more than one person */
  readonly keyShared: Uint8Array;
  /** session -> IP, user agent, region (world/signals.ts), from the identity stream's 'signals' fork */
  readonly signals: SessionSignals;
}

/**
 * Assign devices, keys, channels and logins to sessions, walking them in time order so that each
 * device's cookie state is shared by everyone who uses it.
 *
 * Device choice: a person's first session uses a uniformly chosen own device; later sessions keep the
 * last device with probability 1 - switchProb, else move to another own device. A person with a shared
 * device uses it for a SHARED_SESSION_SHARE of sessions (without changing their "last device").
 * Keys (fragmented): an app device has one stable key `a<k>`; a web device's cookie `c<k>` lives
 * min(Exp(cookieLifetimeMs), itpCapMs if capped) from the session that set it, and a session that would
 * end after that starts a new cookie, so no cookie spans more than its lifetime. Logins happen per
 * session with probability loginRate[channel] and are truthful (the acting person).
 * Unfragmented: key and login are the person; the devices are still drawn so channels are unchanged.
 *
 * @example
 * const id = assignIdentity(spec.identity, spec.persons, sessions, rng.fork('identity'));
 * id.key[0]; // key of the earliest session
 */
export function assignIdentity(spec: IdentitySpec, persons: number, sessions: SessionTable, rng: Rng): SessionIdentity {
  // Separate sub-streams: changing e.g. the login rates leaves device and cookie draws unchanged.
  const devices = drawDevices(spec, persons, rng.fork('devices'));
  const device = chooseDevices(spec, devices, sessions, rng.fork('choice'));
  const channel = new Uint8Array(sessions.count);
  for (let s = 0; s < sessions.count; s++) channel[s] = devices.channel[device[s]];
  const signals = drawSignals(spec.signals, persons, devices, device, sessions, rng.fork('signals'));
  if (!spec.fragmented) return unfragmented(persons, sessions, channel, signals);

  const { key, keyDevice } = cookieKeys(spec, devices, device, sessions, rng.fork('cookies'));
  const login = drawLogins(spec, channel, sessions, rng.fork('logins'));

  const usedByOther = new Uint8Array(devices.count);
  for (let s = 0; s < sessions.count; s++) if (sessions.person[s] !== devices.owner[device[s]]) usedByOther[device[s]] = 1;
  const keys = keyDevice.length;
  const keyNames = new Array<string>(keys);
  const keyOwner = new Int32Array(keys);
  const keyShared = new Uint8Array(keys);
  for (let k = 0; k < keys; k++) {
    const dev = keyDevice[k];
    keyNames[k] = (devices.channel[dev] === APP ? 'a' : 'c') + k;
    keyOwner[k] = devices.owner[dev];
    keyShared[k] = usedByOther[dev];
  }
  return { key, login, channel, keyNames, keyOwner, keyShared, signals };
}

/** session -> device, by the sticky choice described on assignIdentity. */
function chooseDevices(spec: IdentitySpec, devices: Devices, sessions: SessionTable, rng: Rng): Int32Array {
  const { personStart, sharedDevice } = devices;
  const last = new Int32Array(personStart.length - 1).fill(-1);
  const device = new Int32Array(sessions.count);
  for (let s = 0; s < sessions.count; s++) {
    const p = sessions.person[s];
    // Three draws per session whatever the branch, so each setting moves only its own decisions.
    const rShared = rng.float();
    const rSwitch = rng.float();
    const rWhich = rng.float();
    if (sharedDevice[p] >= 0 && rShared < SHARED_SESSION_SHARE) {
      device[s] = sharedDevice[p];
      continue;
    }
    const first = personStart[p];
    const n = personStart[p + 1] - first;
    let dev = last[p];
    if (dev < 0) dev = first + Math.floor(rWhich * n);
    else if (n > 1 && rSwitch < spec.switchProb) {
      const other = Math.floor(rWhich * (n - 1));
      dev = first + (other >= dev - first ? other + 1 : other);
    }
    device[s] = last[p] = dev;
  }
  return device;
}

/** Key of every session and the device behind every key, keys numbered in order of first use. */
function cookieKeys(spec: IdentitySpec, devices: Devices, device: Int32Array, sessions: SessionTable, rng: Rng): { key: Int32Array; keyDevice: Int32Array } {
  const current = new Int32Array(devices.count).fill(-1);
  const expires = new Float64Array(devices.count);
  const key = new Int32Array(sessions.count);
  let keyDevice = new Int32Array(Math.max(16, devices.count));
  let keys = 0;
  const lifetimeRate = 1 / spec.cookieLifetimeMs;
  for (let s = 0; s < sessions.count; s++) {
    const dev = device[s];
    const web = devices.channel[dev] !== APP;
    if (current[dev] < 0 || (web && sessions.end[s] > expires[dev])) {
      if (keys === keyDevice.length) keyDevice = grow(keyDevice);
      keyDevice[keys] = dev;
      current[dev] = keys++;
      if (web) {
        const life = rng.exponential(lifetimeRate);
        expires[dev] = sessions.start[s] + (devices.itp[dev] ? Math.min(life, spec.itpCapMs) : life);
      }
    }
    key[s] = current[dev];
  }
  return { key, keyDevice: keyDevice.slice(0, keys) };
}

/** session -> login (the acting person) with probability loginRate[channel], else -1. */
function drawLogins(spec: IdentitySpec, channel: Uint8Array, sessions: SessionTable, rng: Rng): Int32Array {
  const rate = [0, 0, 0];
  rate[APP] = spec.loginRate.app;
  rate[MWEB] = spec.loginRate.mweb;
  rate[DESKTOP] = spec.loginRate.desktop;
  const login = new Int32Array(sessions.count);
  for (let s = 0; s < sessions.count; s++) login[s] = rng.float() < rate[channel[s]] ? sessions.person[s] : NONE;
  return login;
}

/** One key per person (`p<index>`), always logged in as themselves, never shared. */
function unfragmented(persons: number, sessions: SessionTable, channel: Uint8Array, signals: SessionSignals): SessionIdentity {
  const keyNames = new Array<string>(persons);
  const keyOwner = new Int32Array(persons);
  for (let p = 0; p < persons; p++) {
    keyNames[p] = 'p' + p;
    keyOwner[p] = p;
  }
  const key = sessions.person.slice(0, sessions.count);
  return { key, login: key, channel, keyNames, keyOwner, keyShared: new Uint8Array(persons), signals };
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}
