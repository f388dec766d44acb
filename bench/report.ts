// The run's last stages at scale, one at a time: requests.csv, requests.parquet and the report (money intervals
// from the per-request columns, charts, pages), then `recgap report`'s read of a run folder. The workload is the
// 1M-request protocol of bench/scale.ts (replay): its tables come from the two shard folders of a sharded run,
// made once (about 5 minutes), so each try of this bench costs only the stages it times:
//   node bin/recgap.js run --shard 0/2 --workers 2 --force --set world.persons=120000 --set train.until=40% \
//     --set eval.window=1d --set 'eval.positives=[view, cart, purchase]' --out /tmp/recgap-scale   (then --shard 1/2)
//   node --import tsx bench/report.ts /tmp/recgap-scale/quickstart.shard-0-of-2 /tmp/recgap-scale/quickstart.shard-1-of-2
// The run's results.json (bootstrap and decomposition: about 45 s) is computed on the first try and kept beside
// the shard folders (bench-results.json). Wall and CPU time (all threads of the process) per stage; reported,
// not asserted.
import os from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mergeShards, readShard } from '../src/jobs/shard.ts';
import { finishRun } from '../src/run/run.ts';
import { silentReporter } from '../src/util/progress.ts';
import { jsonText } from '../src/results/json.ts';
import { writeRequestsCsv } from '../src/run/requestTable.ts';
import { requestsParquet } from '../src/run/requestParquet.ts';
import { reportFiles, tableColumns, parquetColumns } from '../src/report/forRun.ts';
import { roiColumns } from '../src/report/roi.ts';
import { resultsFromJson } from '../src/results/json.ts';
import { loadLog } from '../src/run/loadLog.ts';
import { windowAudit } from '../src/report/windowCheck.ts';
import { timeStepAsync } from './_stage.ts';

// --keep=DIR: leave the files written (requests.csv, requests.parquet, report/...) in DIR, e.g. to compare two versions.
const keep = process.argv.find((a) => a.startsWith('--keep='))?.slice('--keep='.length);
// --report-only: time only the report columns and the report (no requests.csv, requests.parquet).
const reportOnly = process.argv.includes('--report-only');
// --with-log: also generate the scenario's log (about 20 s) and time the report stage as a run has it: check 04
// on the whole log (audit.json), the report columns from the tables, the report.
const withLog = process.argv.includes('--with-log');
// --threads=N: threads of the money intervals' bootstrap (a run uses its --workers); default 1.
const threads = Number(process.argv.find((a) => a.startsWith('--threads='))?.slice('--threads='.length) ?? 1);
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (dirs.length === 0) throw new Error('usage: node --import tsx bench/report.ts <shard folder>...');
const cpu = os.cpus();
console.log(
  `machine: ${cpu[0]?.model ?? 'unknown'} x ${cpu.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);

const time = <T>(label: string, f: () => T | Promise<T>) => timeStepAsync(label, f);

const { frame, audit, rows, sources } = await time('read and merge shards', () => mergeShards(dirs.map(readShard)));
console.log(`${rows.length.toLocaleString('en-US')} requests, ${frame.models.length} models, ${frame.plans.length} pipelines, ${sources.length} views`);
const resultsFile = join(dirname(dirs[0]), 'bench-results.json');
if (!existsSync(resultsFile)) {
  const results = await time('bootstrap and decomposition (once)', () => finishRun(frame, rows, sources, silentReporter()));
  writeFileSync(resultsFile, jsonText(results));
}
const resultsJson = readFileSync(resultsFile, 'utf8');
const results = resultsFromJson(resultsJson);
const work = keep ?? mkdtempSync(join(tmpdir(), 'recgap-bench-report-'));
mkdirSync(work, { recursive: true });
try {
  const wanted = roiColumns(results);
  if (!reportOnly) {
    const csvFile = join(work, 'requests.csv');
    await time('requests.csv (streamed to a file)', () => writeRequestsCsv(csvFile, rows, frame.config.ks, frame.models, sources, frame.plans));
    console.log(`  requests.csv ${(statSync(csvFile).size / 2 ** 20).toFixed(0)} MiB`);
    const parquet = await time('requests.parquet', () => requestsParquet(rows, frame.config.ks, frame.models, sources, frame.plans));
    console.log(`  requests.parquet ${(parquet.length / 2 ** 20).toFixed(1)} MiB`);
    const parquetFile = join(work, 'requests.parquet');
    writeFileSync(parquetFile, parquet);
    await time('report columns from requests.parquet', () => parquetColumns(parquetFile, wanted));
  }
  await time('report columns from the tables', () => tableColumns(rows, frame.config.ks, frame.models, sources, frame.plans, wanted));
  const columns = tableColumns(rows, frame.config.ks, frame.models, sources, frame.plans, wanted);
  const report = await time(`report (run: columns in memory, ${threads} thread${threads > 1 ? 's' : ''})`, () =>
    reportFiles(audit, 0, resultsJson, columns, threads),
  );
  console.log(
    `  report stages (s): ${Object.entries(report.timingsMs)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`)
      .join('; ')}`,
  );
  if (withLog) {
    const { log } = await time('generate the log (once)', () => loadLog(frame.scenario, silentReporter()));
    console.log(`${log.length.toLocaleString('en-US')} events`);
    await time("run's report stage (check 04, columns, report)", async () => {
      const t0 = performance.now();
      const runAudit = await time('  check 04 on the log', () => windowAudit(log, results));
      const auditMs = performance.now() - t0;
      const cols = await time('  report columns from the tables', () => tableColumns(rows, frame.config.ks, frame.models, sources, frame.plans, wanted));
      return time('  report', () => reportFiles(runAudit, auditMs, resultsJson, cols, threads));
    });
  }
  if (keep) {
    // The report files too, to compare two versions byte for byte.
    for (const f of report.files) {
      const path = join(work, 'report', f.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
  }
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
