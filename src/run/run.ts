// The main job (`recgap run`): scenario -> log -> fitted models -> requests -> replay through the frozen
// view and every serving configuration -> paired results. Stages:
//   1. world: generate the synthetic log (or, later, read one)
//   2. split: train until the split; fit each model on the frozen view of training history
//   3. requests: session starts after the split, labels in [t, t + W), censoring
//   4. replay: frozen view + each distinct serving configuration (pipelines and decomposition subsets)
//   5. assemble: bootstrap intervals, gaps, Shapley shares, signal age, comparisons
import type { Scenario } from '../scenario/types.ts';
import type { EventLog } from '../log/eventLog.ts';
import { Rng } from '../util/rng.ts';
import { createReporter, type Reporter } from '../util/progress.ts';
import { formatDurationMs } from '../util/duration.ts';
import { InputError, RunError, msg } from '../errors.ts';
import { fillUnknownPersons } from '../log/persons.ts';
import { tfRuntime } from '../tf/runtime.ts';
import { resolutionQuality } from '../pipeline/resolutionQuality.ts';
import type { LogProvenance } from '../results/results.ts';
import { generateWorld } from '../world/generate.ts';
import { groupEvents, lowerBoundTime, type GroupIndex } from '../log/groupIndex.ts';
import { fitModel } from '../models/fit.ts';
import { disposeModels, type FitContext, type Model } from '../models/model.ts';
import { buildRequests, positiveMask, type Requests } from '../eval/requests.ts';
import { frozenSource, servedSource, viewIndexesOf } from '../eval/viewSource.ts';
import { replay, Replayer, type SourceResult } from '../eval/replay.ts';
import { replayServed } from '../eval/replayServed.ts';
import { forEachPhase, phaseConfig as phaseConfigOf } from '../pipeline/phases.ts';

import { ClusterBootstrap, effectivePersons } from '../stats/bootstrap.ts';
import { METRIC_COUNT, metricKeys } from '../eval/metrics.ts';
import {
  configSignature,
  describeConfig,
  retrainSignature,
  retrainSchedule,
  servingConfigOf,
  visibleCutMs,
  type PhasePlan,
  type ServingConfig,
} from '../pipeline/serving.ts';
import { factorsOf, subsetConfigs } from '../pipeline/factors.ts';
import { assemble, signalAgeStats, type PipelinePlan } from './assemble.ts';
import { RESULTS_VERSION, type PipelineSummary, type Results, type ScheduleSummary } from '../results/results.ts';
import type { ResolutionQuality } from '../identity/quality.ts';
import { emptySource, sampleRequests, scatterSource, takeRequests, wholePart, type RequestPart } from '../eval/partition.ts';
import { replayInWorkers } from './workers.ts';

export interface RunOutput {
  results: Results;
  log: EventLog;
  requests: Requests;
  models: Model[];
  /** Per-request tables: sources[0] frozen, then one per distinct serving configuration. */
  sources: SourceResult[];
  plans: PipelinePlan[];
  /** The serving configuration of sources[i] is configs[i - 1]. */
  configs: ServingConfig[];
}

export interface RunOptions {
  reporter?: Reporter;
  /** Use this log instead of generating the scenario's world (required for `data:` scenarios). */
  log?: EventLog;
  /** How the log was produced, recorded in results.json. */
  provenance?: LogProvenance;
  /**
   * Return the fitted models usable (for saving or more scoring); the caller then disposes them
   * (disposeModels). By default models holding TensorFlow.js memory are disposed before returning.
   */
  keepModels?: boolean;
  /** Worker threads for the replay (default 1: in this thread). Results are identical for any count. */
  workers?: number;
}

/**
 * Everything a run knows before replaying requests: the log, fitted models, the full request set, the
 * serving configurations, and the parts of results.json that do not depend on which requests a process
 * replays (a shard's frame is the same in every shard of a run).
 */
export interface PreparedRun {
  scenario: Scenario;
  log: EventLog;
  models: Model[];
  requests: Requests;
  configs: ServingConfig[];
  plans: PipelinePlan[];
  byPerson: GroupIndex;
  fit: Omit<FitContext, 'rng' | 'onProgress'> & { root: Rng };
  frame: RunFrame;
}

