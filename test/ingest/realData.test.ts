// The public logs in ../shared/datasets (not part of the repository): checked when the folder is there,
// skipped with a visible name otherwise (a fresh clone has no ../shared).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/readLog.ts';
import { ONLINE_RETAIL_DROPS } from '../../src/ingest/adapters/onlineRetail.ts';
import { dataSpec } from './helpers.ts';

const DATASETS = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const missing = !existsSync(DATASETS);
const skipNote = missing ? ' (SKIPPED: ../shared/datasets is absent)' : '';

describe('real logs in ../shared/datasets', () => {
  it.skipIf(missing)(
    `online-retail: 541,909 rows, cancellations, non-sales and repeated lines dropped and counted, guests kept with unknown person${skipNote}`,
    async () => {
      const { log, report } = await readLog(dataSpec(DATASETS + 'online-retail/online_retail.csv.gz', 'online-retail'));
      expect(report.rows).toBe(541_909);
      // Duplicates: sales lines identical in customer (or guest invoice), time, item and value to an earlier line.
      expect(report.dropped).toEqual([
        { reason: ONLINE_RETAIL_DROPS.cancellation, count: 9_288, firstLines: [143, 156, 237, 238, 239] },
        { reason: 'duplicate event', count: 5_277, firstLines: [519, 529, 539, 541, 557] },
        { reason: ONLINE_RETAIL_DROPS.nonPositive, count: 1_336, firstLines: [2408, 4349, 7190, 7191, 7192] },
        { reason: ONLINE_RETAIL_DROPS.adjustment, count: 3, firstLines: [299_984, 299_985, 299_986] },
      ]);
      expect(report.loaded).toBe(541_909 - 9_288 - 5_277 - 1_336 - 3);
      expect(log.length).toBe(526_005);
      expect(report.outOfOrder).toBe(0);
      // The 135,080 rows without CustomerID: 383 are cancellations, 1,336 stock corrections, 3 adjustments, 43 repeats.
      expect(report.anonymousEvents).toBe(135_080 - 383 - 1_336 - 3 - 43);
      expect(report.personsKnown).toBe('some');
      expect(report.timeUnit).toBe('iso');
      expect(log.dict.person.length).toBe(4_339); // of 4,372 customers, 33 only ever cancelled
      expect(log.dict.key.length - log.dict.person.length).toBe(2_189); // one guest key per guest invoice
      expect(log.dict.item.length).toBe(3_940);
      expect(log.tsMs[0]).toBe(Date.UTC(2010, 11, 1, 8, 26));
      expect(log.tsMs[log.length - 1]).toBe(Date.UTC(2011, 11, 9, 12, 50));
    },
  );

  it.skipIf(missing)(`otto-sample: 862 events of 20 sessions over 510 items${skipNote}`, async () => {
    const { log, report } = await readLog(dataSpec(DATASETS + 'otto-sample/train.jsonl', 'otto'));
    expect(report).toMatchObject({ rows: 862, loaded: 862, dropped: [], personsKnown: 'all', timeUnit: 'ms' });
    expect(log.dict.person.length).toBe(20);
    expect(log.dict.item.length).toBe(510);
    expect(log.dict.type).toEqual(['view', 'cart', 'purchase']);
    for (let i = 1; i < log.length; i++) expect(log.tsMs[i]).toBeGreaterThanOrEqual(log.tsMs[i - 1]);
  });
});
