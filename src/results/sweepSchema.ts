// JSON Schema of sweep.json as written (NaN and Infinity appear as null). A test validates a sweep's output
// against it, and docs/sweep.schema.json is generated from it (npm run schema), so they cannot drift apart.
import { z } from 'zod';
import { interval, num, resolutionQualitySchema } from './schema.ts';

const settings = z.record(z.string(), z.string()).describe('the swept value of each axis at this point, by config path');

export const sweepSchema = z.strictObject({
  version: z.literal('recgap.sweep/3'),
  scenario: z.string().describe('the scenario name'),
  seed: z.number().int().describe('the seed of every grid point (common random numbers)'),
  axes: z
    .array(
      z.strictObject({
        path: z.string().describe('the config path as given to --set, e.g. pipelines.0.refresh'),
        label: z.string().describe('the setting in words, e.g. "refresh cadence (pipeline weekly-batch)"; charts, pages and the printed table use it'),
        kind: z.enum(['number', 'duration', 'category']).describe('number and duration axes are ordered; categories keep the order given'),
        values: z.array(z.string()).describe('the values as typed, in grid order'),
        order: z.array(z.string()).describe('the values in plotting order: natural order for numbers and durations, as given for categories'),
      }),
    )
    .describe('the swept settings; the grid is every combination, the first axis varying slowest'),
  fixed: z.array(z.string()).describe('overrides applied at every point (--set with one value)'),
  metric: z.string().describe('the primary metric of the rows'),
  models: z.array(z.string()),
  pipelines: z.array(z.string()),
  points: z.array(
    z.strictObject({
      point: z.number().int(),
      settings,
      requests: z.number().int(),
      dir: z.string().describe("the point's folder in the sweep output, holding its results.json (points/<index>-<values>)"),
    }),
  ),
  rows: z
    .array(
      z.strictObject({
        point: z.number().int(),
        settings,
        model: z.string(),
        pipeline: z.string(),
        metric: z.string(),
        frozen: interval,
        served: interval,
        gap: interval.describe('frozen - served, paired per request'),
        relativeGap: num.describe('gap / frozen'),
        requests: z.number().int(),
        identity: resolutionQualitySchema
          .pick({ pairwisePrecision: true, pairwiseRecall: true, bcubedPrecision: true, bcubedRecall: true, purity: true, coverage: true, keysPerPerson: true })
          .nullable()
          .describe("the pipeline's identity resolution against the true persons at this point (the same for every model); null when not measured"),
      }),
    )
    .describe('one row per grid point x model x pipeline'),
});

/**
 * The JSON Schema of sweep.json (docs/sweep.schema.json).
 *
 * @example
 * writeFileSync('docs/sweep.schema.json', JSON.stringify(sweepJsonSchema(), null, 2) + '\n');
 */
export function sweepJsonSchema(): unknown {
  return z.toJSONSchema(sweepSchema);
}
