import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resultsSchema, resultsJsonSchema } from '../../src/results/schema.ts';
import { scenarioJsonSchema } from '../../src/scenario/schema.ts';
import { sweepJsonSchema } from '../../src/results/sweepSchema.ts';
import { runSmall } from '../helpers.ts';

const json = (o: unknown) => JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));

describe('JSON Schemas', () => {
  it('results.json of a run validates against the results schema', async () => {
    const run = await runSmall({
      pipelines:
        '  - { name: silo, refresh: 7d, latency: 6h, identity: login, channels: [app, mweb] }\n  - { name: s, refresh: stream, latency: 0, identity: oracle }',
    });
    const parsed = resultsSchema.safeParse(json(run.results));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('committed schema files are up to date (npm run schema regenerates them)', async () => {
    const read = (p: string) => JSON.parse(readFileSync(new URL(p, import.meta.url), 'utf8'));
    expect(read('../../scenarios/scenario.schema.json')).toEqual(json(scenarioJsonSchema()));
    expect(read('../../docs/results.schema.json')).toEqual(json(resultsJsonSchema()));
    expect(read('../../docs/sweep.schema.json')).toEqual(json(sweepJsonSchema()));
  });
});
