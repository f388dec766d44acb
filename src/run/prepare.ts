// Everything a run knows before replaying requests, in two steps so that runs differing only in their
// pipelines (a sweep over refresh cadences, resolvers, thresholds) fit their models once:
//   fitRun   stages 1-3: the log, the split, the fitted models, the requests and the log's counts. It reads
//            the scenario only through fitInputs(): the seed, the world or data source, the split, the
//            models, and the eval settings that choose requests (window, positives, excludeSeen, sample).
//   planRun  the serving configurations of the scenario's pipelines (and decomposition subsets), their
//            identity resolution quality, and the request-independent part of results.json.
// prepareRun = planRun(fitRun()). A run planned on a shared fit is the run `recgap run` makes alone: the
// fit cannot have read anything that differs between the two scenarios (fitSignature).
import type { EvalSpec, ModelSpec, Scenario, TrainUntil } from '../scenario/types.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { Requests } from '../eval/requests.ts';
import { Rng } from '../util/rng.ts';
import type { Reporter } from '../util/progress.ts';
import { formatDurationMs } from '../util/duration.ts';
import { InputError, RunError, msg } from '../errors.ts';
import { fillUnknownPersons } from '../log/persons.ts';
import { resolutionQuality } from '../pipeline/resolutionQuality.ts';
import { generateWorld } from '../world/generate.ts';
import { groupEvents, lowerBoundTime, type GroupIndex } from '../log/groupIndex.ts';
import { fitModel } from '../models/fit.ts';
import { disposeModels, type FitContext, type Model } from '../models/model.ts';
import { buildRequests, positiveMask } from '../eval/requests.ts';
import { metricKeys } from '../eval/metrics.ts';
import { sampleRequests } from '../eval/partition.ts';
import { configSignature, describeConfig, servingConfigOf, type PhasePlan, type ServingConfig } from '../pipeline/serving.ts';
import { factorsOf, subsetConfigs } from '../pipeline/factors.ts';
import type { PipelinePlan } from './assemble.ts';
import type { LogProvenance, PipelineSummary, Results, ScheduleSummary } from '../results/results.ts';
import type { ResolutionQuality } from '../identity/quality.ts';
import { countSessions, testPeriodCounts } from './counts.ts';
import { emptyReuse, keepOnly, qualityKey, type RunReuse } from './reuse.ts';

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

/** The only parts of a scenario stages 1-3 read. */
export type FitInputs = Pick<Scenario, 'seed' | 'world' | 'log' | 'train' | 'models'> & {
  eval: Pick<EvalSpec, 'windowMs' | 'positives' | 'excludeSeen' | 'sample'>;
  /** The largest K, told to external (command, http) models in their handshake; absent without one. */
  kMax?: number;
};

/**
 * The parts of a scenario that fitting and choosing requests read. Pipelines, K, bootstrap, level, age
 * bins, phases and business settings are not among them.
 *
 * @example
 * fitInputs(scenario).eval // { windowMs: 604800000, positives: ['purchase'], excludeSeen: 'none', sample: 1 }
 */
export function fitInputs(s: Scenario): FitInputs {
  const { windowMs, positives, excludeSeen, sample } = s.eval;
  const inputs: FitInputs = { seed: s.seed, world: s.world, log: s.log, train: s.train, models: s.models, eval: { windowMs, positives, excludeSeen, sample } };
  // An external model is told the largest K when it starts, so K is then part of what its fit saw.
  if (s.models.some((m) => m.type === 'command' || m.type === 'http')) inputs.kMax = s.eval.ks[s.eval.ks.length - 1];
  return inputs;
}

/**
 * Scenarios with the same signature share one fit (fitRun): the same log, models and requests.
 *
 * @example
 * fitSignature(loadScenario(f, ['pipelines.0.refresh=1d'])) === fitSignature(loadScenario(f, ['pipelines.0.refresh=7d'])) // true
 */
export function fitSignature(s: Scenario): string {
  return JSON.stringify(fitInputs(s));
}

