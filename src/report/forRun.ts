// The report files a fresh run writes beside results.json, requests.csv and requests.parquet (runJob): check 04
// measured on the run's log (audit.json, for the conversion-delay chart), then the same report `recgap report`
// renders. Money intervals come from requests.parquet's full-precision values, as `recgap report` reads them.
import type { RunOutput } from '../run/run.ts';
import type { OutputFile } from '../results/output.ts';
import { buildReport, type ReportOutput } from './build.ts';
import { windowAudit, type WindowAudit } from './windowCheck.ts';
import { jsonText, resultsFromJson } from '../results/json.ts';
import { readRequestsParquet } from '../run/requestParquet.ts';
import { roiColumns } from './roi.ts';
import { requestColumnsOf, type RequestColumns } from './requestColumns.ts';

/**
 * Report files for a run, from the exact results.json, requests.csv and requests.parquet it writes.
 *
 * @example
 * const { files } = await runReportFiles(run, resultsJson, requestsCsv, requestsParquetBytes);
 */
export async function runReportFiles(
  run: Pick<RunOutput, 'log' | 'results'>,
  resultsJson: string,
  requestsCsv: string,
  requestsParquet: Uint8Array | null = null,
): Promise<ReportOutput> {
  const t0 = performance.now();
  const audit = windowAudit(run.log, run.results);
  return reportFiles(audit, performance.now() - t0, resultsJson, requestsCsv, requestsParquet);
}

/**
 * Report files from results.json, requests.csv and requests.parquet and check 04 measured earlier (merged shards).
 *
 * @example
 * const { files } = await reportFiles(audit, 0, resultsJson, requestsCsv, requestsParquetBytes);
 */
export async function reportFiles(
  audit: WindowAudit | null,
  auditMs: number,
  resultsJson: string,
  requestsCsv: string,
  requestsParquet: Uint8Array | null = null,
): Promise<ReportOutput> {
  const results = resultsFromJson(resultsJson);
  const requestColumns = requestsParquet ? await parquetColumns(requestsParquet, roiColumns(results)) : null;
  const report = await buildReport({ results, requestsCsv, requestColumns, audit });
  const files: OutputFile[] = audit ? [{ name: 'audit.json', content: jsonText(audit) }, ...report.files] : report.files;
  return { ...report, files, timingsMs: { 'window check': auditMs, ...report.timingsMs } };
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
