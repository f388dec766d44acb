// Write an EventLog as CSV with the canonical header (time,person,key,login,channel,session,item,event,value,
// then ip,userAgent,geo when the log carries identity signals), streamed in chunks so a 10M-event log never
// becomes one giant string. Every column maps itself when the file is read back.
import { openSync, writeSync, closeSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EventLog } from './eventLog.ts';
import { csvField } from './csv.ts';

export const CANONICAL_HEADER = ['time', 'person', 'key', 'login', 'channel', 'session', 'item', 'event', 'value'] as const;
/** Columns appended for a log with identity signals (empty where an event has none). */
export const SIGNAL_HEADER = ['ip', 'userAgent', 'geo'] as const;

/**
 * Write the log to `file` (via a temporary file renamed into place when complete).
 *
 * @example
 * writeLogCsv(world.log, 'data/quickstart.csv');
 */
export function writeLogCsv(log: EventLog, file: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    const d = log.dict;
    const q = (arr: readonly string[]) => arr.map(csvField);
    const person = q(d.person);
    const key = q(d.key);
    const login = q(d.login);
    const item = q(d.item);
    const channel = q(d.channel);
    const type = q(d.type);
    const sig = log.signals;
    // One pre-quoted dictionary per signal, and the per-event tail ",ip,userAgent,geo" ('' without signals).
    const sd = sig ? { ip: q(sig.dict.ip), userAgent: q(sig.dict.userAgent), geo: q(sig.dict.geo) } : null;
    const at = (names: string[], id: number) => (id >= 0 ? names[id] : '');
    const tail = sig && sd ? (i: number) => `,${at(sd.ip, sig.ip[i])},${at(sd.userAgent, sig.userAgent[i])},${at(sd.geo, sig.geo[i])}` : () => '';
    writeSync(fd, [...CANONICAL_HEADER, ...(sig ? SIGNAL_HEADER : [])].join(',') + '\n');
    const CHUNK = 50_000;
    for (let c0 = 0; c0 < log.length; c0 += CHUNK) {
      let s = '';
      const c1 = Math.min(log.length, c0 + CHUNK);
      for (let i = c0; i < c1; i++) {
        const p = log.person[i];
        const l = log.login[i];
        s += `${log.tsMs[i]},${p >= 0 ? person[p] : ''},${key[log.key[i]]},${l >= 0 ? login[l] : ''},${channel[log.channel[i]]},${log.session[i] >= 0 ? log.session[i] : ''},${item[log.item[i]]},${type[log.type[i]]},${+log.value[i].toPrecision(7)}${tail(i)}\n`;
      }
      writeSync(fd, s);
    }
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}
