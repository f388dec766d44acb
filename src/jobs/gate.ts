// `recgap gate`: the release decision for a candidate model version. Both models are scored on the same
// requests; the decision reads the paired, person-clustered interval of (candidate - baseline) under the
// production pipeline's served view, not the frozen one, because that is what users will get.
//   1. values: run the scenario (or read a run folder) and take each request's metric for both models,
//      under the frozen view and under every pipeline
//   2. differences: paired per request, one bootstrap over persons for every view
//   3. decision on the production pipeline: pass / fail / inconclusive against the margin
//   4. words: the offline and served differences side by side, and whether they disagree
import { existsSync, statSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { jobMsg } from './messages.ts';
import { ClusterBootstrap, effectivePersons, pairedPValue, type Interval } from '../stats/bootstrap.ts';
import { hashString, hash3 } from '../util/hash.ts';
import { metricKeys } from '../eval/metrics.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';
import { MIN_EFFECTIVE_PERSONS, runScenario } from '../run/run.ts';
import { disposeModels } from '../models/model.ts';
import { prepareScenario } from './runJob.ts';
import { readRequestTable, readResults } from './runFolder.ts';
import { claimOutput } from '../results/output.ts';
import { guardMemory, guardOncePlanned } from './resources.ts';
import type { MemoryBudget } from './memoryBudget.ts';
import { memoryInput } from './memoryEstimate.ts';
import { jsonText } from '../results/json.ts';

export type GateDecision = 'pass' | 'fail' | 'inconclusive';

/** Exit codes of `recgap gate`: 0 pass, these for the other decisions (2 stays bad input, 1 a failed run). */
export const GATE_EXIT = { pass: 0, fail: 3, inconclusive: 4 } as const;

export interface GateOptions {
  /** A scenario YAML (run in memory) or a folder written by `recgap run` (results.json + requests.parquet). */
  input: string;
  baseline: string;
  candidate: string;
  /** The production pipeline; default the scenario's first. */
  pipeline?: string;
  /** Metric key, e.g. ndcg@10; default the run's primary metric. */
  metric?: string;
  /** How much worse (absolute, in the metric) the candidate may be and still pass. */
  margin?: number;
  /** Scenario overrides (`path=value`) and seed, as for `recgap run`. */
  sets?: readonly string[];
  seed?: number;
  workers?: number;
  /** Run even when the memory estimate exceeds what the machine has. */
  force?: boolean;
  /** The memory available (tests); the machine's by default. */
  budget?: MemoryBudget;
  reporter?: Reporter;
}

/** candidate - baseline under one view. */
export interface GateDifference {
  /** 'frozen' or a pipeline name. */
  view: string;
  baseline: number;
  candidate: number;
  difference: Interval;
  pValue: number;
}

/** gate.json's format. */
export const GATE_VERSION = 'recgap.gate/1';

export interface GateReport {
  version: typeof GATE_VERSION;
  decision: GateDecision;
  /** Why the decision is inconclusive when no interval could be formed (too few persons); else ''. */
  reason: string;
  scenario: string;
  baseline: string;
  candidate: string;
  metric: string;
  pipeline: string;
  margin: number;
  level: number;
  requests: number;
  persons: number;
  /** Persons a conclusive answer would need at this difference (interval width shrinking as 1/sqrt(persons)); null when conclusive or unknowable. */
  personsNeeded: number | null;
  offline: GateDifference;
  served: GateDifference;
  /** Every pipeline's served difference, production first. */
  pipelines: GateDifference[];
  /** One sentence when offline and served point different ways (e.g. wins offline, loses served). */
  disagreement: string;
}

/** Default margin: a candidate half a point of NDCG@10 worse than production still ships. */
export const DEFAULT_MARGIN = 0.005;

/**
 * Decide whether a candidate may replace the baseline.
 *
 * @example
 * const g = await runGate({ input: 'scenarios/quickstart.yaml', baseline: 'pop', candidate: 'knn' });
 * g.decision // 'pass'
 */
export async function runGate(opts: GateOptions): Promise<GateReport> {
  const margin = opts.margin ?? DEFAULT_MARGIN;
  if (!(margin >= 0 && Number.isFinite(margin))) throw new InputError(jobMsg.gateMargin(String(opts.margin)));
  if (opts.baseline === opts.candidate) throw new InputError(jobMsg.gateSameModel(opts.baseline));
  // 1. Per-request values of both models under every view.
  const values = isRunFolder(opts.input) ? await fromRunFolder(opts) : await fromScenario(opts);
  const pipeline = opts.pipeline ?? values.pipelines[0];
  if (!values.pipelines.includes(pipeline)) throw new InputError(jobMsg.gateUnknownPipeline(pipeline, values.pipelines));
  // 2. One bootstrap over persons for every view (differences under different views are then comparable).
  const persons = effectivePersons(values.person);
  const resample = persons.effective >= MIN_EFFECTIVE_PERSONS;
  const boot = new ClusterBootstrap(values.person, { seed: hash3(values.seed, 0x6a7e, 1), replicates: resample ? values.replicates : 0, level: values.level });
  const diff = (view: string): GateDifference => {
    const [b, c] = values.byView.get(view)!;
    const d = c.map((v, r) => v - b[r]);
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / Math.max(1, x.length);
    return { view, baseline: mean(b), candidate: mean(c), difference: boot.interval(d), pValue: resample ? pairedPValue(d, boot) : NaN };
  };
  const offline = diff('frozen');
  const order = [pipeline, ...values.pipelines.filter((p) => p !== pipeline)];
  const pipelines = order.map(diff);
  const served = pipelines[0];
  // 3. The decision on the production pipeline's served difference.
  const { lo, hi, mean } = served.difference;
  let decision: GateDecision = 'inconclusive';
  let reason = '';
  let personsNeeded: number | null = null;
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) reason = jobMsg.gateNoInterval(persons.distinct, persons.effective, MIN_EFFECTIVE_PERSONS);
  else if (lo > -margin) decision = 'pass';
  else if (hi < -margin) decision = 'fail';
  else {
    // The interval straddles -margin: it would clear it once its half-width shrinks below the distance from
    // the estimate to -margin; half-widths shrink as 1/sqrt(persons).
    const half = (hi - lo) / 2;
    const distance = Math.abs(mean + margin);
    personsNeeded = distance > 0 ? Math.ceil(persons.distinct * (half / distance) ** 2) : null;
  }
  return {
    version: GATE_VERSION,
    decision,
    reason,
    scenario: values.scenario,
    baseline: opts.baseline,
    candidate: opts.candidate,
    metric: values.metric,
    pipeline,
    margin,
    level: values.level,
    requests: values.person.length,
    persons: persons.distinct,
    personsNeeded,
    offline,
    served,
    pipelines,
    // 4. Offline against served, in words.
    disagreement: disagreement(offline, served, opts.candidate, pipeline),
  };
}

