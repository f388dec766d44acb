// `recgap audit`: the four checks of docs/method.md section 6 on a real log (or a scenario's world or data).
// 01 freshness, 02 identity and 04 window are measured on the log directly; 03 runs the paired
// frozen-vs-served evaluation with a default model, injecting fragmentation where the log has none.
import { jsonText } from '../results/json.ts';
import { formatFromPath } from '../scenario/dataFormat.ts';
import { existsSync, statSync } from 'node:fs';
import type { EventLog } from '../log/eventLog.ts';
import type { ColumnMap, DataFormat, ExcludeSeen, Scenario } from '../scenario/types.ts';
import { InputError } from '../errors.ts';
import { jobMsg } from './messages.ts';
import { guardMemory } from './resources.ts';
import { memoryInput } from './memoryEstimate.ts';
import { loadScenario, parseScenario } from '../scenario/load.ts';
import { loadLog } from '../run/loadLog.ts';
import type { IngestReport } from '../ingest/readLog.ts';
import { ingestSummary, ingestWarnings } from '../ingest/summary.ts';
import { runScenario } from '../run/run.ts';
import { measureDrift } from '../audit/drift.ts';
import { checkFreshness } from '../audit/freshness.ts';
import { checkIdentity } from '../audit/identityCoverage.ts';
import { windowCheckOf } from '../audit/window.ts';
import { unknownCheck, verdictWithin, type CheckResult } from '../audit/checks.ts';
import { auditMsg } from '../audit/messages.ts';
import { injectFragmentation } from '../world/fragment.ts';
import { hasMultiKeyPersons } from '../log/persons.ts';
import { DEFAULT_WORLD } from '../scenario/worldSpec.ts';
import { defaultDataSpec } from '../scenario/defaults.ts';
import { Rng } from '../util/rng.ts';
import { formatDurationMs, MS } from '../util/duration.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';

export interface AuditOptions {
  /** A log file or a scenario (.yaml/.yml). */
  input: string;
  format?: DataFormat;
  refreshMs?: number | 'stream';
  latencyMs?: number;
  windowMs?: number;
  positives?: string[];
  /** Source column names of a bare log file's canonical fields (as data.columns in a scenario). */
  columns?: ColumnMap;
  /** Check 03's split: a quantile such as "75%" or an ISO time (default: the scenario's, else 75%). */
  split?: string;
  /** Check 03's excludeSeen mode (default: the scenario's, else none). */
  excludeSeen?: ExcludeSeen;
  seed?: number;
  reporter?: Reporter;
  /** Go ahead even when the memory estimate exceeds the available memory (--force). */
  force?: boolean;
}

export interface AuditReport {
  input: string;
  events: number;
  settings: { refresh: string; latency: string; window: string; positives: string[] };
  checks: CheckResult[];
  /** About the log itself (stray events at its ends), one line each; printed as warnings. */
  warnings: string[];
}

/** Relative offline-online gap thresholds of check 03 (share of the offline metric lost when served). */
export const GAP_WARN = 0.1;
/** Check 03's cutoff: NDCG@10. */
const GAP_K = 10;
export const GAP_FAIL = 0.25;

/**
 * Run the four checks.
 *
 * @example
 * const report = await runAudit({ input: 'events.csv', refreshMs: 7 * 864e5, latencyMs: 6 * 36e5, windowMs: 7 * 864e5 });
 */
