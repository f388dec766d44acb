// Sessions belong to a key: a log numbering sessions per user (1, 2, 3 for every user) reads to the same sessions,
// and so the same requests, as one with globally unique session ids; empty session fields still get inactivity
// sessions, after the pairs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRequests } from '../../src/eval/requests.ts';
import { sessionsPerKey } from '../../src/ingest/keySessions.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import { NONE, type EventLog } from '../../src/log/eventLog.ts';
import { Rng } from '../../src/util/rng.ts';
import { dataSpec, MIN } from './helpers.ts';

const DAY = 1440 * MIN;
const T0 = Date.UTC(2024, 0, 1);

function tmpFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'recgap-sessions-')), name);
  writeFileSync(file, text);
  return file;
}

/** 50 persons x 20 sessions, a view and a purchase 1 minute apart; person p's session j starts at day j + p minutes. */
function personsBySessions(sessionId: (p: number, j: number) => string): string {
  const lines = ['time,person,item,event,session'];
  for (let j = 0; j < 20; j++) {
    for (let p = 0; p < 50; p++) {
      const t = T0 + j * DAY + p * MIN;
      lines.push(`${t},p${p},i${(p + j) % 7},view,${sessionId(p, j)}`, `${t + MIN},p${p},i${(p + j) % 7},purchase,${sessionId(p, j)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function requestsOf(log: EventLog) {
  const isPositive = new Uint8Array(256);
  isPositive[log.dict.type.indexOf('purchase')] = 1;
  const r = buildRequests(log, { untilMs: T0, windowMs: 60 * MIN, isPositive, excludeSeen: 'none' });
  return { counts: r.counts, tsMs: Array.from(r.tsMs), keys: Array.from(r.key, (k) => log.dict.key[k]), sessions: Array.from(r.session) };
}

describe('sessions per key', () => {
  it('numbers (key, session) pairs densely in order of first appearance', () => {
    const session = Int32Array.from([0, 0, NONE, 1, 0, 1]);
    const key = Int32Array.from([0, 1, 0, 0, 0, 1]);
    expect(sessionsPerKey(session, key, 2)).toBe(4);
    expect(Array.from(session)).toEqual([0, 1, NONE, 2, 0, 3]);
  });

  it('equals a plain map of (key, session) pairs on random columns, shared values or not', () => {
    // The reference: one Map from the pair to its id, in time order.
    const reference = (session: Int32Array, key: Int32Array): number[] => {
      const ids = new Map<string, number>();
      return Array.from(session, (s, i) => {
        if (s === NONE) return NONE;
        const pair = `${key[i]}/${s}`;
        if (!ids.has(pair)) ids.set(pair, ids.size);
        return ids.get(pair)!;
      });
    };
    const rng = Rng.fromSeed(7);
    // Values per key (unique ids, one pass), per user numbering (shared values), and values across keys.
    const shapes: Array<(i: number, k: number) => number> = [(i, k) => k * 5 + (i % 5), (i) => i % 4, (i) => Math.floor(i / 8)];
    for (const [shape, sessionOf] of shapes.entries()) {
      for (const keys of [1, 3, 40]) {
        const n = 500;
        const key = Int32Array.from({ length: n }, () => rng.int(keys));
        const raw = Int32Array.from({ length: n }, (_, i) => (rng.float() < 0.1 ? NONE : sessionOf(i, key[i])));
        // File session ids are dense from 0 in order of first appearance, as the reader gives them.
        const dense = new Map<number, number>();
        const session = raw.map((v) => (v === NONE ? NONE : (dense.get(v) ?? (dense.set(v, dense.size), dense.size - 1))));
        const expected = reference(session, key);
        const pairs = sessionsPerKey(session, key, keys);
        expect(Array.from(session), `shape ${shape}, ${keys} keys`).toEqual(expected);
        expect(pairs).toBe(new Set(expected.filter((s) => s !== NONE)).size);
      }
    }
  });

  it('gives the same requests for per-user session numbers as for globally unique ids', async () => {
    const perUser = await readLog(
      dataSpec(
        tmpFile(
          'per-user.csv',
          personsBySessions((_p, j) => String(j + 1)),
        ),
        'csv',
      ),
    );
    const unique = await readLog(
      dataSpec(
        tmpFile(
          'unique.csv',
          personsBySessions((p, j) => `s${p * 20 + j}`),
        ),
        'csv',
      ),
    );
    expect(perUser.log.length).toBe(2000);
    expect(Array.from(perUser.log.session)).toEqual(Array.from(unique.log.session));
    const a = requestsOf(perUser.log);
    // 1,000 sessions start after the split; the 50 of the last day end within the 1-hour window of the log's end.
    expect(a.counts).toEqual({ candidates: 1000, censored: 50, noLabels: 0, requests: 950, persons: 50 });
    expect(a.tsMs.slice(0, 2)).toEqual([T0, T0 + MIN]);
    expect(a.keys.slice(0, 2)).toEqual(['p0', 'p1']);
    expect(new Set(a.sessions).size).toBe(950);
    expect(requestsOf(unique.log)).toEqual(a);
  });

  it('gives empty session fields inactivity sessions after the pairs, cut per key', async () => {
    const file = tmpFile(
      'mixed.csv',
      [
        'time,key,item,event,session',
        `${T0},a,i1,view,1`,
        `${T0 + MIN},b,i1,view,1`,
        `${T0 + 2 * MIN},a,i2,view,`,
        `${T0 + 5 * MIN},a,i3,view,1`,
        `${T0 + 60 * MIN},a,i1,view,`,
        `${T0 + 61 * MIN},b,i2,view,`,
      ].join('\n') + '\n',
    );
    const { log, report } = await readLog(dataSpec(file, 'csv'));
    // a/1 -> 0, b/1 -> 1; empty fields: a at 2 min -> 2, a at 60 min (58 min later) -> 3, b at 61 min -> 4.
    expect(Array.from(log.session)).toEqual([0, 1, 2, 0, 3, 4]);
    expect(report.emptySessionEvents).toBe(3);
  });
});
