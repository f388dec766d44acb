import { describe, expect, it } from 'vitest';
import { COMPARISON_FIELDS, KeyComparer, KeyRows, PATTERNS, patternLevel, patternOf } from '../../src/identity/compare.ts';
import { D, H, MIN, signalLog, type SignalRow } from './fixtures.ts';

const levelNames = (p: number) => Object.fromEntries(COMPARISON_FIELDS.map((f, i) => [f.name, f.levels[patternLevel(p, i)] ?? 'missing']));

function comparer(rows: SignalRow[], crowded: string[] = []) {
  const log = signalLog(rows);
  const keyRows = new KeyRows(log);
  for (let i = 0; i < log.length; i++) keyRows.append(i);
  const crowdedIp = new Uint8Array(log.signals!.dict.ip.length);
  for (const ip of crowded) crowdedIp[log.signals!.dict.ip.indexOf(ip)] = 1;
  const cmp = new KeyComparer(log, keyRows, crowdedIp);
  const key = (k: string) => log.dict.key.indexOf(k);
  return (a: string, b: string) => {
    cmp.load(key(a));
    const p = cmp.compare(key(b));
    return { ...levelNames(p), conflict: cmp.conflict };
  };
}

describe('pattern codes', () => {
  it('round-trip per-field levels', () => {
    for (const p of [0, 1, 77, PATTERNS - 1]) expect(patternOf(COMPARISON_FIELDS.map((_, f) => patternLevel(p, f)))).toBe(p);
  });
});

describe('KeyComparer', () => {
  // c1 then c2: one browser whose cookie churned (same user agent, same home IP, sequential, shared items).
  // a1: the same person's app, interleaved with both. n1: a stranger on the carrier-NAT IP at the same minute as c2.
  const rows: SignalRow[] = [
    { t: 0, key: 'c1', item: 'i1', ip: 'home', ua: 'iOS/Safari/17', geo: 'r0' },
    { t: 1 * D, key: 'c1', item: 'i2', ip: 'home', ua: 'iOS/Safari/17', geo: 'r0' },
    { t: 3 * D, key: 'c2', item: 'i1', ip: 'home', ua: 'iOS/Safari/17', geo: 'r0' },
    { t: 3 * D + MIN, key: 'c2', item: 'i2', ip: 'nat', ua: 'iOS/Safari/17', geo: 'r0' },
    { t: 2 * D, key: 'a1', item: 'i3', ip: 'nat', ua: 'iOS/App/5', geo: 'r0', login: 'u1' },
    { t: 4 * D, key: 'a1', item: 'i1', ip: 'home', ua: 'iOS/App/5', geo: 'r0', login: 'u1' },
    { t: 3 * D + 2 * MIN, key: 'n1', item: 'i9', ip: 'nat', ua: 'Android/Chrome/121', geo: 'r1', login: 'u2' },
    { t: 40 * D, key: 'old', item: 'i5', ua: 'iOS/Safari/17' },
  ];
  const cmp = comparer(rows, ['nat']);

  it('sees a churned cookie as same user agent, sequential, sharing an IP and items', () => {
    expect(cmp('c1', 'c2')).toEqual({ ip: 'one', device: 'same/sequential', geo: 'same', items: 'some', conflict: false });
  });

  it('is symmetric', () => {
    expect(cmp('c2', 'c1')).toEqual(cmp('c1', 'c2'));
    expect(cmp('a1', 'c2')).toEqual(cmp('c2', 'a1'));
  });

  it('sees the app as the same OS family, interleaved, one uncrowded IP (the crowded one does not count)', () => {
    expect(cmp('c2', 'a1')).toEqual({ ip: 'one', device: 'family/interleaved', geo: 'same', items: 'one', conflict: false });
  });

  it('marks events of two keys within 10 minutes as concurrent, and different logins as a conflict', () => {
    expect(cmp('c2', 'n1')).toEqual({ ip: 'crowded', device: 'differs/concurrent', geo: 'differs', items: 'none', conflict: false });
    expect(cmp('a1', 'n1')).toMatchObject({ ip: 'crowded', conflict: true });
  });

  it('calls activity spans more than 14 days apart far, and a key without an IP missing', () => {
    expect(cmp('c1', 'old')).toEqual({ ip: 'missing', device: 'same/far', geo: 'missing', items: 'none', conflict: false });
  });

  it('counts 2-3 and 4+ shared items, and several shared uncrowded IPs', () => {
    const many = comparer([
      ...['i1', 'i2', 'i3', 'i4'].map((item, j) => ({ t: j * H, key: 'x', item, ip: `ip${j % 2}` })),
      ...['i1', 'i2', 'i3', 'i4', 'i4'].map((item, j) => ({ t: 10 * D + j * H, key: 'y', item, ip: `ip${j % 2}` })),
    ]);
    expect(many('x', 'y')).toMatchObject({ ip: 'several', items: 'many', device: 'unknown/sequential' });
  });
});
