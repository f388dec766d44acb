// Bad inputs, each with its exact message; bad rows counted by reason with their physical line numbers;
// strict mode failing on the first bad row with FILE:LINE.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { ingestMsg } from '../../src/ingest/messages.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import type { DataSpec } from '../../src/scenario/types.ts';
import { dataSpec, FIXTURES } from './helpers.ts';

const CANONICAL_HEADER = ['time', 'person', 'key', 'login', 'channel', 'session', 'item', 'event', 'value'];

describe('unreadable inputs', () => {
  const cases: Array<[string, DataSpec, string]> = [
    ['missing file', dataSpec('nope.csv', 'csv'), ingestMsg.fileNotFound(FIXTURES + 'nope.csv')],
    ['a folder', dataSpec('otto', 'csv'), ingestMsg.notAFile(FIXTURES + 'otto')],
    ['empty file', dataSpec('empty.csv', 'csv'), ingestMsg.emptyFile(FIXTURES + 'empty.csv')],
    ['header only', dataSpec('header-only.csv', 'csv'), ingestMsg.noDataRows(FIXTURES + 'header-only.csv')],
    [
      'mapped column missing',
      dataSpec('canonical.csv', 'csv', { columns: { item: 'sku' } }),
      ingestMsg.mappedColumnMissing(FIXTURES + 'canonical.csv', 'item', 'sku', CANONICAL_HEADER),
    ],
    ['unmapped item missing', dataSpec('no-item.csv', 'csv'), ingestMsg.fieldMissing(FIXTURES + 'no-item.csv', 'item', ['time', 'person', 'key', 'event'])],
    [
      'no key or person',
      dataSpec('no-item.csv', 'csv', { columns: { item: 'event', person: 'nobody' } }),
      ingestMsg.mappedColumnMissing(FIXTURES + 'no-item.csv', 'person', 'nobody', ['time', 'person', 'key', 'event']),
    ],
    [
      'wrong delimiter',
      dataSpec('semicolon.csv', 'csv', { delimiter: ',' }),
      ingestMsg.singleColumn(FIXTURES + 'semicolon.csv', 'time;person;key;item;event', ',', ';'),
    ],
    [
      'time unit for numbers on a timestamp column',
      dataSpec('canonical.parquet', 'parquet', { timeUnit: 's' }),
      ingestMsg.timeUnitOnTimestamp(FIXTURES + 'canonical.parquet', 'time', 'TIMESTAMP', 's'),
    ],
    ['every row bad', dataSpec('times-iso.csv', 'csv', { timeUnit: 'ms' }), ingestMsg.nothingLoaded(FIXTURES + 'times-iso.csv', 3, 'unparseable time', 3, 2)],
    ['not a Parquet file', dataSpec('canonical.csv', 'parquet'), 'cannot read as parquet: No magic bytes'],
    ['not an Arrow file', dataSpec('canonical.csv', 'arrow'), 'cannot read as arrow'],
    ['malformed JSON', dataSpec('canonical.csv', 'jsonl'), ingestMsg.malformedJson(FIXTURES + 'canonical.csv', 1, 'invalid literal')],
  ];
  it.each(cases)('%s', async (_, spec, message) => {
    const error = await readLog(spec).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    if (message.startsWith('/')) expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toContain(message);
  });

  it('the same checks name the file for adapters', async () => {
    await expect(readLog(dataSpec('canonical.csv', 'retailrocket'))).rejects.toThrow(
      ingestMsg.adapterHeader(FIXTURES + 'canonical.csv', 'retailrocket', 'columns timestamp, visitorid, event, itemid', CANONICAL_HEADER.join(',')),
    );
    await expect(readLog(dataSpec('canonical.csv', 'taobao'))).rejects.toThrow(
      ingestMsg.adapterHeader(
        FIXTURES + 'canonical.csv',
        'taobao',
        'user_id,item_id,category_id,behavior_type,timestamp without a header',
        CANONICAL_HEADER.join(','),
      ),
    );
  });
});