/** What fitRun is given beyond the scenario. */
export interface FitOptions {
  /** Use this log instead of generating the scenario's world (required for `data:` scenarios). */
  log?: EventLog;
  /** How the log was produced, recorded in results.json. */
  provenance?: LogProvenance;
  /**
   * Models fitted earlier on this very log and split (a fit folder, `recgap fit`): the model of `spec`
   * bound to the log, or null to fit it here (models without a saved state: random, external ones).
   */
  loadModel?: (spec: ModelSpec, log: EventLog) => Promise<Model | null>;
  /** Resolution quality measured earlier on this fit, by qualityKey (reuse.ts): planRun takes it as it is. */
  quality?: ReadonlyMap<string, ResolutionQuality>;
}

/** Stages 1-3 of a run, shareable by every scenario with its `signature`. */
export interface FittedRun {
  /** fitSignature of the scenarios this fit serves. */
  signature: string;
  log: EventLog;
  provenance: LogProvenance;
  /** Fitted models; whoever called fitRun disposes them (disposeModels) once no run needs them. */
  models: Model[];
  requests: Requests;
  /** Requests before the person sample. */
  sampledFrom: number;
  byPerson: GroupIndex;
  fit: PreparedRun['fit'];
  counts: Results['counts'];
  /** What the latest run on this fit computed that the next one may reuse (see reuse.ts). */
  reuse: RunReuse;
}

/**
 * Stages 1-3: the log (generated unless given), the split, the fitted models, the requests and the counts.
 *
 * @example
 * const fitted = await fitRun(scenario, { log, provenance }, reporter);
 * try { ... runScenario(other, { fitted }) ... } finally { disposeModels(fitted.models); }
 */
export async function fitRun(scenario: Scenario, opts: FitOptions, rep: Reporter): Promise<FittedRun> {
  // Only fitInputs reach the stages: anything else in the scenario cannot change what they produce.
  return fitFrom(fitInputs(scenario), opts, rep);
}

async function fitFrom(inputs: FitInputs, opts: FitOptions, rep: Reporter): Promise<FittedRun> {
  const root = Rng.fromSeed(inputs.seed);

  // 1. The log; anonymous events get a stand-in person per key so labels and frozen views exist.
  let input = opts.log;
  if (!input) {
    if (!inputs.world) throw new RunError(msg.dataScenarioWithoutLog());
    const s = rep.stage('generate world');
    input = generateWorld(inputs.world, root.fork('world'), (d, t) => s.tick(d, t)).log;
    s.end(
      `${input.length.toLocaleString('en-US')} events, ${input.dict.person.length.toLocaleString('en-US')} persons, ${input.dict.key.length.toLocaleString('en-US')} keys`,
    );
  }
  if (input.length === 0) throw new InputError(msg.emptyLog());
  const { log, standIns, anonymousEvents } = fillUnknownPersons(input);

  // 2. Split and fit.
  const { windowMs, positives, excludeSeen, sample } = inputs.eval;
  const isPositive = positiveMask(log, positives);
  const untilMs = splitTime(log, inputs.train.until);
  const trainBound = lowerBoundTime(log.tsMs, untilMs);
  // Moving the split cannot help a log whose events all share one time: say that instead.
  if (trainBound === 0 && log.tsMs[0] === log.tsMs[log.length - 1]) throw new InputError(msg.singleTimestamp(log.length, new Date(log.tsMs[0]).toISOString()));
  if (trainBound === 0) throw new InputError(msg.emptyTraining(new Date(untilMs).toISOString()));
  const byPerson = groupEvents(log.person, log.dict.person.length);
  const fitStage = rep.stage(opts.loadModel ? 'load fitted models' : 'fit models');
  const models: Model[] = [];
  try {
    // Sequentially: models may train on the same backend and report progress in turn.
    for (const spec of inputs.models)
      models.push(
        (opts.loadModel ? await opts.loadModel(spec, log) : null) ??
          (await fitModel(spec, {
            log,
            trainBound,
            untilMs,
            isPositive,
            trainByPerson: byPerson,
            rng: root.fork('models'),
            onProgress: (line) => rep.log(`${spec.name}: ${line}`),
            kMax: inputs.kMax,
          })),
      );
    fitStage.end(`${models.map((m) => m.name).join(', ')} on ${trainBound.toLocaleString('en-US')} events before ${new Date(untilMs).toISOString()}`);

    // 3. Requests.
    const reqStage = rep.stage('build requests');
    const all = buildRequests(log, { untilMs, windowMs, isPositive, excludeSeen });
    const requests = sampleRequests(all, log.dict.person, sample);
    const c = requests.counts;
    if (c.candidates - c.censored === 0) throw new InputError(msg.noRequests(new Date(untilMs).toISOString(), formatDurationMs(windowMs)));
    if (all.length === 0) throw new InputError(msg.noLabelledRequests(c.candidates - c.censored, positives.join(', ')));
    if (c.requests === 0) throw new InputError(msg.sampleKeepsNone(sample, all.length));
    const sampled = sample < 1 ? ` in a ${+(100 * sample).toPrecision(4)}% person sample of ${all.length.toLocaleString('en-US')}` : '';
    reqStage.end(`${c.requests.toLocaleString('en-US')} requests${sampled} (${c.censored} censored, ${c.noLabels} without labels)`);

    const counts: Results['counts'] = {
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
    };
    return {
      signature: JSON.stringify(inputs),
      log,
      provenance: opts.provenance ?? { source: 'world', ingest: null, fragment: null, drift: null },
      models,
      requests,
      sampledFrom: all.length,
      byPerson,
      fit: { log, trainBound, untilMs, isPositive, trainByPerson: byPerson, root, kMax: inputs.kMax },
      counts,
      reuse: { ...emptyReuse(), quality: new Map(opts.quality ?? []) },
    };
  } catch (e) {
    // Nobody else holds the models yet: release their TensorFlow.js memory before the error leaves.
    disposeModels(models);
    throw e;
  }
}