export async function runAudit(opts: AuditOptions): Promise<AuditReport> {
  const rep = opts.reporter ?? silentReporter();
  const isScenario = /\.(ya?ml)$/i.test(opts.input);
  let log: EventLog;
  let scenario: Scenario | null = null;
  let categories: Int32Array | undefined;
  let ingest: Omit<IngestReport, 'seconds'> | null;
  if (isScenario) {
    scenario = loadScenario(opts.input);
    guardMemory(memoryInput(scenario), { command: 'audit', force: opts.force });
    const loaded = await loadLog(scenario, rep);
    log = loaded.log;
    ingest = loaded.provenance.ingest;
    categories = loaded.itemCategory ?? undefined;
  } else {
    if (!existsSync(opts.input)) throw new InputError(jobMsg.logNotFound(opts.input));
    if (statSync(opts.input).isDirectory()) throw new InputError(jobMsg.auditFolder(opts.input));
    const format = opts.format ?? formatFromPath(opts.input);
    guardMemory({ world: null, data: { path: opts.input, format }, models: [], pipelines: 1 }, { command: 'audit', force: opts.force });
    const s = rep.stage('read log');
    const { readLog } = await import('../ingest/readLog.ts');
    ({ log, report: ingest } = await readLog(defaultDataSpec(opts.input, format, { columns: opts.columns ?? null })));
    // The same line a run prints: rows dropped by reason are never dropped silently.
    s.end(ingestSummary(ingest));
  }
  const settings = auditSettings(scenario, opts);
  const checks = await auditLog(log, categories, settings, rep);
  return {
    input: opts.input,
    events: log.length,
    settings: {
      refresh: settings.refreshMs === 'stream' ? 'stream' : formatDurationMs(settings.refreshMs),
      latency: formatDurationMs(settings.latencyMs),
      window: formatDurationMs(settings.windowMs),
      positives: settings.positives,
    },
    checks,
    warnings: [
      ...(ingest === null ? [] : ingestWarnings(ingest)),
      // The run's own warning would advise a smaller K, which the audit does not take: say what it means here.
      ...(log.dict.item.length <= GAP_K ? [auditMsg.gapKBeyondCatalogue(GAP_K, log.dict.item.length)] : []),
    ],
  };
}

/** What the four checks are run with: refresh, latency, label window, positives, and check 03's split. */
export interface AuditSettings {
  refreshMs: number | 'stream';
  latencyMs: number;
  windowMs: number;
  positives: string[];
  /** Check 03's split as it goes into its scenario: a quoted quantile or an ISO time. */
  until: string;
  excludeSeen: ExcludeSeen;
  seed: number;
}

/**
 * The settings of an audit: the options given, else the scenario's (its first pipeline, its window, positives
 * and split), else 7 days, 6 hours, 7 days, purchase and 75%.
 *
 * @example
 * auditSettings(null, { input: 'events.csv' }) // { refreshMs: 604800000, latencyMs: 21600000, ..., until: '"75%"' }
 */
export function auditSettings(scenario: Scenario | null, opts: Omit<AuditOptions, 'input'>): AuditSettings {
  const first = scenario?.pipelines[0];
  return {
    refreshMs: opts.refreshMs ?? (first ? (first.refresh.kind === 'stream' ? 'stream' : first.refresh.cadenceMs) : 7 * MS.d),
    latencyMs: opts.latencyMs ?? first?.latencyMs ?? 6 * MS.h,
    windowMs: opts.windowMs ?? scenario?.eval.windowMs ?? 7 * MS.d,
    positives: opts.positives ?? scenario?.eval.positives ?? ['purchase'],
    until: opts.split !== undefined ? yamlSplit(opts.split) : untilOf(scenario),
    excludeSeen: opts.excludeSeen ?? scenario?.eval.excludeSeen ?? 'none',
    seed: opts.seed ?? 7,
  };
}

/**
 * The four checks on a log in memory (a file's, a scenario's, or a calibrated twin's).
 *
 * @example
 * const checks = await auditLog(log, null, auditSettings(null, {}));
 */
