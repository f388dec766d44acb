// DIGINETICA (CIKM Cup 2016): train-item-views.csv `sessionId;userId;itemId;timeframe;eventdate` and
// train-purchases.csv `sessionId;userId;timeframe;eventdate;ordernumber;itemId` (recognised by `ordernumber`).
// userId is `NA` (or empty) for anonymous sessions: their person is unknown and their key is `s:<sessionId>`,
// the only identifier production would have. Time is the event date plus timeframe milliseconds.
import { csvRelation } from '../formats/csv.ts';
import { idSql } from '../genericPlan.ts';
import { ident } from '../sql.ts';
import { requireColumns, type Adapter } from './adapter.ts';

/** Key prefix of anonymous sessions. */
const SESSION_KEY_PREFIX = 's:';

/**
 * @example
 * const { log } = await readLog({ ...spec, format: 'diginetica', path: 'train-item-views.csv' });
 * log.dict.key; // ['s:1', '278', ...]
 */
export const diginetica: Adapter = {
  async plan(duck, spec) {
    const relation = await csvRelation(duck, spec.path, { delimiter: ';' });
    const purchases = relation.columns.some((c) => c.name === 'ordernumber');
    requireColumns(spec.path, 'diginetica', relation, ['sessionId', 'userId', 'itemId', 'timeframe', 'eventdate']);
    const person = `NULLIF(${idSql('userId')}, 'NA')`;
    const date = `CAST(TRY_CAST(${ident('eventdate')} AS DATE) AS TIMESTAMP)`;
    return {
      relation,
      time: {
        ms: `CAST(epoch_ms(${date}) + TRY_CAST(${ident('timeframe')} AS BIGINT) AS DOUBLE)`,
        raw: `concat_ws(' + ', ${ident('eventdate')}, ${ident('timeframe')})`,
        unit: 'iso',
      },
      person,
      key: `coalesce(${person}, '${SESSION_KEY_PREFIX}' || ${idSql('sessionId')})`,
      login: null,
      channel: null,
      session: idSql('sessionId'),
      item: idSql('itemId'),
      event: { constant: purchases ? 'purchase' : 'view' },
      value: null,
      drops: [],
      columnOf: { time: 'eventdate/timeframe', person: 'userId', session: 'sessionId', item: 'itemId' },
    };
  },
};
