// `recgap calibrate`: fit a synthetic twin to a log (src/calibrate), generate it from the written twin.yaml the
// way `recgap generate` would, measure both, audit both, and write twin.yaml with calibration.json beside it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { EventLog } from '../log/eventLog.ts';
import { jsonText } from '../results/json.ts';
import { formatFromPath } from '../scenario/dataFormat.ts';
import { DEFAULT_SEED, defaultDataSpec } from '../scenario/defaults.ts';
import { loadScenario } from '../scenario/load.ts';
import { DATA_FORMATS, type ColumnMap, type DataFormat, type Scenario } from '../scenario/types.ts';
import { readYaml } from '../scenario/yaml.ts';
import { ingestSummary } from '../ingest/summary.ts';
import { loadLog } from '../run/loadLog.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';
import { calibrate, type Calibration } from '../calibrate/calibrate.ts';
import { throughLens } from '../calibrate/lens.ts';
import { measureLog, type Measured } from '../calibrate/logStats.ts';
import { calibrateMsg } from '../calibrate/messages.ts';
import { generateTwin } from '../calibrate/twinLog.ts';
import { twinYaml, type TwinSections } from '../calibrate/twinYaml.ts';
import { statRows, validationText, VALIDATION_TOLERANCE, type StatRow, type VerdictRow } from '../calibrate/validation.ts';
import { auditLog, auditSettings, type AuditSettings } from './audit.ts';
import { jobMsg } from './messages.ts';
import { resolveScenarioPath } from './runJob.ts';
import type { CheckResult } from '../audit/checks.ts';

export interface CalibrateJobOptions {
  /** A log file, or a data (or world) scenario. */
  input: string;
  /** The twin scenario to write (.yaml); calibration.json goes beside it. */
  out: string;
  /** A bare file's format (default: from its extension). */
  format?: string;
  columns?: ColumnMap;
  /** Scale the twin down to this many persons. */
  persons?: number;
  /** The twin's seed (default: the source scenario's, else 7); also the seed of the drift fits and the audits. */
  seed?: number;
  /** Rounds of fixed-point correction per phase (default calibrate.ts MAX_ROUNDS). */
  rounds?: number;
  reporter?: Reporter;
}

export interface CalibrationReport {
  input: string;
  twin: string;
  seed: number;
  scaled: Calibration['scaled'];
  lens: Calibration['lens'];
  tolerance: number;
  statistics: StatRow[];
  notMeasured: Array<{ setting: string; reason: string }>;
  audit: { settings: Omit<AuditSettings, 'seed'>; checks: Array<VerdictRow & { equal: boolean }> };
  fit: {
    rounds: Array<{ phase: string; maxError: number }>;
    driftGrid: Calibration['driftProbes'];
    deviceColumns: number[][] | null;
  };
  goal: { matched: number; within: number; verdictsEqual: number; checks: number };
}

/**
 * The --persons argument: a positive integer.
 *
 * @example
 * parsePersonsArg('5000') // 5000
 */
export function parsePersonsArg(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new InputError(calibrateMsg.badPersons(text));
  return Number(text);
}

/**
 * Calibrate, validate and write. Returns the printed table and the paths written.
 *
 * @example
 * const { text } = await calibrateJob({ input: 'events.csv', out: 'twin.yaml' });
 */
