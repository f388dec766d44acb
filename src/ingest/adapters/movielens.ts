// MovieLens ratings in any of its three layouts, recognised by the first line: u.data (tab separated, no
// header), ratings.dat ('::' separated, no header) and ratings.csv (header userId,movieId,rating,timestamp).
// Every rating is an event of type `rating` valued by the rating; the user is both person and key.
import { csvRelation } from '../formats/csv.ts';
import { idSql } from '../genericPlan.ts';
import { firstLine } from '../peek.ts';
import { ident } from '../sql.ts';
import { epochMsSql, unitMismatch } from '../timeUnit.ts';
import { requireColumns, requireFieldCount, type Adapter } from './adapter.ts';

const NAMES = ['userId', 'movieId', 'rating', 'timestamp'] as const;

/**
 * @example
 * const { log } = await readLog({ ...spec, format: 'movielens', path: 'ml-100k/u.data' });
 * log.dict.type; // ['rating']
 */
export const movielens: Adapter = {
  async plan(duck, spec) {
    const file = spec.path;
    const line = await firstLine(file);
    const delimiter = line.includes('::') ? '::' : line.startsWith('userId') ? ',' : '\t';
    const header = delimiter === ',';
    if (!header) requireFieldCount(file, 'movielens', line, delimiter, 4, 'user, item, rating, unix seconds separated by tabs (u.data) or "::" (ratings.dat)');
    const relation = await csvRelation(duck, file, header ? { delimiter } : { delimiter, names: NAMES });
    requireColumns(file, 'movielens', relation, NAMES);
    const rating = ident('rating');
    return {
      relation,
      time: { ms: epochMsSql(ident('timestamp'), 's', false), raw: ident('timestamp'), unit: 's', mismatch: unitMismatch('s') },
      person: idSql('userId'),
      key: null,
      login: null,
      channel: null,
      session: null,
      item: idSql('movieId'),
      event: { constant: 'rating' },
      value: { num: `TRY_CAST(${rating} AS DOUBLE)`, raw: idSql('rating') },
      drops: [],
      columnOf: { time: 'timestamp', person: 'userId', item: 'movieId', value: 'rating' },
    };
  },
};
