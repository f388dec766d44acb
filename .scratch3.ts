import { readFileSync } from 'node:fs';
import { buildReport } from './src/report/build.ts';
import { resultsFromJson } from './src/report/reportJob.ts';
const dir = '/tmp/r/quickstart';
for (let i = 0; i < 2; i++) {
const t0 = performance.now();
const results = resultsFromJson(readFileSync(dir + '/results.json', 'utf8'));
const csv = readFileSync(dir + '/requests.csv', 'utf8');
const audit = JSON.parse(readFileSync(dir + '/audit.json', 'utf8'));
const t1 = performance.now();
const r = await buildReport({ results, requestsCsv: csv, audit });
console.log('read', (t1 - t0).toFixed(0), 'build', (performance.now() - t1).toFixed(0), r.timingsMs, r.warnings);
}