export async function calibrateJob(o: CalibrateJobOptions): Promise<{ text: string; twinFile: string; jsonFile: string; report: CalibrationReport }> {
  const rep = o.reporter ?? silentReporter();
  if (!/\.ya?ml$/i.test(o.out)) throw new InputError(calibrateMsg.outNotYaml(o.out));
  if (o.format !== undefined && !(DATA_FORMATS as readonly string[]).includes(o.format))
    throw new InputError(calibrateMsg.unknownFormat(o.format, DATA_FORMATS));
  if (o.persons !== undefined && !(Number.isInteger(o.persons) && o.persons > 0)) throw new InputError(calibrateMsg.badPersons(String(o.persons)));
  const src = await readSource(o, rep);
  // The twin's seed: --seed, else the source scenario's, else the default of every scenario.
  const seed = o.seed ?? src.scenario?.seed ?? DEFAULT_SEED;
  const cal = await calibrate({
    input: o.input,
    log: src.log,
    categories: src.categories,
    fragment: src.fragment,
    persons: o.persons,
    seed,
    rounds: o.rounds,
    reporter: rep,
  });

  // The twin file, then the twin generated from exactly that text.
  const twinFile = resolve(o.out);
  const sections = twinSections(src, cal, dirname(twinFile));
  const name = twinName(src.scenario?.name ?? basename(o.input));
  const preliminary = twinYaml({ name, seed, input: o.input, cal, twin: lastRound(cal), sections });
  const v = rep.stage('validate: generate the twin from twin.yaml');
  const twin = await generateTwin(preliminary, twinFile);
  const seen = throughLens(twin.log, cal.lens, false);
  const twinMeasured = await measureLog(seen, { lens: cal.lens, categories: twin.categories, drift: true, popularity: true, seed });
  v.end(calibrateMsg.twinLine(twin.log.length));
  const text = twinYaml({ name, seed, input: o.input, cal, twin: twinMeasured, sections });

  // The audit on both, with the same settings (the twin's positives in its own type names).
  const settings = auditSettings(src.scenario, { seed });
  const twinSettings = { ...settings, positives: settings.positives.map((p) => twinType(cal, p)) };
  const a = rep.stage('validate: audit the log and the twin');
  const logChecks = await auditLog(cal.sourceLog, src.categories ?? undefined, settings);
  const twinChecks = await auditLog(seen, cal.lens.categories ? twin.categories : undefined, twinSettings);
  a.end();

  const rows = statRows(cal, twinMeasured);
  const verdicts = logChecks.map((c, i) => verdictRow(c, twinChecks[i]));
  const matched = rows.filter((r) => r.status === 'matched');
  const report: CalibrationReport = {
    input: o.input,
    twin: basename(twinFile),
    seed,
    scaled: cal.scaled,
    lens: cal.lens,
    tolerance: VALIDATION_TOLERANCE,
    statistics: rows,
    notMeasured: cal.plan.kept,
    audit: { settings: withoutSeed(settings), checks: verdicts },
    fit: { rounds: cal.rounds.map((r) => ({ phase: r.phase, maxError: r.maxError })), driftGrid: cal.driftProbes, deviceColumns: cal.deviceColumns },
    goal: {
      matched: matched.length,
      within: matched.filter((r) => r.ok).length,
      verdictsEqual: verdicts.filter((x) => x.equal).length,
      checks: verdicts.length,
    },
  };
  const jsonFile = join(dirname(twinFile), 'calibration.json');
  writeBoth([
    [twinFile, text],
    [jsonFile, jsonText(report)],
  ]);
  return { text: validationText(o.input, rows, cal.plan.kept, verdicts), twinFile, jsonFile, report };
}

interface Source {
  log: EventLog;
  categories: Int32Array | null;
  scenario: Scenario | null;
  /** The scenario file's own data (YAML shape), for the sections the twin copies. */
  raw: Record<string, unknown> | null;
  file: string | null;
  fragment: Record<string, unknown> | null;
}

/**
 * The source log: a bare file read as `recgap audit` reads it, a data scenario's file as read (fragmentation and
 * drift injections are what-ifs on top of the log, not the log; its data.fragment becomes the twin's identity), or
 * a world scenario's generated log with its categories.
 */
