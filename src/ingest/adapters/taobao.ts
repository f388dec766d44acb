// Taobao UserBehavior.csv: no header; user_id, item_id, category_id, behavior_type (pv | cart | fav | buy),
// timestamp (epoch seconds). Users are accounts, used as both person and key.
import { csvRelation } from '../formats/csv.ts';
import { idSql } from '../genericPlan.ts';
import { firstLine } from '../peek.ts';
import { ident } from '../sql.ts';
import { epochMsSql, unitMismatch } from '../timeUnit.ts';
import { requireFieldCount, type Adapter } from './adapter.ts';

const NAMES = ['user_id', 'item_id', 'category_id', 'behavior_type', 'timestamp'] as const;

/** Taobao's behaviour names -> canonical types (data.eventMap replaces it). */
const TAOBAO_EVENTS = { pv: 'view', cart: 'cart', fav: 'fav', buy: 'purchase' } as const;

/**
 * @example
 * const { log } = await readLog({ ...spec, format: 'taobao', path: 'UserBehavior.csv' });
 */
export const taobao: Adapter = {
  async plan(duck, spec) {
    requireFieldCount(
      spec.path,
      'taobao',
      await firstLine(spec.path),
      ',',
      NAMES.length,
      'user_id,item_id,category_id,behavior_type,timestamp without a header',
    );
    const relation = await csvRelation(duck, spec.path, { delimiter: ',', names: NAMES });
    return {
      relation,
      time: { ms: epochMsSql(ident('timestamp'), 's', false), raw: ident('timestamp'), unit: 's', mismatch: unitMismatch('s') },
      person: idSql('user_id'),
      key: null,
      login: null,
      channel: null,
      session: null,
      item: idSql('item_id'),
      event: { raw: idSql('behavior_type'), map: spec.eventMap ?? TAOBAO_EVENTS },
      value: null,
      drops: [],
      columnOf: { time: 'timestamp', person: 'user_id', item: 'item_id', event: 'behavior_type' },
    };
  },
};