/** Per-request values of the two models, by view ('frozen' and each pipeline). */
interface GateValues {
  scenario: string;
  metric: string;
  pipelines: string[];
  person: Int32Array;
  byView: Map<string, [Float64Array, Float64Array]>;
  seed: number;
  replicates: number;
  level: number;
}

function isRunFolder(input: string): boolean {
  return existsSync(input) && statSync(input).isDirectory();
}

async function fromScenario(opts: GateOptions): Promise<GateValues> {
  const scenario = prepareScenario(opts.input, opts.sets ?? [], opts.seed);
  const names = scenario.models.map((m) => m.name);
  for (const m of [opts.baseline, opts.candidate]) if (!names.includes(m)) throw new InputError(jobMsg.gateUnknownModel(m, opts.input, names));
  // Checked again once the requests are planned: on a dense protocol they, not the events, decide the peak.
  const beforeReplay = guardOncePlanned(memoryInput(scenario), { workers: opts.workers, force: opts.force, budget: opts.budget });
  const run = await runScenario(scenario, { reporter: opts.reporter ?? silentReporter(), workers: opts.workers, beforeReplay });
  try {
    const keys = metricKeys(run.results.config.ks);
    const metric = opts.metric ?? run.results.config.primaryMetric;
    const c = keys.indexOf(metric);
    if (c < 0) throw new InputError(jobMsg.gateUnknownMetric(metric, keys));
    const column = (source: number, model: string) => {
      const t = run.sources[source].metrics[names.indexOf(model)];
      return Float64Array.from({ length: run.requests.length }, (_, r) => t[r * keys.length + c]);
    };
    const byView = new Map<string, [Float64Array, Float64Array]>();
    byView.set('frozen', [column(0, opts.baseline), column(0, opts.candidate)]);
    for (const p of run.plans) byView.set(p.name, [column(p.source, opts.baseline), column(p.source, opts.candidate)]);
    return {
      scenario: scenario.name,
      metric,
      pipelines: run.plans.map((p) => p.name),
      person: run.requests.person,
      byView,
      seed: scenario.seed,
      replicates: scenario.eval.bootstrap,
      level: run.results.config.level,
    };
  } finally {
    disposeModels(run.models);
  }
}