async function readSource(o: CalibrateJobOptions, rep: Reporter): Promise<Source> {
  if (/\.ya?ml$/i.test(o.input)) {
    const scenario = loadScenario(o.input);
    const parsed = readYaml(readFileSync(o.input, 'utf8'), { unknownTags: 'error' });
    const raw = (parsed.ok ? parsed.data : {}) as Record<string, unknown>;
    const fragment = ((raw.data as Record<string, unknown> | undefined)?.fragment as Record<string, unknown> | undefined) ?? null;
    if (scenario.world) {
      const { log, itemCategory } = await loadLog(scenario, rep);
      return { log, categories: itemCategory, scenario, raw, file: o.input, fragment: null };
    }
    const plain: Scenario = { ...scenario, log: { ...scenario.log!, fragment: null, drift: { clock: 1, shifts: null } } };
    const { log } = await loadLog(plain, rep);
    return { log, categories: null, scenario, raw, file: o.input, fragment };
  }
  if (!existsSync(o.input)) throw new InputError(jobMsg.logNotFound(o.input));
  const s = rep.stage('read log');
  const { readLog } = await import('../ingest/readLog.ts');
  const format = (o.format as DataFormat | undefined) ?? formatFromPath(o.input);
  const { log, report } = await readLog(defaultDataSpec(o.input, format, { columns: o.columns ?? null }));
  s.end(ingestSummary(report));
  return { log, categories: null, scenario: null, raw: null, file: null, fragment: null };
}

/**
 * train, eval, models, pipelines (and business) of the source scenario, or the quickstart's for a bare log;
 * positives renamed to the twin's types, model paths rewritten relative to the twin file.
 */
function twinSections(src: Source, cal: Calibration, outDir: string): TwinSections {
  const from = src.raw ?? (readYaml(readFileSync(resolveScenarioPath(undefined), 'utf8'), { unknownTags: 'error' }) as { data: Record<string, unknown> }).data;
  const copy = structuredClone(from);
  const evalSection = { ...((copy.eval as Record<string, unknown>) ?? {}) };
  const positives = (evalSection.positives as string[] | undefined) ?? ['purchase'];
  evalSection.positives = positives.map((p) => twinType(cal, p));
  const baseDir = src.file ? dirname(resolve(src.file)) : outDir;
  const models = ((copy.models as Array<Record<string, unknown>>) ?? []).map((m) =>
    typeof m.path === 'string' && !isAbsolute(m.path) ? { ...m, path: relative(outDir, resolve(baseDir, m.path)) || '.' } : m,
  );
  return {
    train: copy.train ?? { until: '70%' },
    eval: evalSection,
    models,
    pipelines: (copy.pipelines as unknown[]) ?? [],
    ...(copy.business !== undefined ? { business: copy.business } : {}),
    from: src.file,
  };
}

/** The twin's name for a source type (the type that plays it), or the name itself. */
function twinType(cal: Calibration, sourceType: string): string {
  const found = Object.entries(cal.lens.types).find(([, name]) => name === sourceType);
  return found ? found[0] : sourceType;
}

/** A scenario name for the twin: the source's name (file name without extensions) and `-twin`. */
function twinName(source: string): string {
  const stem = source.replace(/(\.[A-Za-z0-9]+)+$/, '').replace(/[^A-Za-z0-9._-]/g, '-');
  return `${/^[A-Za-z0-9]/.test(stem) ? stem : `log${stem}`}-twin`.slice(0, 100);
}

/** The statistics of the fit's last round: what the preliminary text quotes (replaced after validation). */
function lastRound(cal: Calibration): Measured {
  return { stats: cal.rounds[cal.rounds.length - 1]?.stats ?? {}, keyHistogram: null, driftStatus: null };
}

function verdictRow(log: CheckResult, twin: CheckResult): VerdictRow & { equal: boolean } {
  return { id: log.id, name: log.name, log: log.verdict, twin: twin.verdict, equal: log.verdict === twin.verdict, logValue: log.value, twinValue: twin.value };
}

function withoutSeed(s: AuditSettings): Omit<AuditSettings, 'seed'> {
  const { seed: _seed, ...rest } = s;
  return rest;
}

/** Write files via temporaries renamed into place once all are written: never a twin without its table. */
function writeBoth(files: ReadonlyArray<[string, string]>): void {
  const tmp = files.map(([f]) => `${f}.tmp-${process.pid}`);
  try {
    for (const [i, [f, content]] of files.entries()) {
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(tmp[i], content);
    }
    files.forEach(([f], i) => renameSync(tmp[i], f));
  } finally {
    for (const t of tmp) rmSync(t, { force: true });
  }
}