describe('bad rows', () => {
  const eventMap = { view: 'view', purchase: 'purchase' };

  it('are counted by reason with their first physical lines (blank lines and quoted line breaks included)', async () => {
    const { log, report } = await readLog(dataSpec('bad.csv', 'csv', { eventMap }));
    expect(report.rows).toBe(11);
    expect(report.loaded).toBe(3);
    expect(log.length).toBe(3);
    expect(log.dict.item).toEqual(['i1', 'i2\ncontinued', 'i4']);
    expect(report.dropped).toEqual([
      { reason: 'unknown event type "teleport"', count: 2, firstLines: [9, 12] },
      { reason: 'unparseable time', count: 2, firstLines: [3, 14] },
      { reason: 'missing item', count: 1, firstLines: [5] },
      { reason: 'missing key and person', count: 1, firstLines: [8] },
      { reason: 'missing time', count: 1, firstLines: [11] },
      { reason: 'too many fields', count: 1, firstLines: [10] },
    ]);
  });

  it('list at most five lines per reason', async () => {
    const { report } = await readLog(dataSpec('canonical.csv', 'csv', { eventMap: { purchase: 'purchase' } }));
    expect(report.dropped).toEqual(
      [
        { reason: 'unknown event type "view"', count: 2, firstLines: [2, 3] },
        { reason: 'unknown event type "cart"', count: 2, firstLines: [4, 6] },
      ].sort((a, b) => (a.reason < b.reason ? -1 : 1)),
    );
  });

  it('count records (not lines) for Parquet', async () => {
    const { report } = await readLog(dataSpec('canonical.parquet', 'parquet', { eventMap: { view: 'view' } }));
    expect(report.dropped).toEqual([
      { reason: 'unknown event type "cart"', count: 2, firstLines: [3, 5] },
      { reason: 'unknown event type "purchase"', count: 1, firstLines: [4] },
    ]);
  });

  it('count JSON lines, blank lines included', async () => {
    const { report } = await readLog(dataSpec('canonical.jsonl', 'jsonl', { eventMap: { view: 'view', purchase: 'purchase' } }));
    expect(report.dropped).toEqual([{ reason: 'unknown event type "cart"', count: 2, firstLines: [4, 6] }]);
  });

  const strict: Array<[string, DataSpec, string]> = [
    [
      'unparseable time',
      dataSpec('bad.csv', 'csv', { eventMap, strict: true }),
      ingestMsg.badRow(FIXTURES + 'bad.csv', 3, 'unparseable time', 'time', 'notatime'),
    ],
    [
      'unknown event type',
      dataSpec('mapped.csv', 'csv', {
        columns: { time: 'ts', person: 'user', item: 'sku', event: 'action' },
        eventMap: { click: 'view', buy: 'purchase' },
        strict: true,
      }),
      ingestMsg.badRow(FIXTURES + 'mapped.csv', 6, 'unknown event type "wishlist"', 'action', 'wishlist'),
    ],
    [
      'adapter reason',
      dataSpec('online-retail/online_retail.csv', 'online-retail', { strict: true }),
      ingestMsg.badRow(FIXTURES + 'online-retail/online_retail.csv', 4, 'cancelled invoice (InvoiceNo starts with C)', 'InvoiceNo', 'C536379'),
    ],
    [
      'malformed row before any other bad row',
      dataSpec('bad.csv', 'csv', { eventMap, strict: true, columns: { time: 'person' }, timeUnit: 'iso' }),
      ingestMsg.badRow(FIXTURES + 'bad.csv', 2, 'unparseable time', 'person', 'p1'),
    ],
  ];
  it.each(strict)('strict mode stops at the first bad row: %s', async (_, spec, message) => {
    await expect(readLog(spec)).rejects.toThrow(new InputError(message));
  });
});