/** The request-independent part of results.json, plus what finishing a run needs (JSON-serializable). */
export interface RunFrame {
  scenario: Scenario;
  config: Results['config'];
  log: LogProvenance;
  counts: Results['counts'];
  models: Results['models'];
  pipelines: Array<Omit<PipelineSummary, 'signalAge' | 'lag' | 'meanViewEvents'>>;
  /** Run-level warnings (results.warnings). */
  warnings: string[];
  plans: PipelinePlan[];
  /** Identity resolution quality per pipeline (computed over the full request set). */
  identity: ResolutionQuality[];
  bootstrapSeed: number;
  /** Number of per-request tables: the frozen view plus each distinct serving configuration. */
  sources: number;
}

/**
 * Run a normalized scenario end to end and return results plus the per-request tables.
 *
 * @example
 * const { results } = await runScenario(loadScenario('scenarios/quickstart.yaml'));
 */
export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunOutput> {
  const rep = opts.reporter ?? createReporter();
  const prep = await prepareRun(scenario, opts, rep);
  let sources: SourceResult[];
  let results: Results;
  try {
    sources = await replayRequests(prep, wholePart(prep.requests), { reporter: rep, workers: opts.workers ?? 1 });
    results = finishRun(prep.frame, prep.requests, sources, rep);
  } catch (e) {
    // An external model's process must not outlive a failed run (nor TensorFlow.js memory a library caller's).
    disposeModels(prep.models);
    throw e;
  }
  if (!opts.keepModels) disposeModels(prep.models);
  return { results, log: prep.log, requests: prep.requests, models: prep.models, sources, plans: prep.plans, configs: prep.configs };
}

/**
 * Stages 1-3 and the identity-quality pass: log, split, fitted models, requests, serving configurations.
 *
 * @example
 * const prep = await prepareRun(scenario, { log }, reporter);
 */
export async function prepareRun(scenario: Scenario, opts: Pick<RunOptions, 'log' | 'provenance'>, rep: Reporter): Promise<PreparedRun> {
  const root = Rng.fromSeed(scenario.seed);

  // 1. The log; anonymous events get a stand-in person per key so labels and frozen views exist.
  let input = opts.log;
  if (!input) {
    if (!scenario.world) throw new RunError(msg.dataScenarioWithoutLog());
    const s = rep.stage('generate world');
    input = generateWorld(scenario.world, root.fork('world'), (d, t) => s.tick(d, t)).log;
    s.end(
      `${input.length.toLocaleString('en-US')} events, ${input.dict.person.length.toLocaleString('en-US')} persons, ${input.dict.key.length.toLocaleString('en-US')} keys`,
    );
  }
  if (input.length === 0) throw new InputError(msg.emptyLog());
  const { log, standIns, anonymousEvents } = fillUnknownPersons(input);

  // 2. Split and fit.
  const isPositive = positiveMask(log, scenario.eval.positives);
  const untilMs = splitTime(log, scenario);
  const trainBound = lowerBoundTime(log.tsMs, untilMs);
  if (trainBound === 0) throw new InputError(msg.emptyTraining(new Date(untilMs).toISOString()));
  const byPerson = groupEvents(log.person, log.dict.person.length);
  const fitStage = rep.stage('fit models');
  const models: Model[] = [];
  const kMax = scenario.eval.ks[scenario.eval.ks.length - 1];
  try {
    // Sequentially: models may train on the same backend and report progress in turn.
    for (const spec of scenario.models)
      models.push(
        await fitModel(spec, {
          log,
          trainBound,
          untilMs,
          isPositive,
          trainByPerson: byPerson,
          rng: root.fork('models'),
          onProgress: (line) => rep.log(`${spec.name}: ${line}`),
          kMax,
        }),
      );
    fitStage.end(`${models.map((m) => m.name).join(', ')} on ${trainBound.toLocaleString('en-US')} events before ${new Date(untilMs).toISOString()}`);
    return prepareRequests(scenario, opts, rep, { root, log, standIns, anonymousEvents, isPositive, untilMs, trainBound, byPerson, models, kMax });
  } catch (e) {
    // What the models hold (an external model's training file, TensorFlow.js memory) goes with a failed preparation.
    disposeModels(models);
    throw e;
  }
}

/** What prepareRun has once the models are fitted. */
interface Fitted {
  root: Rng;
  log: EventLog;
  standIns: number;
  anonymousEvents: number;
  isPositive: Uint8Array;
  untilMs: number;
  trainBound: number;
  byPerson: GroupIndex;
  models: Model[];
  kMax: number;
}