export async function auditLog(log: EventLog, categories: Int32Array | undefined, o: AuditSettings, rep: Reporter = silentReporter()): Promise<CheckResult[]> {
  const { refreshMs, latencyMs, windowMs, positives } = o;
  const mask = new Uint8Array(256);
  for (const p of positives) {
    const i = log.dict.type.indexOf(p);
    if (i < 0) throw new InputError(jobMsg.unknownPositive(p, log.dict.type));
    mask[i] = 1;
  }

  // Each check answers on its own: one the log cannot answer is `unknown` with the reason, and the others
  // still run.
  const checks: CheckResult[] = [];
  const d = rep.stage('01 signal freshness');
  const drift = measureDrift(log, categories, { seed: o.seed });
  const freshness = checkFreshness(log, { refreshMs, latencyMs }, drift);
  checks.push(freshness.verdict === 'unknown' ? unknownCheck(freshness, auditMsg.driftNotMeasured) : freshness);
  d.end(checks[0].verdict);
  const i = rep.stage('02 identity coverage');
  const identity = checkIdentity(log, { positives: mask });
  checks.push(hasMultiKeyPersons(log) ? identity : unknownCheck(identity, auditMsg.noDeviceKeys));
  i.end(checks[1].verdict);
  const g = rep.stage('03 offline-online gap');
  try {
    checks.push(await checkGap(log, { refreshMs, latencyMs, windowMs, positives, seed: o.seed, until: o.until, excludeSeen: o.excludeSeen }));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    checks.push(
      unknownCheck({ id: '03', name: 'offline-online gap', threshold: GAP_FAIL, unit: 'share of offline NDCG@10' }, auditMsg.gapNotMeasured(e.message)),
    );
  }
  g.end(checks[2].verdict);
  const w = rep.stage('04 conversion window');
  checks.push(windowCheckOf(log, { windowMs, positives: mask }));
  w.end(checks[3].verdict);
  return checks;
}

/** A --split value as it goes into check 03's scenario: a quantile quoted, a time as it is. */
function yamlSplit(split: string): string {
  return /%$/.test(split) ? `"${split}"` : split;
}

/** The split check 03 uses: the scenario's own (a quantile or a time), else the first 75% of the log. */
function untilOf(scenario: Scenario | null): string {
  const u = scenario?.train.until;
  if (!u) return '"75%"';
  return u.kind === 'quantile' ? `"${+(100 * u.q).toPrecision(6)}%"` : new Date(u.tsMs).toISOString();
}

/**
 * The exit code `recgap audit --fail-on LEVEL` asks for: 3 when a check reached LEVEL (`fail`: a failed
 * check; `warn`: a warning, a failure, or a check the log could not answer), else 0.
 *
 * @example
 * auditExitCode(report, 'fail') // 3 when any check failed
 */
export function auditExitCode(r: AuditReport, level: 'warn' | 'fail' | undefined): number {
  if (!level) return 0;
  const hit = (v: string) => v === 'fail' || (level === 'warn' && (v === 'warn' || v === 'unknown'));
  return r.checks.some((c) => hit(c.verdict)) ? AUDIT_FAIL_EXIT : 0;
}

/** Distinct from 1 (runtime failure) and 2 (bad input): a check reached the --fail-on level. */
export const AUDIT_FAIL_EXIT = 3;

/**
 * Check 03: item-kNN and popularity fitted on the first 75% of the log (or at the scenario's split, with its
 * positives, window and excludeSeen), scored on the frozen view and on
 * key-level serving with the given refresh and latency; value = relative gap of item-kNN's NDCG@10.
 * A log with one key per person gets injected fragmentation (docs/method.md 2.9 defaults) first.
 */
