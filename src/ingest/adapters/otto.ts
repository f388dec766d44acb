// OTTO (Kaggle 2022) JSON lines: `{session, events: [{aid, ts (ms), type: clicks | carts | orders}]}`. An OTTO
// session is one user's whole month, so it is the person and the key; visits are cut by inactivity. Line
// numbers in the report are the session's line; events of a line keep their order on equal times.
import { InputError } from '../../errors.ts';
import { describeColumns } from '../formats/describe.ts';
import { jsonlRelation } from '../formats/jsonl.ts';
import { idSql } from '../genericPlan.ts';
import { ingestMsg } from '../messages.ts';
import { lit } from '../sql.ts';
import { epochMsSql, unitMismatch } from '../timeUnit.ts';
import type { Adapter } from './adapter.ts';

/** OTTO's event names -> canonical types (data.eventMap replaces it). */
const OTTO_EVENTS = { clicks: 'view', carts: 'cart', orders: 'purchase' } as const;

const COLUMNS = { session: 'VARCHAR', events: 'STRUCT(aid VARCHAR, ts VARCHAR, type VARCHAR)[]' } as const;

/**
 * @example
 * const { log } = await readLog({ ...spec, format: 'otto', path: 'otto/train.jsonl' });
 */
export const otto: Adapter = {
  async plan(duck, spec) {
    const found = (await describeColumns(duck, `read_json(${lit(spec.path)}, format='newline_delimited')`)).map((c) => c.name);
    if (!found.includes('session') || !found.includes('events'))
      throw new InputError(ingestMsg.adapterHeader(spec.path, 'otto', 'JSON lines with "session" and "events"', found.join(',')));
    const lines = await jsonlRelation(duck, spec.path, COLUMNS);
    // One row per event, in file order; the session's line number travels along for the report.
    const from = `(SELECT ordinality AS __rn, session, unnest(events) AS ev FROM ${lines.from} WITH ORDINALITY)`;
    return {
      relation: { ...lines, from, rn: '__rn' },
      time: { ms: epochMsSql('ev.ts', 'ms', false), raw: 'ev.ts', unit: 'ms', mismatch: unitMismatch('ms') },
      person: idSql('session'),
      key: null,
      login: null,
      channel: null,
      session: null,
      item: `NULLIF(ev.aid, '')`,
      event: { raw: `NULLIF(ev.type, '')`, map: spec.eventMap ?? OTTO_EVENTS },
      value: null,
      drops: [],
      columnOf: { time: 'ts', person: 'session', item: 'aid', event: 'type' },
    };
  },
};
