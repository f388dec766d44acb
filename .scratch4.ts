import { mkdirSync, writeFileSync } from 'node:fs';
import { loadFixture, renamed, HOSTILE, HOSTILE_MODEL } from './test/report/helpers.ts';
import { buildReport } from './src/report/build.ts';
const hostile = process.argv[2] === 'hostile';
let fx = loadFixture();
if (hostile) fx = renamed(fx, { pipelines: { 'weekly-batch': HOSTILE }, models: { knn: HOSTILE_MODEL } });
const out = await buildReport({ results: fx.results, requestsCsv: fx.requestsCsv, audit: fx.audit });
const dir = hostile ? '/tmp/fxh' : '/tmp/fx';
for (const f of out.files) { mkdirSync(dir + '/' + f.name.split('/').slice(0, -1).join('/'), { recursive: true }); writeFileSync(dir + '/' + f.name, f.content); }
console.log(out.warnings, out.timingsMs);
