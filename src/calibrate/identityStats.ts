// Identity as a log shows it: how many keys a person's events fall on, how often a session logs in on each
// channel, and how sessions split over channels. These fit the world's devices, loginRate and channelMix
// (docs/method.md 2.9); cookie lifetimes, ITP caps and shared devices stay at their defaults.
import { CHANNELS, NONE, type EventLog } from '../log/eventLog.ts';
import { groupEvents } from '../log/groupIndex.ts';

/** Keys per person are counted 1, 2, ..., KEY_BINS, the last bin holding KEY_BINS or more. */
export const KEY_BINS = 6;
/** With channels, app keys (0, 1, 2 or more) and other keys (0, ..., KEY_BINS - 1 or more) are binned jointly. */
const APP_BINS = 3;

/**
 * The histogram bin of a person with `appKeys` keys on the app channel and `otherKeys` elsewhere. App ids never
 * churn, so with channels the app keys count app devices exactly and only web keys mix devices with cookie
 * churn: the joint bins tell a person with two devices from one with a churning browser better than a total.
 *
 * @example
 * keyBin(1, 2, true)  // 1 * 6 + 2 = 8
 * keyBin(1, 2, false) // 3 keys: bin 2
 */
export function keyBin(appKeys: number, otherKeys: number, byChannel: boolean): number {
  return byChannel ? Math.min(appKeys, APP_BINS - 1) * KEY_BINS + Math.min(otherKeys, KEY_BINS - 1) : Math.min(appKeys + otherKeys, KEY_BINS) - 1;
}

/**
 * How many bins keyBin uses.
 *
 * @example
 * keyBins(true) // 18
 */
export function keyBins(byChannel: boolean): number {
  return byChannel ? APP_BINS * KEY_BINS : KEY_BINS;
}

export interface KeyStats {
  /** Mean distinct keys per person with events. */
  mean: number;
  /** Share of persons with two or more keys. */
  multiShare: number;
  /** Shares of persons per keyBin (sums to 1): by total keys, or by app and other keys with `byChannel`. */
  histogram: number[];
}

/**
 * Distinct keys per person.
 *
 * @example
 * keyStats(log, false) // { mean: 2.1, multiShare: 0.55, histogram: [0.45, 0.3, 0.15, 0.06, 0.03, 0.01] }
 */
export function keyStats(log: EventLog, byChannel: boolean): KeyStats {
  const byPerson = groupEvents(log.person, log.dict.person.length);
  const stamp = new Int32Array(log.dict.key.length).fill(-1);
  const app = log.dict.channel.indexOf('app');
  const histogram = new Array<number>(keyBins(byChannel)).fill(0);
  let persons = 0;
  let sum = 0;
  let single = 0;
  for (let p = 0; p < byPerson.groups; p++) {
    let appKeys = 0;
    let otherKeys = 0;
    for (let j = byPerson.offsets[p]; j < byPerson.offsets[p + 1]; j++) {
      const e = byPerson.events[j];
      const k = log.key[e];
      if (stamp[k] === p) continue;
      stamp[k] = p;
      if (log.channel[e] === app) appKeys++;
      else otherKeys++;
    }
    const keys = appKeys + otherKeys;
    if (keys === 0) continue;
    persons++;
    sum += keys;
    if (keys === 1) single++;
    histogram[keyBin(appKeys, otherKeys, byChannel)]++;
  }
  return {
    mean: persons ? sum / persons : NaN,
    multiShare: persons ? (persons - single) / persons : NaN,
    histogram: histogram.map((h) => (persons ? h / persons : NaN)),
  };
}

export interface SessionChannelStats {
  /** Sessions (the log's session ids) in total. */
  sessions: number;
  /** Per canonical channel the log has: its share of sessions, and the share of its sessions with a login. */
  share: Record<string, number>;
  loginRate: Record<string, number>;
  /** Share of all sessions with a login. */
  loginRateAll: number;
}

/**
 * Channel shares and login rates per session. A session's channel is that of its first event; it counts as
 * logged in when any of its events carries a login (the world logs whole sessions in).
 *
 * @example
 * sessionChannelStats(log) // { share: { app: 0.4, mweb: 0.38, desktop: 0.22 }, loginRate: { app: 0.9, ... }, ... }
 */
export function sessionChannelStats(log: EventLog): SessionChannelStats {
  let max = -1;
  for (let i = 0; i < log.length; i++) if (log.session[i] > max) max = log.session[i];
  const channel = new Int16Array(max + 1).fill(-1);
  const login = new Uint8Array(max + 1);
  for (let i = 0; i < log.length; i++) {
    const s = log.session[i];
    if (s < 0) continue;
    if (channel[s] < 0) channel[s] = log.channel[i];
    if (log.login[i] !== NONE) login[s] = 1;
  }
  const nChannels = log.dict.channel.length;
  const sessionsOf = new Float64Array(nChannels);
  const loginsOf = new Float64Array(nChannels);
  let sessions = 0;
  let logins = 0;
  for (let s = 0; s <= max; s++) {
    if (channel[s] < 0) continue;
    sessions++;
    logins += login[s];
    sessionsOf[channel[s]]++;
    loginsOf[channel[s]] += login[s];
  }
  const share: Record<string, number> = {};
  const loginRate: Record<string, number> = {};
  log.dict.channel.forEach((name, c) => {
    if (!(CHANNELS as readonly string[]).includes(name) || sessionsOf[c] === 0) return;
    share[name] = sessionsOf[c] / sessions;
    loginRate[name] = loginsOf[c] / sessionsOf[c];
  });
  return { sessions, share, loginRate, loginRateAll: sessions ? logins / sessions : NaN };
}