async function fromRunFolder(opts: GateOptions): Promise<GateValues> {
  if (opts.sets?.length || opts.seed !== undefined) throw new InputError(jobMsg.gateRunFolderOptions(opts.input));
  const results = readResults(opts.input);
  const names = results.models.map((m) => m.name);
  for (const m of [opts.baseline, opts.candidate]) if (!names.includes(m)) throw new InputError(jobMsg.gateUnknownModel(m, opts.input, names));
  const metric = opts.metric ?? results.config.primaryMetric;
  if (!results.config.metrics.includes(metric)) throw new InputError(jobMsg.gateUnknownMetric(metric, results.config.metrics));
  const pipelines = results.pipelines.map((p) => p.name);
  const table = await readRequestTable(
    opts.input,
    ['frozen', ...pipelines].flatMap((view) => [`${opts.baseline}.${view}.${metric}`, `${opts.candidate}.${view}.${metric}`]),
  );
  const byView = new Map<string, [Float64Array, Float64Array]>();
  for (const view of ['frozen', ...pipelines])
    byView.set(view, [table.numbers(`${opts.baseline}.${view}.${metric}`), table.numbers(`${opts.candidate}.${view}.${metric}`)]);
  return {
    scenario: results.scenario.name,
    metric,
    pipelines,
    // External person ids: a stable cluster id per person whatever the row order.
    person: Int32Array.from(table.persons, (p) => hashString(p) >>> 1),
    byView,
    seed: results.scenario.seed,
    replicates: results.config.bootstrap,
    level: results.config.level,
  };
}

/** A difference's direction when its interval excludes 0, else 0. */
function direction(d: GateDifference): number {
  const { lo, hi } = d.difference;
  return Number.isFinite(lo) && lo > 0 ? 1 : Number.isFinite(hi) && hi < 0 ? -1 : 0;
}

function disagreement(offline: GateDifference, served: GateDifference, candidate: string, pipeline: string): string {
  const [o, s] = [direction(offline), direction(served)];
  if (o === s) return '';
  const word = (x: number) => (x > 0 ? 'wins' : x < 0 ? 'loses' : 'shows no detectable difference');
  return jobMsg.gateDisagree(candidate, word(o), word(s), pipeline);
}

/**
 * The decision and the differences as plain text for the terminal.
 *
 * @example
 * gateText(await runGate({ ... })).split('\n')[0] // 'gate: PASS ...'
 */
