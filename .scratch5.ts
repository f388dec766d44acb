import { loadFixture, renamed, HOSTILE, HOSTILE_MODEL } from './test/report/helpers.ts';
import { buildReport } from './src/report/build.ts';
const fx = renamed(loadFixture(), { pipelines: { 'weekly-batch': HOSTILE }, models: { knn: HOSTILE_MODEL } });
const out = await buildReport({ results: fx.results, requestsCsv: fx.requestsCsv, audit: fx.audit });
const md = out.files.find((f) => f.name === 'summary.md')!.content as string;
console.log(out.roi.intervals, md.replace(/`[^`\n]*`/g, '').match(/.{30}<[a-z].{30}/gi));
