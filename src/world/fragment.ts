// Fragmentation injection: give a log that knows persons but not devices the device keys, channels,
// logins and identity signals (IP, user agent, region) a fragmented identity layer would show, using the
// synthetic world's identity model on the log's own sessions. Behaviour (time, person, item, type, value,
// session) is untouched.
import { CHANNELS, NONE, intern, type EventLog } from '../log/eventLog.ts';
import type { Rng } from '../util/rng.ts';
import { assignIdentity, type SessionTable } from './sessionIdentity.ts';
import { eventSignals } from './signals.ts';
import type { IdentitySpec } from '../scenario/worldSpec.ts';

export interface FragmentReport {
  sessions: number;
  keysBefore: number;
  keysAfter: number;
  /** Events left on their original key because their person is unknown. */
  unknownPersonEvents: number;
}

/**
 * Re-key a log's sessions with the identity model of docs/method.md 2.9 (devices per person, channels,
 * cookie churn, logins, shared devices, and the signals of world/signals.ts), drawing only from `rng`
 * exactly as a synthetic world draws from its identity stream.
 *
 * Each session keeps one key, login and channel, and gets one IP, user agent and region, so `identity:
 * graph` works on the injected log; mid-session logins (signals.midSessionLogin) leave a logged-in
 * session's first events anonymous, as in a fragmented world. Events of unknown persons (or without a
 * session) keep their original key (named `orig:<key>`), no login, their channel and no signals (NONE).
 * Signals the log carried are replaced: they belonged to the devices injection replaces.
 *
 * @example
 * const { log: fragmented } = injectFragmentation(log, scenario.log.fragment, rng.fork('fragment'));
 */
export function injectFragmentation(log: EventLog, spec: IdentitySpec, rng: Rng): { log: EventLog; report: FragmentReport } {
  const n = log.length;
  // 1. Sessions of known persons: start, end, person.
  let maxSession = -1;
  for (let i = 0; i < n; i++) if (log.session[i] > maxSession) maxSession = log.session[i];
  const S = maxSession + 1;
  const start = new Float64Array(S).fill(Infinity);
  const end = new Float64Array(S).fill(-Infinity);
  const person = new Int32Array(S).fill(NONE);
  for (let i = 0; i < n; i++) {
    const s = log.session[i];
    const p = log.person[i];
    if (s < 0 || p < 0) continue;
    if (log.tsMs[i] < start[s]) start[s] = log.tsMs[i];
    if (log.tsMs[i] > end[s]) end[s] = log.tsMs[i];
    if (person[s] === NONE) person[s] = p;
  }
  // 2. The identity model walks sessions in global order (start time, ties by person).
  const order: number[] = [];
  for (let s = 0; s < S; s++) if (person[s] !== NONE) order.push(s);
  order.sort((a, b) => start[a] - start[b] || person[a] - person[b] || a - b);
  const rank = new Int32Array(S).fill(-1);
  order.forEach((s, r) => (rank[s] = r));
  const table: SessionTable = {
    count: order.length,
    start: Float64Array.from(order, (s) => start[s]),
    end: Float64Array.from(order, (s) => end[s]),
    person: Int32Array.from(order, (s) => person[s]),
  };
  const id = assignIdentity(spec, log.dict.person.length, table, rng);

  // 3. New key, login and channel columns.
  const keyDict = new Map<string, number>();
  id.keyNames.forEach((k) => intern(keyDict, k));
  const channelDict = new Map<string, number>();
  CHANNELS.forEach((c) => intern(channelDict, c));
  const key = new Int32Array(n);
  const login = new Int32Array(n);
  const channel = new Uint8Array(n);
  // Event -> its row of the session table (NONE for events left on their original key), for the signals.
  const row = new Int32Array(n);
  let unknown = 0;
  for (let i = 0; i < n; i++) {
    const s = log.session[i];
    const r = s >= 0 && log.person[i] >= 0 ? rank[s] : -1;
    if (r >= 0 && table.person[r] === log.person[i]) {
      key[i] = id.key[r];
      login[i] = id.login[r];
      channel[i] = id.channel[r];
      row[i] = r;
    } else {
      unknown++;
      key[i] = intern(keyDict, `orig:${log.dict.key[log.key[i]]}`);
      login[i] = NONE;
      channel[i] = intern(channelDict, log.dict.channel[log.channel[i]]);
      row[i] = NONE;
    }
  }
  // 4. Signals per event; mid-session logins only where keys can be anonymous (as generateWorld does).
  const sig = eventSignals(row, login, id.signals);
  const loginNames = log.dict.person.map((p) => `login:${p}`);
  return {
    log: {
      ...log,
      key,
      login: spec.fragmented ? sig.login : login,
      channel,
      signals: sig.signals,
      dict: { ...log.dict, key: [...keyDict.keys()], login: loginNames, channel: [...channelDict.keys()] },
    },
    report: { sessions: table.count, keysBefore: log.dict.key.length, keysAfter: keyDict.size, unknownPersonEvents: unknown },
  };
}
