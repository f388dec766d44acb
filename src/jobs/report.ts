// `recgap report <run dir>`: re-render a run's report files from its results.json (and requests.csv and
// audit.json when present) without rerunning, replacing the old report files atomically: the new folder
// is assembled beside the old one (other files hard-linked, not copied) and swapped in by rename.
import { existsSync, linkSync, copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { RESULTS_VERSION, type Results } from '../results/results.ts';
import type { OutputFile } from '../results/output.ts';
import { buildReport, REPORT_FILES, type ReportOutput } from '../report/build.ts';
import { reportMsg } from '../report/messages.ts';

export interface ReportJobOptions {
  /** An audit report to use instead of `<runDir>/audit.json`. */
  auditFile?: string;
}

/** JSON with NaN/Infinity written as null, as results.json is. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

/** Read and check results.json; its nulls become NaN where the report expects numbers. */
function readResults(file: string): Results {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(reportMsg.resultsUnreadable(file, (e as Error).message));
  }
  return resultsFromJson(text, file);
}

/**
 * Parse results.json text for the report (the same path for a fresh run and a re-render, so both give
 * byte-identical files): nulls that stand for undefined numbers become NaN.
 *
 * @example
 * const results = resultsFromJson(readFileSync('reports/quickstart/results.json', 'utf8'));
 */
export function resultsFromJson(text: string, file = 'results.json'): Results {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputError(reportMsg.resultsUnreadable(file, (e as Error).message));
  }
  const r = parsed as Partial<Results>;
  if (!r || typeof r !== 'object' || typeof r.version !== 'string' || !r.version.startsWith('recgap.results/') || !Array.isArray(r.results) || !Array.isArray(r.pipelines)) {
    throw new InputError(reportMsg.resultsUnreadable(file, 'missing version, results or pipelines'));
  }
  if (r.version !== RESULTS_VERSION) throw new InputError(reportMsg.resultsVersion(file, r.version, RESULTS_VERSION));
  return nullsToNaN(parsed) as Results;
}

function nullsToNaN(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(nullsToNaN);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = x === null && NUMERIC_NULLS.has(k) ? NaN : nullsToNaN(x);
    return o;
  }
  return v;
}
/** Keys whose null means an undefined number (not an absent object). */
const NUMERIC_NULLS = new Set(['mean', 'lo', 'hi', 'p10', 'p25', 'p50', 'p75', 'p90', 'meanMs', 'emptyShare', 'noHistoryShare', 'meanViewEvents', 'pValue', 'pHolm', 'lInf', 'tauMs', 'rmse', 'loMs', 'hiMs', 'frozen', 'served', 'gap', 'share']);

/**
 * Re-render the report files of a run folder.
 *
 * @example
 * const { dir } = await reportJob('reports/quickstart');
 */
export async function reportJob(runDir: string, opts: ReportJobOptions = {}): Promise<{ dir: string; report: ReportOutput }> {
  const dir = resolve(runDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(reportMsg.runDirMissing(runDir));
  const resultsFile = join(dir, 'results.json');
  if (!existsSync(resultsFile)) throw new InputError(reportMsg.resultsMissing(runDir));
  const results = readResults(resultsFile);
  const csvFile = join(dir, 'requests.csv');
  const requestsCsv = existsSync(csvFile) ? readFileSync(csvFile, 'utf8') : null;
  const auditFile = opts.auditFile ?? join(dir, 'audit.json');
  if (opts.auditFile && !existsSync(opts.auditFile)) throw new InputError(reportMsg.auditMissing(opts.auditFile));
  let audit: unknown = null;
  if (existsSync(auditFile)) {
    try {
      audit = JSON.parse(readFileSync(auditFile, 'utf8'));
    } catch (e) {
      throw new InputError(reportMsg.auditUnreadable(auditFile, (e as Error).message));
    }
  }
  const report = await buildReport({ results, requestsCsv, audit });
  const extra: OutputFile[] = opts.auditFile ? [{ name: 'audit.json', content: readFileSync(opts.auditFile) }] : [];
  replaceReportFiles(dir, [...report.files, ...extra]);
  return { dir, report };
}

/**
 * Swap in a copy of `dir` whose report files are `files` (everything else kept, hard-linked when possible).
 * Either the old folder or the complete new one is in place at every moment.
 */
export function replaceReportFiles(dir: string, files: readonly OutputFile[]): void {
  const name = basename(dir);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new InputError(reportMsg.unsafeRunDir(dir));
  const parent = dirname(dir);
  const tmp = join(parent, `.${name}.tmp-${process.pid}`);
  const old = join(parent, `.${name}.old-${process.pid}`);
  const replaced = new Set<string>([...REPORT_FILES, ...files.map((f) => f.name.split('/')[0])]);
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    for (const entry of readdirSync(dir)) {
      if (replaced.has(entry)) continue;
      const src = join(dir, entry);
      if (statSync(src).isDirectory()) cpSync(src, join(tmp, entry), { recursive: true });
      else linkOrCopy(src, join(tmp, entry));
    }
    for (const f of files) {
      const path = join(tmp, f.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
    renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(old)) renameSync(old, dir);
    throw e;
  }
}

function linkOrCopy(src: string, dst: string): void {
  try {
    linkSync(src, dst);
  } catch {
    copyFileSync(src, dst);
  }
}
