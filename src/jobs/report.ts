// `recgap report <run dir>`: re-render a run's report files from its results.json (and requests.parquet, else
// requests.csv, and audit.json when present) without rerunning, replacing the old report files atomically: the new folder
// is assembled beside the old one (other files hard-linked, not copied) and swapped in by rename
// (results/output.ts, as every command writes its output).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { Results } from '../results/results.ts';
import { claimOutput, type OutputFile } from '../results/output.ts';
import { buildReport, REPORT_FILES, type ReportOutput } from '../report/build.ts';
import { reportMsg } from '../report/messages.ts';
import { resultsMsg } from '../results/messages.ts';
import { resultsFromJson } from '../results/json.ts';
import { parquetColumns } from '../report/forRun.ts';
import { roiColumns } from '../report/roi.ts';
import { duckDetail } from '../ingest/duck.ts';

export interface ReportJobOptions {
  /** An audit report to use instead of `<runDir>/audit.json`. */
  auditFile?: string;
}

/** Read and check results.json; its nulls become NaN where the report expects numbers. */
function readResults(file: string): Results {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(resultsMsg.resultsUnreadable(file, (e as Error).message));
  }
  return resultsFromJson(text, file, { untrusted: true });
}

/** The ROI's request columns from a run folder's requests.parquet; a file DuckDB cannot read is bad input. */
async function readParquet(file: string, results: Results) {
  try {
    return await parquetColumns(file, roiColumns(results));
  } catch (e) {
    throw new InputError(reportMsg.requestsParquetUnreadable(file, duckDetail(e)));
  }
}

/**
 * Re-render the report files of a run folder.
 *
 * @example
 * const { dir } = await reportJob('reports/quickstart');
 */
export async function reportJob(runDir: string, opts: ReportJobOptions = {}): Promise<{ dir: string; report: ReportOutput }> {
  const dir = resolve(runDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(reportMsg.runDirMissing(runDir));
  const name = basename(dir);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new InputError(reportMsg.unsafeRunDir(dir));
  if (opts.auditFile && !existsSync(opts.auditFile)) throw new InputError(reportMsg.auditMissing(opts.auditFile));
  const resultsFile = join(dir, 'results.json');
  if (!existsSync(resultsFile)) throw new InputError(reportMsg.resultsMissing(runDir));
  // Claimed before reading: no other recgap may be writing the folder, and the report files it replaces
  // (report.html, summary.md, charts/, audit.json with --audit) must be recgap's. Everything else is kept.
  const replaces = [...REPORT_FILES, ...(opts.auditFile ? ['audit.json'] : [])];
  using out = claimOutput({ outDir: dirname(runDir), name, kind: 'report', replaces });
  const results = readResults(resultsFile);
  // Money intervals from requests.parquet's full-precision values; requests.csv when a run has no Parquet file.
  const parquetFile = join(dir, 'requests.parquet');
  const requestColumns = existsSync(parquetFile) ? await readParquet(parquetFile, results) : null;
  const csvFile = join(dir, 'requests.csv');
  const requestsCsv = requestColumns === null && existsSync(csvFile) ? readFileSync(csvFile, 'utf8') : null;
  const auditFile = opts.auditFile ?? join(dir, 'audit.json');
  let audit: unknown = null;
  if (existsSync(auditFile)) {
    try {
      audit = JSON.parse(readFileSync(auditFile, 'utf8'));
    } catch (e) {
      throw new InputError(reportMsg.auditUnreadable(auditFile, (e as Error).message));
    }
  }
  const report = await buildReport({ results, requestsCsv, requestColumns, audit });
  const extra: OutputFile[] = opts.auditFile ? [{ name: 'audit.json', content: readFileSync(opts.auditFile) }] : [];
  out.write([...report.files, ...extra]);
  return { dir, report };
}
