// shard.json as recgap merge reads it: untrusted input. A shard folder may be truncated, come from another
// version, or be crafted, and merge turns its names into paths (the output folder is the scenario's name,
// each model's files come from models/<model>/) and its array manifest into offsets. Every field is checked
// against this schema, names with the scenario's own rules (scenario/names.ts), and the manifest against the
// exact tables a shard of that frame writes, before anything is read or written.
import { z } from 'zod';
import { METRIC_COUNT } from '../eval/metrics.ts';
import { FACTORS } from '../pipeline/factors.ts';
import { resultsSchema, resultsScenarioSchema } from '../results/schema.ts';
import { isScenarioName, nameProblem, SCENARIO_NAME_MAX_LENGTH } from '../scenario/names.ts';
import { jobMsg } from './messages.ts';

export const SHARD_FORMAT = 'recgap-shard/2';

/** A model or pipeline name, with the message the scenario gives for a bad one. */
const identifier = z.string().check((ctx) => {
  const problem = nameProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});
const scenarioName = z
  .string()
  .refine(isScenarioName, `a scenario name: letters, digits, dot, dash, underscore, at most ${SCENARIO_NAME_MAX_LENGTH} characters`);

const R = resultsSchema.shape;
const DTYPES = ['float64', 'float32', 'int32', 'uint8'] as const;
export type Dtype = (typeof DTYPES)[number];

const frameSchema = z.strictObject({
  scenario: resultsScenarioSchema.extend({
    name: scenarioName,
    eval: z.looseObject({ ageBinEdgesMs: z.array(z.number()) }),
    models: z.array(z.looseObject({ name: identifier })),
    pipelines: z.array(z.looseObject({ name: identifier })),
  }),
  config: R.config,
  log: R.log,
  counts: R.counts,
  models: z.array(R.models.element.extend({ name: identifier })),
  pipelines: z.array(R.pipelines.element.omit({ signalAge: true, lag: true, meanViewEvents: true }).extend({ name: identifier })),
  warnings: z.array(z.string()),
  plans: z.array(
    z.strictObject({
      name: identifier,
      factors: z.array(z.enum(FACTORS)),
      source: z.number().int().min(0),
      subsetSources: z.array(z.number().int().min(0)),
    }),
  ),
  identity: z.array(R.results.element.shape.identity),
  bootstrapSeed: z.number().int(),
  sources: z.number().int().min(1),
});

export const shardJsonSchema = z.strictObject({
  format: z.literal(SHARD_FORMAT),
  shard: z.strictObject({ index: z.number().int().min(0), count: z.number().int().min(1).max(65535) }),
  frame: frameSchema,
  audit: z
    .looseObject({
      input: z.string(),
      events: z.number(),
      settings: z.looseObject({ window: z.string(), positives: z.array(z.string()) }),
      checks: z.array(z.looseObject({ id: z.string() })),
    })
    .nullable(),
  personIds: z.array(z.string()),
  keyIds: z.array(z.string()),
  arrays: z.array(z.strictObject({ name: z.string(), dtype: z.enum(DTYPES), length: z.number().int().min(0) })),
});
export type ShardJson = z.infer<typeof shardJsonSchema>;

/**
 * The tables a shard with this frame and this many requests writes, in the order shardFiles writes them.
 *
 * @example
 * shardArrays(2, 1, 8, 100)[0] // { name: 'ids', dtype: 'int32', length: 100 }
 */
export function shardArrays(sources: number, models: number, cols: number, rows: number): Array<{ name: string; dtype: Dtype; length: number }> {
  const out: Array<{ name: string; dtype: Dtype; length: number }> = [
    { name: 'ids', dtype: 'int32', length: rows },
    { name: 'tsMs', dtype: 'float64', length: rows },
    { name: 'person', dtype: 'int32', length: rows },
    { name: 'session', dtype: 'int32', length: rows },
    { name: 'labels', dtype: 'int32', length: rows },
  ];
  for (let i = 0; i < sources; i++) {
    out.push(
      { name: `source${i}.ageMs`, dtype: 'float64', length: rows },
      { name: `source${i}.viewSize`, dtype: 'int32', length: rows },
      { name: `source${i}.unknownKey`, dtype: 'uint8', length: rows },
    );
    for (let m = 0; m < models; m++) out.push({ name: `source${i}.metrics${m}`, dtype: 'float32', length: rows * cols });
  }
  return out;
}

/**
 * What the schema cannot say: the shard index within the count, plans that match the pipelines and refer
 * to existing tables, and an array manifest equal to the one this frame writes. Null when consistent.
 *
 * @example
 * const problem = shardProblem(json); // null, or e.g. 'frame.plans.1.source is 7; the shard has 4 tables'
 */
export function shardProblem(json: ShardJson): string | null {
  const { shard, frame } = json;
  if (shard.index >= shard.count) return jobMsg.shardIndexBeyond(shard.index, shard.count);
  if (frame.config.ks.length === 0) return jobMsg.shardNoKs();
  const pipelines = frame.pipelines.map((p) => p.name).join(',');
  if (frame.plans.map((p) => p.name).join(',') !== pipelines || frame.identity.length !== frame.plans.length) return jobMsg.shardPlans();
  for (const [i, p] of frame.plans.entries()) {
    const bad = [p.source, ...p.subsetSources].find((s) => s >= frame.sources);
    if (bad !== undefined) return jobMsg.shardPlanSource(i, bad, frame.sources);
  }
  const rows = json.personIds.length;
  if (json.keyIds.length !== rows) return jobMsg.shardIdsLength(json.keyIds.length, rows);
  const expected = shardArrays(frame.sources, frame.models.length, frame.config.ks.length * METRIC_COUNT, rows);
  const key = (a: { name: string; dtype: string; length: number }) => `${a.name}:${a.dtype}:${a.length}`;
  const have = new Set(json.arrays.map(key));
  const missing = expected.find((a) => !have.has(key(a)));
  if (missing || json.arrays.length !== expected.length) return jobMsg.shardManifest(rows, missing ? key(missing) : `${json.arrays.length} arrays`);
  return null;
}
