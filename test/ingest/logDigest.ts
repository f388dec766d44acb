// A digest of everything a read gives (every column, dictionary order, identity signals, the drop report,
// warnings' inputs), and the messy files the reader golden test reads: a faster reader must give the same digest
// as the reference reader for every one of them. The files come from a seeded generator, so the digests recorded
// with the reference reader stay valid; they are written to `dir` under fixed names.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EventLog } from '../../src/log/eventLog.ts';
import type { IngestReport } from '../../src/ingest/readLog.ts';
import { Rng } from '../../src/util/rng.ts';

/**
 * Hex SHA-256 of the log and its report (the report's file by its base name, its read time left out).
 *
 * @example
 * logDigest(await readLog(spec)); // '3f0c...'
 */
export function logDigest({ log, report }: { log: EventLog; report: IngestReport }): string {
  const h = createHash('sha256');
  const { seconds: _seconds, file, ...rest } = report;
  h.update(JSON.stringify({ ...rest, file: basename(file), length: log.length, dict: log.dict }));
  const columns = [log.tsMs, log.person, log.key, log.login, log.channel, log.session, log.item, log.type, log.value];
  if (log.signals !== undefined) {
    const { dict, ...cols } = log.signals;
    h.update(JSON.stringify(dict));
    columns.push(cols.ip, cols.userAgent, cols.geo);
  }
  for (const c of columns) h.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  return h.digest('hex');
}

const T0 = Date.UTC(2024, 2, 1);
const MIN = 60_000;

/**
 * Write the messy logs to `dir`; returns their paths by name.
 *
 * @example
 * const files = writeMessyLogs(mkdtempSync(join(tmpdir(), 'messy-')));
 * files['bom-per-user-sessions.csv']; // '/tmp/messy-xyz/bom-per-user-sessions.csv'
 */
export function writeMessyLogs(dir: string): Record<string, string> {
  const rng = Rng.fromSeed(16);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
  const files: Record<string, string> = {};
  const write = (name: string, text: string) => {
    files[name] = join(dir, name);
    writeFileSync(files[name], text);
  };
  const events = ['view', 'view', 'view', 'cart', 'purchase'];
  const channels = ['app', 'web', 'desktop', 'kiosk', ''];

  // Many chunks (DuckDB hands over 2,048 rows at a time): ids recur across chunks, sessions numbered per user,
  // out-of-order rows, exact duplicates, empty sessions, logins, unknown persons, a BOM before the header.
  {
    const lines = ['\uFEFFtime,person,key,login,channel,session,item,event,value'];
    let t = T0;
    let last = '';
    for (let i = 0; i < 12_000; i++) {
      t += rng.int(40_000);
      const p = rng.int(700);
      const session = rng.float() < 0.05 ? '' : String(1 + Math.floor(i / 3000) + (p % 3));
      const row = `${rng.float() < 0.02 ? t - 3_600_000 : t},${rng.float() < 0.03 ? '' : `p${p}`},k${p * 2 + rng.int(2)},${rng.float() < 0.3 ? `u${p}` : ''},${pick(channels)},${session},i${Math.floor(rng.float() ** 2 * 900)},${pick(events)},${rng.int(3) + 1}`;
      lines.push(row);
      if (rng.float() < 0.01) lines.push(row);
      if (rng.float() < 0.005 && last !== '') lines.push(last);
      last = row;
    }
    write('bom-per-user-sessions.csv', lines.join('\n') + '\n');
  }

  // Epoch milliseconds with a few times in seconds, stray events years away at both ends, unparseable times
  // and values, missing items and keys, unknown and empty event types, a value beyond float32.
  {
    const lines = ['time,key,item,event,value'];
    lines.push(`${T0 - 5 * 365 * 1440 * MIN},k1,i1,view,1`, `${T0 - 5 * 365 * 1440 * MIN + MIN},k2,i2,view,1`);
    for (let i = 0; i < 3000; i++) {
      const t = T0 + i * 7 * MIN;
      const r = rng.float();
      const time = r < 0.01 ? String(Math.floor(t / 1000)) : r < 0.015 ? 'yesterday' : r < 0.02 ? '' : String(t);
      const value = r > 0.99 ? 'n/a' : r > 0.985 ? '1e60' : (rng.float() * 10).toFixed(2);
      const key = r > 0.97 && r < 0.975 ? '' : `k${rng.int(90)}`;
      const item = r > 0.96 && r < 0.965 ? '' : `i${rng.int(200)}`;
      const event = r > 0.95 && r < 0.955 ? 'wishlist' : r > 0.94 && r < 0.945 ? '' : pick(events);
      lines.push(`${time},${key},${item},${event},${value}`);
    }
    lines.push(`${T0 + 9 * 365 * 1440 * MIN},k3,i3,purchase,1`);
    write('mixed-units-strays.csv', lines.join('\n') + '\n');
  }

  // Seconds with milliseconds among them, semicolons, quoted fields (one with a line break), identity signals,
  // no session column (inactivity sessions), CRLF line ends.
  {
    const lines = ['ts;user;sku;action;ip;userAgent;geo'];
    for (let i = 0; i < 2500; i++) {
      const t = T0 / 1000 + i * 97;
      const time = rng.float() < 0.01 ? String(t * 1000) : String(t);
      const sku = rng.float() < 0.01 ? `"sku;${i % 5}"` : rng.float() < 0.002 ? `"sku\n${i % 3}"` : `s${rng.int(150)}`;
      lines.push(
        `${time};u${rng.int(60)};${sku};${pick(['view', 'purchase', 'cart'])};10.0.0.${rng.int(20)};${pick(['iOS/Safari', 'Android/Chrome', ''])};${pick(['r1', 'r2', ''])}`,
      );
    }
    write('seconds-signals.csv', lines.join('\r\n') + '\r\n');
  }

  // ISO times with and without zones, rows the parser rejects (wrong field count), duplicate keys on other
  // persons, and long ids (past the 12 bytes DuckDB keeps inline).
  {
    const lines = ['time,person,key,item,event'];
    for (let i = 0; i < 1500; i++) {
      const d = new Date(T0 + i * 13 * MIN).toISOString();
      const time = i % 3 === 0 ? d.replace('Z', '') : i % 3 === 1 ? d.replace('Z', '+02:00') : d;
      const person = `person-with-a-long-id-${rng.int(40)}`;
      if (rng.float() < 0.01) lines.push(`${time},${person}`);
      else lines.push(`${time},${person},device-${rng.int(80)}-of-a-long-key,item-number-${rng.int(300)},${pick(events)}`);
    }
    write('iso-long-ids.csv', lines.join('\n') + '\n');
  }
  return files;
}