export function gateText(g: GateReport): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
  const ci = (i: Interval) => (Number.isFinite(i.lo) ? `${f(i.mean)} [${f(i.lo)}, ${f(i.hi)}]` : `${f(i.mean)} (no interval)`);
  const lines = [`gate: ${g.decision.toUpperCase()}: ${headline(g)}`, ''];
  const rows = [['view', g.baseline, g.candidate, 'candidate - baseline', 'p']];
  for (const d of [g.offline, ...g.pipelines])
    rows.push([
      d.view === 'frozen' ? 'offline (frozen)' : d.view,
      f(d.baseline),
      f(d.candidate),
      ci(d.difference),
      Number.isFinite(d.pValue) ? d.pValue.toPrecision(2) : 'n/a',
    ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    lines.push(
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    );
  if (g.disagreement) lines.push('', g.disagreement);
  return lines.join('\n');
}

/** The one-line reason for the decision. */
function headline(g: GateReport): string {
  const level = Math.round(g.level * 100);
  const i = g.served.difference;
  const at = `${g.metric} under ${g.pipeline}, ${g.candidate} - ${g.baseline} = ${i.mean.toFixed(4)}`;
  if (g.decision === 'pass') return jobMsg.gatePass(at, level, i.lo, g.margin);
  if (g.decision === 'fail') return jobMsg.gateFail(at, level, i.hi, g.margin);
  if (g.reason) return `${at}; ${g.reason}`;
  return jobMsg.gateInconclusive(at, level, i.lo, i.hi, g.margin, g.persons, g.personsNeeded);
}

/**
 * GitHub-flavoured Markdown for a pull-request comment: the decision, then offline and served side by side.
 *
 * @example
 * writeFileSync('gate.md', gateMarkdown(report));
 */
export function gateMarkdown(g: GateReport): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const ci = (i: Interval) => (Number.isFinite(i.lo) ? `${f(i.mean)} [${f(i.lo)}, ${f(i.hi)}]` : `${f(i.mean)} (no interval)`);
  const icon = { pass: '✅', fail: '❌', inconclusive: '⚠️' }[g.decision];
  const lines = [
    `## ${icon} recgap gate: ${g.decision} (${code(g.candidate)} vs ${code(g.baseline)})`,
    '',
    headline(g).replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')),
    '',
    `| view | ${code(g.baseline)} | ${code(g.candidate)} | candidate − baseline (${Math.round(g.level * 100)}% interval, paired) | p |`,
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const d of [g.offline, ...g.pipelines]) {
    const view = d.view === 'frozen' ? 'offline (frozen view)' : `served: ${code(d.view)}${d.view === g.pipeline ? ' (production)' : ''}`;
    lines.push(`| ${view} | ${f(d.baseline)} | ${f(d.candidate)} | ${ci(d.difference)} | ${Number.isFinite(d.pValue) ? d.pValue.toPrecision(2) : 'n/a'} |`);
  }
  if (g.disagreement) lines.push('', `**${g.disagreement}**`);
  lines.push(
    '',
    `Scenario ${code(g.scenario)}: ${g.requests.toLocaleString('en-US')} requests from ${g.persons.toLocaleString('en-US')} persons; ` +
      `margin ${g.margin}: the candidate passes when the whole interval lies above −${g.margin}, fails when all of it lies below. Metric ${g.metric}; intervals resample persons.`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `recgap gate` with its output: claim `<outDir>/<scenario>-gate/` before any work (a folder recgap did not
 * write is refused, not replaced), decide, then write gate.md and gate.json into it.
 *
 * @example
 * const { dir, report } = await gateJob({ input: 'scenarios/quickstart.yaml', baseline: 'pop', candidate: 'knn', outDir: 'reports' });
 */
export async function gateJob(opts: GateOptions & { outDir: string }): Promise<{ dir: string; report: GateReport }> {
  const folder = isRunFolder(opts.input);
  const scenario = folder ? null : prepareScenario(opts.input, opts.sets ?? [], opts.seed);
  // A scenario the machine cannot hold is refused before anything runs, as recgap run does.
  if (scenario) guardMemory(memoryInput(scenario), { workers: opts.workers, force: opts.force, budget: opts.budget });
  const name = scenario ? scenario.name : readResults(opts.input).scenario.name;
  using out = claimOutput({
    outDir: opts.outDir,
    name: `${name}-gate`,
    kind: 'gate',
    inputs: [{ what: folder ? 'the run folder' : 'the scenario', path: opts.input }],
  });
  const report = await runGate(opts);
  const dir = out.write([
    { name: 'gate.md', content: gateMarkdown(report) },
    { name: 'gate.json', content: jsonText(report) },
  ]);
  return { dir, report };
}