/** Stage 3 and the run's frame, after the models are fitted. */
function prepareRequests(scenario: Scenario, opts: Pick<RunOptions, 'log' | 'provenance'>, rep: Reporter, fitted: Fitted): PreparedRun {
  const { root, log, standIns, anonymousEvents, isPositive, untilMs, trainBound, byPerson, models, kMax } = fitted;

  // 3. Requests.
  const reqStage = rep.stage('build requests');
  const all = buildRequests(log, { untilMs, windowMs: scenario.eval.windowMs, isPositive, excludeSeen: scenario.eval.excludeSeen });
  const requests = sampleRequests(all, log.dict.person, scenario.eval.sample);
  const c = requests.counts;
  if (c.candidates - c.censored === 0) throw new InputError(msg.noRequests(new Date(untilMs).toISOString(), formatDurationMs(scenario.eval.windowMs)));
  if (all.length === 0) throw new InputError(msg.noLabelledRequests(c.candidates - c.censored, scenario.eval.positives.join(', ')));
  if (c.requests === 0) throw new InputError(msg.sampleKeepsNone(scenario.eval.sample, all.length));
  const sampled =
    scenario.eval.sample < 1 ? ` in a ${+(100 * scenario.eval.sample).toPrecision(4)}% person sample of ${all.length.toLocaleString('en-US')}` : '';
  reqStage.end(`${c.requests.toLocaleString('en-US')} requests${sampled} (${c.censored} censored, ${c.noLabels} without labels)`);

  // 4. Every distinct serving configuration (pipelines and decomposition subsets) gets one source. Batch
  // schedules without an origin are averaged over their phase, with one seeded random start per run.
  const originMs = Math.floor(log.tsMs[0] / 86_400_000) * 86_400_000;
  const phaseRng = root.fork('phase');
  const phases: PhasePlan = { count: scenario.eval.phases, seed: phaseRng.nextUint32(), offset: phaseRng.float() / scenario.eval.phases };
  const configs: ServingConfig[] = [];
  const bySignature = new Map<string, number>();
  const sourceOf = (cfg: ServingConfig): number => {
    const sig = configSignature(cfg);
    let i = bySignature.get(sig);
    if (i === undefined) {
      i = configs.length + 1;
      bySignature.set(sig, i);
      configs.push(cfg);
    }
    return i;
  };
  const plans: PipelinePlan[] = scenario.pipelines.map((p) => {
    const cfg = servingConfigOf(p, channelIds(log, p.name, p.channels), originMs, phases);
    const factors = factorsOf(cfg);
    const own = sourceOf(cfg);
    const subsets = subsetConfigs(cfg, factors).map((sub, mask) => (mask === (1 << factors.length) - 1 ? 0 : sourceOf(sub)));
    return { name: p.name, factors, source: own, subsetSources: subsets };
  });

  // Identity resolution quality against the true person, per pipeline (all channels: identity alone),
  // over the full request set (so every shard of a run records the same numbers).
  const idStage = rep.stage('identity resolution quality');
  const allIdx = { byKey: groupEvents(log.key, log.dict.key.length), byPerson };
  const identity = plans.map((plan) => resolutionQuality(log, configs[plan.source - 1], requests, allIdx));
  const warnings = scheduleWarnings(scenario, log.tsMs[log.length - 1] - scenario.eval.windowMs - untilMs);
  // A cut-off beyond the catalogue ranks every item: HR and recall at that K are 1 for any model.
  if (kMax >= log.dict.item.length) warnings.push(msg.kBeyondCatalogue(kMax, log.dict.item.length));
  idStage.end();

  const metrics = metricKeys(scenario.eval.ks);
  const frame: RunFrame = {
    scenario,
    config: {
      ks: scenario.eval.ks,
      metrics,
      primaryMetric: metrics[0],
      window: formatDurationMs(scenario.eval.windowMs),
      windowMs: scenario.eval.windowMs,
      positives: scenario.eval.positives,
      excludeSeen: scenario.eval.excludeSeen,
      bootstrap: scenario.eval.bootstrap,
      level: scenario.eval.level,
      sample: scenario.eval.sample,
      sampledFrom: all.length,
      until: new Date(untilMs).toISOString(),
      untilMs,
    },
    log: opts.provenance ?? { source: 'world', ingest: null, fragment: null, drift: null },
    counts: {
      events: log.length,
      anonymousEvents,
      standInPersons: standIns,
      trainEvents: trainBound,
      persons: log.dict.person.length,
      keys: log.dict.key.length,
      items: log.dict.item.length,
      sessions: countSessions(log),
      candidates: c.candidates,
      censored: c.censored,
      noLabels: c.noLabels,
      requests: c.requests,
      requestPersons: c.persons,
      ...testPeriodCounts(log, trainBound, isPositive),
    },
    models: models.map((m) => ({ name: m.name, type: m.type, saved: null })),
    pipelines: plans.map((plan, i) => {
      const p = scenario.pipelines[i];
      const cfg = configs[plan.source - 1];
      return {
        name: p.name,
        description: describeConfig(cfg, log.dict.channel),
        refresh: p.refresh.kind === 'stream' ? 'stream' : formatDurationMs(p.refresh.cadenceMs),
        latencyMs: p.latencyMs,
        identity: p.identity,
        channels: cfg.channels ? cfg.channels.map((ch) => log.dict.channel[ch]) : 'all',
        retrain: cfg.retrainMs === null ? null : formatDurationMs(cfg.retrainMs),
        factors: plan.factors,
        schedule: scheduleOf(cfg),
      };
    }),
    plans,
    warnings,
    identity,
    bootstrapSeed: root.fork('bootstrap').nextUint32(),
    sources: configs.length + 1,
  };
  return {
    scenario,
    log,
    models,
    requests,
    configs,
    plans,
    byPerson,
    fit: { log, trainBound, untilMs, isPositive, trainByPerson: byPerson, root, kMax },
    frame,
  };
}