async function checkGap(
  log: EventLog,
  o: { refreshMs: number | 'stream'; latencyMs: number; windowMs: number; positives: string[]; seed: number; until: string; excludeSeen: ExcludeSeen },
): Promise<CheckResult> {
  const fragmented = hasMultiKeyPersons(log);
  const served = fragmented ? log : injectFragmentation(log, DEFAULT_WORLD.identity, Rng.fromSeed(o.seed).fork('fragment')).log;
  const refresh = o.refreshMs === 'stream' ? 'stream' : formatDurationMs(o.refreshMs);
  const yaml = [
    'name: audit-gap',
    `seed: ${o.seed}`,
    `train: { until: ${o.until} }`,
    `eval: { k: [${GAP_K}], window: ${formatDurationMs(o.windowMs)}, positives: [${o.positives.join(', ')}], excludeSeen: ${o.excludeSeen === 'none' ? 'false' : o.excludeSeen}, bootstrap: 200 }`,
    'models: [ { name: pop, type: popularity }, { name: knn, type: itemknn } ]',
    `pipelines: [ { name: production, refresh: ${refresh}, latency: ${formatDurationMs(o.latencyMs)}, identity: key } ]`,
  ].join('\n');
  const run = await runScenario(parseScenario(yaml, 'audit'), { log: served, reporter: silentReporter() });
  const knn = run.results.results.find((r) => r.model === 'knn')!;
  const m = knn.metrics['ndcg@10'];
  const shares = knn.decomposition.byMetric['ndcg@10'].shares;
  const value = m.relativeGap.mean;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  // Judged on the relative gap's person-clustered interval: pass only when all of it is below the warn line.
  const verdict = verdictWithin(m.relativeGap, GAP_WARN, GAP_FAIL);
  const ci = Number.isFinite(m.relativeGap.lo) ? ` [${pct(m.relativeGap.lo)}, ${pct(m.relativeGap.hi)}]` : ' (no interval: too few persons)';
  const detail =
    `item-kNN loses ${pct(value)}${ci} of its offline NDCG@10 when served from ${refresh} key-level profiles ` +
    `(frozen ${m.frozen.mean.toFixed(4)}, served ${m.served.mean.toFixed(4)}, gap ${m.gap.mean.toFixed(4)} [${m.gap.lo.toFixed(4)}, ${m.gap.hi.toFixed(4)}]; ` +
    `staleness ${(shares.staleness?.mean ?? 0).toFixed(4)}, identity ${(shares.identity?.mean ?? 0).toFixed(4)}` +
    `${fragmented ? '' : '; fragmentation injected: the log has one key per person'}). ` +
    (verdict === 'pass'
      ? 'Offline wins should carry over; keep checking new models on the served view.'
      : verdict === 'unknown'
        ? 'The interval is too wide to tell a small gap from a large one; a longer log, or more persons after the split, would answer it.'
        : 'Evaluate candidate models on the served view, and price fresher profiles and identity stitching before more modelling.');
  return {
    id: '03',
    name: 'offline-online gap',
    verdict,
    value,
    threshold: GAP_FAIL,
    unit: 'share of offline NDCG@10',
    detail,
    ...(verdict === 'unknown' ? { reason: detail } : {}),
    data: {
      warnAt: GAP_WARN,
      relativeGap: m.relativeGap,
      frozen: m.frozen,
      served: m.served,
      gap: m.gap,
      shares,
      requests: run.results.counts.requests,
      fragmentationInjected: !fragmented,
      until: o.until,
      excludeSeen: o.excludeSeen,
    },
  };
}

/** Plain-text rendering: one line per check, then its detail. */
export function auditText(r: AuditReport): string {
  const lines = [
    `audit of ${r.input}: ${r.events.toLocaleString('en-US')} events; refresh ${r.settings.refresh}, latency ${r.settings.latency}, window ${r.settings.window}, positives ${r.settings.positives.join(', ')}`,
    '',
  ];
  for (const c of r.checks) {
    const num = (x: number) => (Number.isFinite(x) ? +x.toPrecision(3) : 'n/a');
    lines.push(`${c.id} ${c.name.padEnd(28)} ${c.verdict.toUpperCase().padEnd(7)}  ${num(c.value)} ${c.unit} (fail above ${num(c.threshold)})`);
    lines.push(`   ${c.detail}`);
  }
  return lines.join('\n');
}

/** The JSON shape `{ checks: [{ id, name, verdict, value, threshold, detail, ... }] }`. */
export function auditJson(r: AuditReport): string {
  return jsonText(r);
}
