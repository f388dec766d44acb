// Each built-in adapter loads its fixture to exact columns: times, persons (unknown ones included), keys, items,
// event types, values and sessions (given by the log, or cut by 30 minutes of inactivity).
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/readLog.ts';
import { dataSpec, decode, f32, type Row } from './helpers.ts';

const S = 1000;

describe('movielens', () => {
  it('u.data (tab separated, no header)', async () => {
    const { log, report } = await readLog(dataSpec('movielens/u.data', 'movielens'));
    expect(decode(log)).toEqual([
      [878887116 * S, '22', '22', null, 'unknown', 0, '377', 'rating', 1],
      [881250949 * S, '196', '196', null, 'unknown', 1, '242', 'rating', 3],
      [881250950 * S, '196', '196', null, 'unknown', 1, '302', 'rating', 5],
      [891717742 * S, '186', '186', null, 'unknown', 2, '302', 'rating', 3],
    ] satisfies Row[]);
    expect(log.dict.person).toEqual(['196', '186', '22']);
    expect(report).toMatchObject({ rows: 4, loaded: 4, dropped: [], personsKnown: 'all', timeUnit: 's' });
  });

  it("ratings.dat ('::' separated)", async () => {
    const { log } = await readLog(dataSpec('movielens/ratings.dat', 'movielens'));
    expect(decode(log)).toEqual([
      [978300000 * S, '2', '2', null, 'unknown', 0, '1193', 'rating', 4],
      [978300760 * S, '1', '1', null, 'unknown', 1, '1193', 'rating', 5],
      [978302109 * S, '1', '1', null, 'unknown', 1, '661', 'rating', 3],
    ] satisfies Row[]);
  });

  it('ratings.csv (header userId,movieId,rating,timestamp)', async () => {
    const { log } = await readLog(dataSpec('movielens/ratings.csv', 'movielens'));
    expect(decode(log)).toEqual([
      [1260759144 * S, '1', '1', null, 'unknown', 0, '31', 'rating', 2.5],
      [1260759179 * S, '1', '1', null, 'unknown', 0, '1029', 'rating', 3],
    ] satisfies Row[]);
  });
});

describe('retailrocket', () => {
  it('maps view / addtocart / transaction and drops other events', async () => {
    const { log, report } = await readLog(dataSpec('retailrocket/events.csv', 'retailrocket'));
    expect(decode(log)).toEqual([
      [1433221332117, '257597', '257597', null, 'unknown', 0, '355908', 'view', 1],
      [1433221999827, '111016', '111016', null, 'unknown', 1, '318965', 'cart', 1],
      [1433222276276, '257597', '257597', null, 'unknown', 0, '355908', 'purchase', 1],
      [1433224214164, '992329', '992329', null, 'unknown', 2, '248676', 'view', 1],
    ] satisfies Row[]);
    expect(report).toMatchObject({ rows: 5, loaded: 4, timeUnit: 'ms', dropped: [{ reason: 'unknown event type "like"', count: 1, firstLines: [6] }] });
  });
});

describe('diginetica', () => {
  const day = (d: number) => Date.UTC(2016, 4, d);
  it('item views: anonymous sessions keep an unknown person and a session key', async () => {
    const { log, report } = await readLog(dataSpec('diginetica/train-item-views.csv', 'diginetica'));
    expect(decode(log)).toEqual([
      [day(9) + 526309, null, 's:1', null, 'unknown', 0, '81766', 'view', 1],
      [day(9) + 1031018, null, 's:1', null, 'unknown', 0, '31331', 'view', 1],
      [day(10) + 200, '278', '278', null, 'unknown', 1, '9', 'view', 1],
      [day(10) + 1500, '278', '278', null, 'unknown', 2, '32118', 'view', 1],
    ] satisfies Row[]);
    expect(report).toMatchObject({ rows: 4, loaded: 4, personsKnown: 'some', anonymousEvents: 2, timeUnit: 'iso' });
  });

  it('purchases', async () => {
    const { log } = await readLog(dataSpec('diginetica/train-purchases.csv', 'diginetica'));
    expect(decode(log)).toEqual([
      [day(9) + 849902, '18278', '18278', null, 'unknown', 0, '24043', 'purchase', 1],
      [day(10) + 12, null, 's:151', null, 'unknown', 1, '81766', 'purchase', 1],
    ] satisfies Row[]);
  });
});

