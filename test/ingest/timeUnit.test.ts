// Time detection: ISO 8601 (UTC when no zone), epoch seconds, epoch milliseconds, and explicit overrides.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { ingestMsg } from '../../src/ingest/messages.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import { dataSpec, FIXTURES } from './helpers.ts';

const T = 1_700_000_000_000;

describe('time units', () => {
  const auto: Array<[string, 'iso' | 's' | 'ms', number[]]> = [
    ['times-iso.csv', 'iso', [T, T + 1500, Date.UTC(2023, 10, 15)]],
    ['times-s.csv', 's', [T, T + 1500]],
    ['times-ms.csv', 'ms', [T, T + 1500]],
  ];
  it.each(auto)('auto detects %s as %s', async (file, unit, times) => {
    const { log, report } = await readLog(dataSpec(file, 'csv'));
    expect(report.timeUnit).toBe(unit);
    expect([...log.tsMs]).toEqual(times);
  });

  const overrides: Array<[string, 'iso' | 's' | 'ms', number[]]> = [
    ['times-s.csv', 'ms', [1_700_000_000, 1_700_000_001.5]],
    ['times-iso.csv', 'iso', [T, T + 1500, Date.UTC(2023, 10, 15)]],
  ];
  it.each(overrides)('%s read as %s when told', async (file, unit, times) => {
    const { log, report } = await readLog(dataSpec(file, 'csv', { timeUnit: unit }));
    expect(report.timeUnit).toBe(unit);
    expect([...log.tsMs]).toEqual(times);
  });

  it('milliseconds read as seconds fall after 2100: every row is out of range', async () => {
    await expect(readLog(dataSpec('times-ms.csv', 'csv', { timeUnit: 's' }))).rejects.toThrow(
      new InputError(ingestMsg.nothingLoaded(FIXTURES + 'times-ms.csv', 2, 'time out of range', 2, 2)),
    );
  });

  it('zones in ISO text are honoured, text without a zone is UTC', async () => {
    const { log } = await readLog(dataSpec('mapped.csv', 'csv', { columns: { time: 'ts', person: 'user', item: 'sku', event: 'action' } }));
    // bob's 00:05+01:00 is 23:05Z the day before; '2024-01-01 00:20:00' is 00:20Z.
    expect([...log.tsMs]).toEqual([
      Date.UTC(2023, 11, 31, 23, 5),
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 0, 1, 0, 10),
      Date.UTC(2024, 0, 1, 0, 20),
      Date.UTC(2024, 0, 1, 1),
    ]);
  });
});
