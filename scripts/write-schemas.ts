// Regenerate the committed JSON Schemas (npm run schema); a test fails when they are stale.
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../src/scenario/schema.ts';
import { resultsJsonSchema } from '../src/results/schema.ts';
import { sweepJsonSchema } from '../src/results/sweepSchema.ts';

writeFileSync(new URL('../scenarios/scenario.schema.json', import.meta.url), JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
writeFileSync(new URL('../docs/results.schema.json', import.meta.url), JSON.stringify(resultsJsonSchema(), null, 2) + '\n');
writeFileSync(new URL('../docs/sweep.schema.json', import.meta.url), JSON.stringify(sweepJsonSchema(), null, 2) + '\n');