/**
 * Stage 4: replay `part` of the requests through the frozen view and every serving configuration;
 * tables are indexed like `part`. Retrained models walk each retrain schedule's cuts once, fitted on
 * each cut and shared by every source on that schedule.
 *
 * @example
 * const sources = await replayRequests(prep, wholePart(prep.requests), { reporter, workers: 2 });
 */
export async function replayRequests(prep: PreparedRun, part: RequestPart, opts: { reporter: Reporter; workers: number }): Promise<SourceResult[]> {
  const { log, models, configs, scenario } = prep;
  const rep = opts.reporter;
  const ks = scenario.eval.ks;
  // excludeSeen 'view': each view masks the items of its own positive events ('person' rides on the requests).
  const viewSeen = scenario.eval.excludeSeen === 'view' ? prep.fit.isPositive : undefined;
  const sources: SourceResult[] = new Array(configs.length + 1);
  const plain = [0, ...configs.flatMap((cfg, i) => (cfg.retrainMs === null ? [i + 1] : []))];
  if (opts.workers > 1 && part.length > 0) {
    const st = rep.stage(`replay frozen view + ${plain.length - 1} configurations in ${opts.workers} worker threads`);
    const out = await replayInWorkers(prep, part, plain, opts.workers, (d, t) => st.tick(d, t));
    plain.forEach((s, j) => (sources[s] = out[j]));
    st.end();
  } else {
    const indexOf = viewIndexesOf(log, prep.byPerson);
    const fz = rep.stage('replay frozen view');
    sources[0] = replay(log, part, frozenSource(log, prep.byPerson), models, { ks, viewSeen, onProgress: (d, t) => fz.tick(d, t) });
    fz.end();
    configs.forEach((cfg, i) => {
      if (cfg.retrainMs !== null) return;
      const st = rep.stage(`replay ${describeConfig(cfg, log.dict.channel)}`);
      sources[i + 1] = replayServed(log, part, cfg, models, indexOf(cfg), { ks, viewSeen, onProgress: (d, t) => st.tick(d, t) });
      st.end();
    });
  }

  // Retrained models walk each retrain schedule's cuts once (per phase, for a schedule averaged over its
  // phase), fitted on each cut and shared by every source on that schedule.
  const indexOf = viewIndexesOf(log, prep.byPerson);
  const cols = ks.length * METRIC_COUNT;
  const schedules = new Map<string, number[]>();
  configs.forEach((cfg, i) => {
    if (cfg.retrainMs === null) return;
    const key = retrainSignature(cfg);
    schedules.set(key, [...(schedules.get(key) ?? []), i]);
  });
  for (const members of schedules.values()) {
    const first = configs[members[0]];
    const st = rep.stage(`replay with models retrained every ${formatDurationMs(first.retrainMs!)} (${members.length} configurations)`);
    const full = members.map(() => emptySource(part.length, models.length, cols));
    let cuts = 0;
    let before = 0;
    const phaseRuns: Array<{ rows: Int32Array | null; k: number }> = [];
    forEachPhase(part, first, (rows, _concrete, k) => phaseRuns.push({ rows, k }));
    for (const { rows, k } of phaseRuns) {
      const sub = rows ? takeRequests(part, rows) : part;
      // Every member shares the schedule and so the phase; each gets its own concrete configuration.
      const concrete = members.map((i) => phaseConfigOf(configs[i], k));
      const schedule = retrainSchedule(concrete[0]);
      const replayers = concrete.map((cfg) => new Replayer(log, sub, servedSource(log, cfg, indexOf(cfg)), models.length, { ks, viewSeen }));
      for (let r0 = 0; r0 < sub.length; ) {
        const cut = visibleCutMs(schedule, sub.tsMs[r0]);
        let r1 = r0 + 1;
        while (r1 < sub.length && visibleCutMs(schedule, sub.tsMs[r1]) === cut) r1++;
        const bound = lowerBoundTime(log.tsMs, cut);
        const refit: Model[] = [];
        try {
          for (const spec of scenario.models)
            refit.push(await fitModel(spec, { ...prep.fit, trainBound: bound, untilMs: cut, rng: prep.fit.root.fork('models') }));
          for (const rp of replayers) rp.advance(r1, refit);
        } finally {
          disposeModels(refit);
        }
        st.tick(before + r1, part.length);
        cuts++;
        r0 = r1;
      }
      before += sub.length;
      replayers.forEach((rp, j) => (rows ? scatterSource(rp.result, rows, full[j], cols) : (full[j] = rp.result)));
    }
    members.forEach((i, j) => (sources[i + 1] = full[j]));
    st.end(`${cuts} retrain cuts`);
  }
  return sources;
}

