// Identity signal columns (ip, userAgent, geo) in real logs: mapped through data.columns or by name, they
// become EventLog.signals (NONE where a row has none), and a generated world round-trips through CSV with them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { ingestMsg } from '../../src/ingest/messages.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import { NONE, type EventLog } from '../../src/log/eventLog.ts';
import { writeLogCsv } from '../../src/log/writeCsv.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { Rng } from '../../src/util/rng.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { DEFAULT_WORLD } from '../../src/scenario/worldSpec.ts';
import { buildViewIndexes } from '../../src/pipeline/servedView.ts';
import { resolutionQuality } from '../../src/pipeline/resolutionQuality.ts';
import { DEFAULT_GRAPH } from '../../src/scenario/resolverOptions.ts';
import { dataSpec, FIXTURES } from './helpers.ts';

const MAPPED = { time: 'ts', person: 'user', key: 'device', item: 'sku', event: 'action', ip: 'client_ip', userAgent: 'ua' };

/** Every event's signals as strings (null when absent), in log order. */
function signalStrings(log: EventLog): Array<[string | null, string | null, string | null]> {
  const s = log.signals!;
  const at = (names: readonly string[], id: number) => (id === NONE ? null : names[id]);
  return Array.from({ length: log.length }, (_, i) => [at(s.dict.ip, s.ip[i]), at(s.dict.userAgent, s.userAgent[i]), at(s.dict.geo, s.geo[i])]);
}

function tmpFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'recgap-signals-')), name);
  writeFileSync(file, text);
  return file;
}

describe('identity signal columns in a log', () => {
  it('maps ip and userAgent through data.columns; rows without a value get NONE; rows sorted with their signals', async () => {
    const { log } = await readLog(dataSpec('signals.csv', 'csv', { columns: MAPPED }));
    // Sorted by time: alice/d2, bob/d3, alice/d1, bob/d3; dictionaries in order of first appearance in the file.
    expect(Array.from(log.tsMs)).toEqual([1700000000000, 1700000060000, 1700000120000, 1700000180000]);
    expect(log.signals!.dict).toEqual({ ip: ['10.0.0.1', '100.64.0.9'], userAgent: ['iOS/Safari/17', 'Windows/Chrome/121', 'Android/Chrome/121'], geo: [] });
    expect(Array.from(log.signals!.ip)).toEqual([0, NONE, 0, 1]);
    expect(Array.from(log.signals!.userAgent)).toEqual([1, 2, 0, NONE]);
    expect(Array.from(log.signals!.geo)).toEqual([NONE, NONE, NONE, NONE]);
    expect(log.dict.key.map((k, i) => [k, log.key.indexOf(i)])).toEqual([
      ['d1', 2],
      ['d2', 0],
      ['d3', 1],
    ]);
  });

  it('maps canonical signal names by themselves, ignoring case', async () => {
    const file = tmpFile('log.csv', 'time,key,item,IP,UserAgent,Geo\n2,k1,a,1.2.3.4,UA,r1\n1,k2,b,,,\n');
    const { log } = await readLog(dataSpec(file, 'csv'));
    expect(signalStrings(log)).toEqual([
      [null, null, null],
      ['1.2.3.4', 'UA', 'r1'],
    ]);
  });

  it('gives a log without signal columns no signals', async () => {
    const { log } = await readLog(dataSpec('canonical.csv', 'csv'));
    expect(log.signals).toBeUndefined();
  });

  it('names a mapped signal column the file lacks, in one line', async () => {
    const spec = dataSpec('signals.csv', 'csv', { columns: { ...MAPPED, geo: 'region' } });
    await expect(readLog(spec)).rejects.toThrow(InputError);
    await expect(readLog(spec)).rejects.toThrow(
      ingestMsg.mappedColumnMissing(FIXTURES + 'signals.csv', 'geo', 'region', ['ts', 'user', 'device', 'sku', 'action', 'client_ip', 'ua']),
    );
  });

  it("accepts signal columns in a scenario's data.columns, and rejects misspelt ones", () => {
    const yaml = (columns: string) =>
      [
        'name: s',
        `data: { path: ${FIXTURES}signals.csv, columns: ${columns} }`,
        'models: [ { name: pop, type: popularity } ]',
        'pipelines: [ { name: g, refresh: 1d, identity: graph } ]',
      ].join('\n');
    expect(parseScenario(yaml('{ ip: client_ip, userAgent: ua, geo: region }'), 's.yaml').log!.data.columns).toEqual({
      ip: 'client_ip',
      userAgent: 'ua',
      geo: 'region',
    });
    expect(() => parseScenario(yaml('{ userAgnet: ua }'), 's.yaml')).toThrow(/unknown key "userAgnet" in data\.columns; did you mean "userAgent"\?/);
  });
});

describe('round trip of a world with signals through the canonical CSV', () => {
  const world = generateWorld({ ...DEFAULT_WORLD, persons: 300, items: 200, categories: 8, days: 28 }, Rng.fromSeed(3));
  const file = join(mkdtempSync(join(tmpdir(), 'recgap-signals-')), 'world.csv');
  writeLogCsv(world.log, file);

  it("keeps every event's IP, user agent and region", async () => {
    const { log } = await readLog(dataSpec(file, 'csv'));
    expect(log.length).toBe(world.log.length);
    expect(signalStrings(log)).toEqual(signalStrings(world.log));
    expect(new Set(log.signals!.dict.ip)).toEqual(new Set(world.log.signals!.dict.ip.filter((_, i) => world.log.signals!.ip.includes(i))));
  });

  it('resolves the read log with identity: graph as it resolves the world', async () => {
    const { log } = await readLog(dataSpec(file, 'csv'));
    const D = 86_400_000;
    const config = {
      refresh: { kind: 'batch' as const, cadenceMs: D },
      latencyMs: 3_600_000,
      identity: 'graph' as const,
      channels: null,
      originMs: Math.floor(world.log.tsMs[0] / D) * D,
      retrainMs: null,
      graph: DEFAULT_GRAPH,
    };
    // Requests at the first event of every 50th key after day 14 (same events in both logs: same order).
    const from = world.log.tsMs[0] + 14 * D;
    const picks: number[] = [];
    for (let e = 0; e < world.log.length; e += 50) if (world.log.tsMs[e] >= from) picks.push(e);
    const requests = (l: EventLog) => ({
      length: picks.length,
      tsMs: Float64Array.from(picks, (e) => l.tsMs[e]),
      key: Int32Array.from(picks, (e) => l.key[e]),
      person: Int32Array.from(picks, (e) => l.person[e]),
    });
    const a = resolutionQuality(world.log, config, requests(world.log), buildViewIndexes(world.log, null));
    const b = resolutionQuality(log, config, requests(log), buildViewIndexes(log, null));
    expect(a.pairwiseRecall).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });
});
