// Stage 1: the ReadPlan for a spec, from a built-in adapter or a generic reader plus the column map.
import type { DataSpec } from '../scenario/types.ts';
import { ADAPTERS, isAdapterFormat } from './adapters/index.ts';
import type { Duck } from './duck.ts';
import { csvRelation } from './formats/csv.ts';
import { jsonlRelation } from './formats/jsonl.ts';
import { parquetRelation } from './formats/parquet.ts';
import { genericPlan } from './genericPlan.ts';
import type { ReadPlan } from './plan.ts';

/**
 * The plan for reading `spec.path` in `spec.format`, clipped to `spec.timeRange` when it has one.
 *
 * @example
 * const plan = await planFor(duck, spec);
 * plan.time.unit; // 'ms'
 */
export async function planFor(duck: Duck, spec: DataSpec): Promise<ReadPlan> {
  const plan = await sourcePlan(duck, spec);
  return spec.timeRange ? { ...plan, timeRange: spec.timeRange } : plan;
}

async function sourcePlan(duck: Duck, spec: DataSpec): Promise<ReadPlan> {
  if (isAdapterFormat(spec.format)) return ADAPTERS[spec.format].plan(duck, spec);
  const file = spec.path;
  switch (spec.format) {
    case 'csv':
      return genericPlan(duck, spec, await csvRelation(duck, file, { delimiter: spec.delimiter }));
    case 'jsonl':
      return genericPlan(duck, spec, await jsonlRelation(duck, file));
    case 'parquet':
      return genericPlan(duck, spec, await parquetRelation(duck, file));
    case 'arrow':
      return genericPlan(duck, spec, await (await import('./formats/arrow.ts')).arrowRelation(duck, file));
  }
}