/**
 * Stage 5: results.json from the frame and full per-request tables (the same whether they come from one
 * process, worker threads or merged shards): bootstrap intervals, gaps, Shapley shares, signal age.
 *
 * @example
 * const results = finishRun(prep.frame, prep.requests, sources, reporter);
 */
export function finishRun(frame: RunFrame, requests: Pick<Requests, 'length' | 'person'>, sources: readonly SourceResult[], rep: Reporter): Results {
  const asm = rep.stage('bootstrap and decomposition');
  // Intervals and p-values resample persons: with too few of them (or requests concentrated on a handful)
  // they would look precise and mean nothing, so they are left out (NaN) and the run says why.
  const persons = effectivePersons(requests.person);
  const resample = persons.effective >= MIN_EFFECTIVE_PERSONS;
  const bootstrap = new ClusterBootstrap(requests.person, {
    seed: frame.bootstrapSeed,
    replicates: resample ? frame.config.bootstrap : 0,
    level: frame.config.level,
  });
  const warnings =
    resample || frame.config.bootstrap === 0
      ? frame.warnings
      : [...frame.warnings, msg.tooFewPersons(persons.distinct, persons.effective, MIN_EFFECTIVE_PERSONS)];
  const {
    results: summaries,
    comparisons,
    modelRanking,
    lag,
  } = assemble({
    models: frame.models,
    ks: frame.config.ks,
    ageEdgesMs: frame.scenario.eval.ageBinEdgesMs,
    nRequests: requests.length,
    sources,
    pipelines: frame.plans,
    bootstrap,
  });
  asm.end(`${frame.config.bootstrap} replicates`);
  const qualityOf = new Map(frame.plans.map((p, i) => [p.name, frame.identity[i]]));
  const meanView = (s: SourceResult) => s.viewSize.reduce((a, b) => a + b, 0) / Math.max(1, s.viewSize.length);
  return {
    version: RESULTS_VERSION,
    scenario: frame.scenario,
    config: frame.config,
    log: frame.log,
    counts: frame.counts,
    models: frame.models,
    pipelines: frame.pipelines.map((p, i) => {
      const served = sources[frame.plans[i].source];
      return { ...p, signalAge: signalAgeStats(served.ageMs), lag: lag.get(p.name)!, meanViewEvents: meanView(served) };
    }),
    frozen: { meanViewEvents: meanView(sources[0]), inactivity: signalAgeStats(sources[0].ageMs) },
    warnings,
    results: summaries.map((r) => ({ ...r, identity: qualityOf.get(r.pipeline)! })),
    comparisons,
    modelRanking,
    runtime: { node: process.version, tfBackend: tfRuntime()?.backend ?? null, threads: tfRuntime()?.threads ?? 1, timingsMs: rep.timings() },
  };
}

