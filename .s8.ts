import { readFileSync, writeFileSync } from 'node:fs';
import { buildSweepReport } from './src/report/sweepReport.ts';
const t = JSON.parse(readFileSync('/tmp/sw/quickstart-sweep/sweep.json', 'utf8'));
const r = await buildSweepReport(t);
for (const f of r.files) if (f.name.endsWith('.png')) writeFileSync('/tmp/sw-' + f.name.split('/').pop(), f.content);
