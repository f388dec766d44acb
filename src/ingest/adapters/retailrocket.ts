// RetailRocket events.csv: timestamp (ms), visitorid, event (view | addtocart | transaction), itemid,
// transactionid. Visitors are cookies, used as both person and key; no sessions, so they are cut by inactivity.
import { csvRelation } from '../formats/csv.ts';
import { idSql } from '../genericPlan.ts';
import { ident } from '../sql.ts';
import { epochMsSql, unitMismatch } from '../timeUnit.ts';
import { requireColumns, type Adapter } from './adapter.ts';

/** RetailRocket's event names -> canonical types (data.eventMap replaces it). */
const RETAILROCKET_EVENTS = { view: 'view', addtocart: 'cart', transaction: 'purchase' } as const;

/**
 * @example
 * const { log } = await readLog({ ...spec, format: 'retailrocket', path: 'retailrocket/events.csv' });
 */
export const retailrocket: Adapter = {
  async plan(duck, spec) {
    const relation = await csvRelation(duck, spec.path, { delimiter: ',' });
    requireColumns(spec.path, 'retailrocket', relation, ['timestamp', 'visitorid', 'event', 'itemid']);
    return {
      relation,
      time: { ms: epochMsSql(ident('timestamp'), 'ms', false), raw: ident('timestamp'), unit: 'ms', mismatch: unitMismatch('ms') },
      person: idSql('visitorid'),
      key: null,
      login: null,
      channel: null,
      session: null,
      item: idSql('itemid'),
      event: { raw: idSql('event'), map: spec.eventMap ?? RETAILROCKET_EVENTS },
      value: null,
      drops: [],
      columnOf: { time: 'timestamp', person: 'visitorid', item: 'itemid', event: 'event' },
    };
  },
};
