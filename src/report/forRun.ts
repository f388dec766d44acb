// The report files a fresh run writes beside results.json and requests.csv (runJob): check 04 measured on
// the run's log (audit.json, for the conversion-delay chart), then the same report `recgap report` renders.
import type { RunOutput } from '../run/run.ts';
import type { OutputFile } from '../results/output.ts';
import { buildReport, type ReportOutput } from './build.ts';
import { windowAudit, type WindowAudit } from './windowCheck.ts';
import { jsonText, resultsFromJson } from '../results/json.ts';

/**
 * Report files for a run, from the exact results.json and requests.csv texts it writes.
 *
 * @example
 * const { files } = await runReportFiles(run, resultsJson, requestsCsv);
 */
export async function runReportFiles(run: Pick<RunOutput, 'log' | 'results'>, resultsJson: string, requestsCsv: string): Promise<ReportOutput> {
  const t0 = performance.now();
  const audit = windowAudit(run.log, run.results);
  return reportFiles(audit, performance.now() - t0, resultsJson, requestsCsv);
}

/**
 * Report files from results.json and requests.csv texts and check 04 measured earlier (merged shards).
 *
 * @example
 * const { files } = await reportFiles(audit, 0, resultsJson, requestsCsv);
 */
export async function reportFiles(audit: WindowAudit | null, auditMs: number, resultsJson: string, requestsCsv: string): Promise<ReportOutput> {
  const report = await buildReport({ results: resultsFromJson(resultsJson), requestsCsv, audit });
  const files: OutputFile[] = audit ? [{ name: 'audit.json', content: jsonText(audit) }, ...report.files] : report.files;
  return { ...report, files, timingsMs: { 'window check': auditMs, ...report.timingsMs } };
}