/**
 * Below this many effective persons, person-clustered intervals and p-values are not reported: a percentile
 * bootstrap over so few clusters covers far less than its nominal level (a single person gives intervals of
 * width 0).
 */
export const MIN_EFFECTIVE_PERSONS = 20;

/** Where a configuration's batch schedule sits: averaged over its phase, pinned, or none (stream, no retraining). */
function scheduleOf(c: ServingConfig): ScheduleSummary | null {
  if (c.refresh.kind === 'stream' && c.retrainMs === null) return null;
  if (c.phase) return { origin: 'averaged', phases: c.phase.count, periodMs: c.phase.periodMs };
  return { origin: 'pinned', at: new Date(c.originMs).toISOString(), atMs: c.originMs };
}

/**
 * A warning when requests can start over a shorter span than a pipeline's longest cadence: the test
 * period then sees at most one or two cuts of that schedule, and its answer hinges on where they fall.
 */
function scheduleWarnings(scenario: Scenario, evaluatedMs: number): string[] {
  let longest = 0;
  let name = '';
  for (const p of scenario.pipelines) {
    for (const c of [p.refresh.kind === 'batch' ? p.refresh.cadenceMs : 0, p.retrainMs ?? 0]) {
      if (c > longest) [longest, name] = [c, p.name];
    }
  }
  if (longest === 0 || evaluatedMs >= longest) return [];
  return [msg.shortEvaluation(formatDurationMs(Math.max(0, Math.round(evaluatedMs / 60_000) * 60_000)), name, formatDurationMs(longest))];
}

/** The split time: an explicit timestamp, or the q-quantile of event times. */
function splitTime(log: EventLog, scenario: Scenario): number {
  const u = scenario.train.until;
  if (u.kind === 'time') return u.tsMs;
  return log.tsMs[Math.min(log.length - 1, Math.floor(u.q * log.length))];
}

function channelIds(log: EventLog, pipeline: string, channels: string[] | null): number[] | null {
  if (channels === null) return null;
  const ids = channels.map((ch) => {
    const i = log.dict.channel.indexOf(ch);
    if (i < 0) throw new InputError(msg.unknownChannel(pipeline, ch, log.dict.channel));
    return i;
  });
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  // Listing every channel of the log is the same as no silo.
  return unique.length === log.dict.channel.length ? null : unique;
}

/**
 * Visitors and conversions after the split, as analytics would count them (distinct keys: the measured
 * visitors) and as they are (distinct persons). Fragmentation inflates the first and so deflates the
 * measured conversion rate.
 */
function testPeriodCounts(log: EventLog, from: number, isPositive: Uint8Array) {
  const keys = new Uint8Array(log.dict.key.length);
  const persons = new Uint8Array(log.dict.person.length);
  const buyerKeys = new Uint8Array(log.dict.key.length);
  const buyers = new Uint8Array(log.dict.person.length);
  let conversions = 0;
  // Sessions after the split (1) and those with a positive event (2): the conversion rate is a share of sessions.
  let maxSession = -1;
  for (let i = from; i < log.length; i++) if (log.session[i] > maxSession) maxSession = log.session[i];
  const sessionMark = new Uint8Array(maxSession + 1);
  for (let i = from; i < log.length; i++) {
    keys[log.key[i]] = 1;
    persons[log.person[i]] = 1;
    const s = log.session[i];
    if (s >= 0 && sessionMark[s] === 0) sessionMark[s] = 1;
    if (isPositive[log.type[i]]) {
      conversions++;
      buyerKeys[log.key[i]] = 1;
      buyers[log.person[i]] = 1;
      if (s >= 0) sessionMark[s] = 2;
    }
  }
  let sessions = 0;
  let convertingSessions = 0;
  for (let s = 0; s < sessionMark.length; s++) {
    if (sessionMark[s] > 0) sessions++;
    if (sessionMark[s] === 2) convertingSessions++;
  }
  const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  return {
    testEvents: log.length - from,
    testKeys: sum(keys),
    testPersons: sum(persons),
    testConversions: conversions,
    testSessions: sessions,
    testConvertingSessions: convertingSessions,
    testConvertingKeys: sum(buyerKeys),
    testConvertingPersons: sum(buyers),
  };
}

function countSessions(log: EventLog): number {
  let max = -1;
  for (let i = 0; i < log.length; i++) if (log.session[i] > max) max = log.session[i];
  return max + 1;
}
