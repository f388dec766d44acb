// Stage 1 in DuckDB: one pass over the source computes every canonical field and, per row, the first reason
// it cannot be used (NULL for good rows). Later stages read only this table, never the file again.
import type { Duck } from './duck.ts';
import { dropReason } from './messages.ts';
import type { ReadPlan } from './plan.ts';
import { lit } from './sql.ts';

export const STAGE = 'stage';

/** Channel of rows whose log has no channel (or leaves it empty). */
export const UNKNOWN_CHANNEL = 'unknown';

/** Which optional columns the stage holds (the others are constant and filled in JS). */
export interface StageShape {
  readonly person: boolean;
  /** False when the key is the person. */
  readonly key: boolean;
  readonly login: boolean;
  readonly channel: boolean;
  readonly session: boolean;
  /** True when a record may hold several events (their order within it is kept in `sub`). */
  readonly sub: boolean;
}

/**
 * Create the stage table: rn, [sub], t, [p], [k], [l], [c], [s], i, e, v, reason, bad (raw text of the bad field).
 *
 * @example
 * const shape = await stageRows(duck, plan);
 */
export async function stageRows(duck: Duck, plan: ReadPlan): Promise<StageShape> {
  const shape: StageShape = {
    person: plan.person !== null,
    key: plan.key !== null,
    login: plan.login !== null,
    channel: plan.channel !== null,
    session: plan.session !== null,
    sub: plan.relation.sub !== '0',
  };
  const ev = plan.event;
  const inner = [
    `${plan.relation.rn} AS rn`,
    shape.sub ? `${plan.relation.sub} AS sub` : null,
    `${plan.time.ms} AS t`,
    `${plan.time.raw} AS t_raw`,
    shape.person ? `${plan.person} AS p` : null,
    shape.key ? `${plan.key} AS k` : null,
    shape.login ? `${plan.login} AS l` : null,
    shape.channel ? `coalesce(${plan.channel}, ${lit(UNKNOWN_CHANNEL)}) AS c` : null,
    shape.session ? `${plan.session} AS s` : null,
    `${plan.item} AS i`,
    'constant' in ev ? `${lit(ev.constant)} AS e_raw` : `${ev.raw} AS e_raw`,
    plan.value === null ? 'CAST(1 AS DOUBLE) AS v_num, NULL AS v_raw' : `${plan.value.num} AS v_num, ${plan.value.raw} AS v_raw`,
    ...plan.drops.flatMap((d, j) => [`(${d.when}) AS d${j}`, `CAST(${d.value} AS VARCHAR) AS dv${j}`]),
  ].filter((x) => x !== null);

  const mapped = 'constant' in ev || ev.map === null ? 'e_raw' : `CASE e_raw ${Object.entries(ev.map).map(([k, v]) => `WHEN ${lit(k)} THEN ${lit(v)}`).join(' ')} END`;
  const anyKey = shape.key ? 'k' : shape.person ? 'p' : 'NULL';
  // The first failing check names the row's reason; `bad` keeps the offending raw text for strict messages.
  const checks: Array<[string, string, string]> = [
    ...plan.drops.map((d, j): [string, string, string] => [`d${j}`, lit(d.reason), `dv${j}`]),
    ['t_raw IS NULL', lit(dropReason.missingTime), 'NULL'],
    ['t IS NULL', lit(dropReason.unparseableTime), 't_raw'],
    ['i IS NULL', lit(dropReason.missingItem), 'NULL'],
    [`${anyKey} IS NULL`, lit(dropReason.missingKey), 'NULL'],
    ['e_raw IS NULL', lit(dropReason.missingEvent), 'NULL'],
    ['e IS NULL', `'unknown event type ' || CAST(to_json(e_raw) AS VARCHAR)`, 'e_raw'],
    ['v_raw IS NOT NULL AND v IS NULL', lit(dropReason.unparseableValue), 'v_raw'],
  ];
  const outer = [
    'rn',
    shape.sub ? 'sub' : null,
    't',
    shape.person ? 'p' : null,
    shape.key ? 'k' : null,
    shape.login ? 'l' : null,
    shape.channel ? 'c' : null,
    shape.session ? 's' : null,
    'i',
    'e',
    'coalesce(v, 1) AS v',
    `CASE ${checks.map(([w, r]) => `WHEN ${w} THEN ${r}`).join(' ')} END AS reason`,
    `CASE ${checks.map(([w, , b]) => `WHEN ${w} THEN ${b}`).join(' ')} END AS bad`,
  ].filter((x) => x !== null);
  const values = `SELECT *, ${mapped} AS e, CASE WHEN isfinite(v_num) THEN v_num END AS v FROM (SELECT ${inner.join(', ')} FROM ${plan.relation.from})`;
  await duck.run(`CREATE TABLE ${STAGE} AS SELECT ${outer.join(', ')} FROM (${values})`);
  return shape;
}