/**
 * Stage 4 and the identity-quality pass on a fit: the scenario's serving configurations, the resolution
 * quality of each pipeline, warnings and the run frame. `scenario` must have the fit's signature.
 * Resolution quality the previous run on the same fit measured for an identical configuration is reused.
 *
 * @example
 * const prep = planRun(fitted, loadScenario(file, ['pipelines.0.refresh=1d']), reporter);
 */
export function planRun(fitted: FittedRun, scenario: Scenario, rep: Reporter): PreparedRun {
  if (fitSignature(scenario) !== fitted.signature) {
    throw new RangeError('planRun: the scenario differs from the fitted run in its log, split, models or requests (fitSignature)');
  }
  const { log, requests, byPerson } = fitted;
  const { untilMs } = fitted.fit;
  const root = Rng.fromSeed(scenario.seed);

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
  let allIdx: { byKey: GroupIndex; byPerson: GroupIndex } | null = null;
  const kept = fitted.reuse.quality;
  const used = new Set<string>();
  const identity = plans.map((plan) => {
    const cfg = configs[plan.source - 1];
    const key = qualityKey(scenario, cfg);
    used.add(key);
    let q = kept.get(key);
    if (!q) {
      allIdx ??= { byKey: groupEvents(log.key, log.dict.key.length), byPerson };
      q = resolutionQuality(log, cfg, requests, allIdx);
      kept.set(key, q);
    }
    return q;
  });
  keepOnly(kept, used);
  const warnings = scheduleWarnings(scenario, log.tsMs[log.length - 1] - scenario.eval.windowMs - untilMs);
  const kMax = scenario.eval.ks[scenario.eval.ks.length - 1];
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
      sampledFrom: fitted.sampledFrom,
      until: new Date(untilMs).toISOString(),
      untilMs,
    },
    log: fitted.provenance,
    counts: fitted.counts,
    models: fitted.models.map((m) => ({ name: m.name, type: m.type, saved: null })),
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
  return { scenario, log, models: fitted.models, requests, configs, plans, byPerson, fit: fitted.fit, frame };
}

/**
 * Stages 1-3 and the identity-quality pass: log, split, fitted models, requests, serving configurations.
 *
 * @example
 * const prep = await prepareRun(scenario, { log }, reporter);
 */
export async function prepareRun(scenario: Scenario, opts: FitOptions, rep: Reporter): Promise<PreparedRun> {
  const fitted = await fitRun(scenario, opts, rep);
  try {
    return planRun(fitted, scenario, rep);
  } catch (e) {
    disposeModels(fitted.models);
    throw e;
  }
}

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
function splitTime(log: EventLog, until: TrainUntil): number {
  if (until.kind === 'time') return until.tsMs;
  return log.tsMs[Math.min(log.length - 1, Math.floor(until.q * log.length))];
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