describe('online-retail', () => {
  const at = (h: number, m: number) => Date.UTC(2010, 11, 1, h, m);
  it.each(['online-retail/online_retail.csv', 'online-retail/online_retail.csv.gz'])('%s: guests, cancellations and non-sales', async (file) => {
    const { log, report } = await readLog(dataSpec(file, 'online-retail'));
    expect(decode(log)).toEqual([
      [at(8, 26), '17850', '17850', null, 'unknown', 0, '85123A', 'purchase', f32(6 * 2.55)],
      [at(8, 28), null, 'guest:536366', null, 'unknown', 1, '22633', 'purchase', f32(6 * 1.85)],
      [at(9, 45), '17850', '17850', null, 'unknown', 2, '22139', 'purchase', f32(2 * 4.95)],
    ] satisfies Row[]);
    expect(report).toMatchObject({ rows: 6, loaded: 3, personsKnown: 'some', anonymousEvents: 1, timeUnit: 'iso' });
    expect(report.dropped).toEqual([
      { reason: 'bad-debt adjustment (InvoiceNo starts with A)', count: 1, firstLines: [7] },
      { reason: 'cancelled invoice (InvoiceNo starts with C)', count: 1, firstLines: [4] },
      { reason: 'non-positive quantity (stock correction)', count: 1, firstLines: [6] },
    ]);
  });
});

describe('otto', () => {
  it('unnests sessions, keeps ties in file order and counts bad events by line', async () => {
    const { log, report } = await readLog(dataSpec('otto/train.jsonl', 'otto'));
    expect(decode(log)).toEqual([
      [1661724000278, '12899779', '12899779', null, 'unknown', 0, '59625', 'view', 1],
      [1661724000278, '12899779', '12899779', null, 'unknown', 0, '59625', 'purchase', 1],
      [1661724000378, '12899780', '12899780', null, 'unknown', 1, '1142000', 'view', 1],
      [1661724058352, '12899780', '12899780', null, 'unknown', 1, '582732', 'cart', 1],
    ] satisfies Row[]);
    expect(report).toMatchObject({ rows: 5, loaded: 4, timeUnit: 'ms', dropped: [{ reason: 'unknown event type "wishes"', count: 1, firstLines: [2] }] });
  });
});

describe('taobao', () => {
  it('maps pv / cart / fav / buy; canonical types first', async () => {
    const { log } = await readLog(dataSpec('taobao/UserBehavior.csv', 'taobao'));
    expect(decode(log)).toEqual([
      [1511544070 * S, '1', '1', null, 'unknown', 0, '2268318', 'view', 1],
      [1511561733 * S, '1', '1', null, 'unknown', 1, '2333346', 'view', 1],
      [1511572885 * S, '100', '100', null, 'unknown', 2, '2576651', 'purchase', 1],
      [1511593493 * S, '100', '100', null, 'unknown', 3, '3830808', 'fav', 1],
      [1511593494 * S, '100', '100', null, 'unknown', 3, '3830808', 'cart', 1],
    ] satisfies Row[]);
    expect(log.dict.type).toEqual(['view', 'cart', 'purchase', 'fav']);
  });

  it('data.eventMap replaces the built-in map', async () => {
    const { log, report } = await readLog(dataSpec('taobao/UserBehavior.csv', 'taobao', { eventMap: { buy: 'purchase', cart: 'cart' } }));
    expect(log.dict.type).toEqual(['cart', 'purchase']);
    expect(report.dropped).toEqual([
      { reason: 'unknown event type "pv"', count: 2, firstLines: [1, 2] },
      { reason: 'unknown event type "fav"', count: 1, firstLines: [4] },
    ]);
  });
});
