// The reads of the reader golden test: the messy generated logs and every ingest fixture, each with its spec.
import type { DataSpec } from '../../src/scenario/types.ts';
import { dataSpec } from './helpers.ts';
import { writeMessyLogs } from './logDigest.ts';

/**
 * Specs by case name; the messy logs are written to `dir`.
 *
 * @example
 * const cases = goldenCases(mkdtempSync(join(tmpdir(), 'golden-')));
 * await readLog(cases['canonical.csv']);
 */
export function goldenCases(dir: string): Record<string, DataSpec> {
  const messy = writeMessyLogs(dir);
  return {
    'bom-per-user-sessions.csv': dataSpec(messy['bom-per-user-sessions.csv'], 'csv'),
    'mixed-units-strays.csv': dataSpec(messy['mixed-units-strays.csv'], 'csv'),
    'seconds-signals.csv': dataSpec(messy['seconds-signals.csv'], 'csv', { columns: { time: 'ts', key: 'user', item: 'sku', event: 'action' } }),
    'iso-long-ids.csv': dataSpec(messy['iso-long-ids.csv'], 'csv'),
    'canonical.csv': dataSpec('canonical.csv', 'csv'),
    'canonical.csv.gz': dataSpec('canonical.csv.gz', 'csv'),
    'canonical.jsonl': dataSpec('canonical.jsonl', 'jsonl'),
    'canonical.jsonl.gz': dataSpec('canonical.jsonl.gz', 'jsonl'),
    'canonical.parquet': dataSpec('canonical.parquet', 'parquet'),
    'canonical.arrow': dataSpec('canonical.arrow', 'arrow'),
    'bad.csv': dataSpec('bad.csv', 'csv', { eventMap: { view: 'view', purchase: 'purchase' } }),
    'mapped.csv': dataSpec('mapped.csv', 'csv', {
      columns: { time: 'ts', person: 'user', item: 'sku', event: 'action' },
      eventMap: { click: 'view', buy: 'purchase' },
    }),
    'key-only.csv': dataSpec('key-only.csv', 'csv'),
    'semicolon.csv': dataSpec('semicolon.csv', 'csv'),
    'signals.csv': dataSpec('signals.csv', 'csv', {
      columns: { time: 'ts', person: 'user', key: 'device', item: 'sku', event: 'action', ip: 'client_ip', userAgent: 'ua' },
    }),
    'times-iso.csv': dataSpec('times-iso.csv', 'csv'),
    'times-ms.csv': dataSpec('times-ms.csv', 'csv'),
    'times-s.csv': dataSpec('times-s.csv', 'csv'),
    'movielens/u.data': dataSpec('movielens/u.data', 'movielens'),
    'movielens/ratings.dat': dataSpec('movielens/ratings.dat', 'movielens'),
    'movielens/ratings.csv': dataSpec('movielens/ratings.csv', 'movielens'),
    'retailrocket/events.csv': dataSpec('retailrocket/events.csv', 'retailrocket'),
    'diginetica/train-item-views.csv': dataSpec('diginetica/train-item-views.csv', 'diginetica'),
    'diginetica/train-purchases.csv': dataSpec('diginetica/train-purchases.csv', 'diginetica'),
    'online-retail/online_retail.csv': dataSpec('online-retail/online_retail.csv', 'online-retail'),
    'online-retail/online_retail.csv.gz': dataSpec('online-retail/online_retail.csv.gz', 'online-retail'),
    'otto/train.jsonl': dataSpec('otto/train.jsonl', 'otto'),
    'taobao/UserBehavior.csv': dataSpec('taobao/UserBehavior.csv', 'taobao'),
    'taobao/UserBehavior.csv mapped': dataSpec('taobao/UserBehavior.csv', 'taobao', { eventMap: { buy: 'purchase', cart: 'cart' } }),
  };
}
