// The report files a fresh run writes beside results.json, requests.csv and requests.parquet (runJob): check 04
// measured on the run's log (audit.json, for the conversion-delay chart), then the same report `recgap report`
// renders. Money intervals come from the run's per-request tables at full precision: the values requests.parquet
// holds, which is what `recgap report` reads back, so both give the same report.
import type { RunOutput } from '../run/run.ts';
import type { OutputFile } from '../results/output.ts';
import { buildReport, type ReportOutput } from './build.ts';
import { windowAudit, type WindowAudit } from './windowCheck.ts';
import { jsonText, resultsFromJson } from '../results/json.ts';
import { readRequestsParquet } from '../run/requestParquet.ts';
import { metricColumns, type RequestRows } from '../run/requestTable.ts';
import type { SourceResult } from '../eval/replay.ts';
import type { PipelinePlan } from '../run/assemble.ts';
import { roiColumns } from './roi.ts';
import { requestColumnsOf, type RequestColumns } from './requestColumns.ts';

/**
 * Report files for a run, from the exact results.json it writes and its per-request tables.
 *
 * @example
 * const { files } = await runReportFiles(run, resultsJson, requestRows(run.log, run.requests), 2);
 */
export async function runReportFiles(
  run: Pick<RunOutput, 'log' | 'results' | 'models' | 'sources' | 'plans'>,
  resultsJson: string,
  rows: RequestRows,
  threads = 1,
): Promise<ReportOutput> {
  const t0 = performance.now();
  const audit = windowAudit(run.log, run.results);
  const auditMs = performance.now() - t0;
  const results = resultsFromJson(resultsJson);
  const columns = tableColumns(rows, results.config.ks, run.models, run.sources, run.plans, roiColumns(results));
  return reportFiles(audit, auditMs, resultsJson, columns, threads);
}

/**
 * Report files from results.json, the ROI's request columns and check 04 measured earlier (merged shards),
 * the money intervals' bootstrap on `threads` threads (the same files for any count).
 *
 * @example
 * const { files } = await reportFiles(audit, 0, resultsJson, tableColumns(rows, ks, models, sources, plans, roiColumns(results)));
 */
export async function reportFiles(
  audit: WindowAudit | null,
  auditMs: number,
  resultsJson: string,
  requestColumns: RequestColumns | null,
  threads = 1,
): Promise<ReportOutput> {
  const results = resultsFromJson(resultsJson);
  const report = await buildReport({ results, requestsCsv: null, requestColumns, audit, threads });
  const files: OutputFile[] = audit ? [{ name: 'audit.json', content: jsonText(audit) }, ...report.files] : report.files;
  return { ...report, files, timingsMs: { 'window check': auditMs, ...report.timingsMs } };
}

/**
 * The named request columns (roiColumns) from a run's per-request tables, person-clustered as from
 * requests.parquet: the same values, without writing or reading a file.
 *
 * @example
 * const table = tableColumns(rows, [10, 20], run.models, run.sources, run.plans, roiColumns(results));
 */
export function tableColumns(
  rows: RequestRows,
  ks: readonly number[],
  models: ReadonlyArray<{ name: string }>,
  sources: readonly SourceResult[],
  plans: readonly PipelinePlan[],
  wanted: readonly string[],
): RequestColumns {
  return requestColumnsOf(rows.personIds, metricColumns(ks, models, sources, plans, wanted));
}

/**
 * The ROI's request columns from requests.parquet (a path or its bytes), person-clustered as from requests.csv.
 *
 * @example
 * const table = await parquetColumns('reports/quickstart/requests.parquet', roiColumns(results));
 */
export async function parquetColumns(source: string | Uint8Array, wanted: readonly string[]): Promise<RequestColumns> {
  const { persons, columns } = await readRequestsParquet(source, wanted);
  return requestColumnsOf(persons, columns);
}
