// The main job (`recgap run`): scenario -> log -> fitted models -> requests -> replay through the frozen
// view and every serving configuration -> paired results. Stages:
//   1. world: generate the synthetic log (or, later, read one)
//   2. split: train until the split; fit each model on the frozen view of training history
//   3. requests: session starts after the split, labels in [t, t + W), censoring
//   4. replay: frozen view + each distinct serving configuration (pipelines and decomposition subsets)
//   5. assemble: bootstrap intervals, gaps, Shapley shares, signal age, comparisons
import type { Scenario } from '../scenario/types.ts';
import type { EventLog } from '../log/eventLog.ts';
import { createReporter, type Reporter } from '../util/progress.ts';
import { formatDurationMs } from '../util/duration.ts';
import { msg } from '../errors.ts';
import { tfRuntime } from '../tf/runtime.ts';
import type { LogProvenance } from '../results/results.ts';
import { lowerBoundTime } from '../log/groupIndex.ts';
import { fitModel } from '../models/fit.ts';
import { disposeModels, type Model } from '../models/model.ts';
import type { Requests } from '../eval/requests.ts';
import { frozenSource, servedSource, viewIndexesOf } from '../eval/viewSource.ts';
import { replay, Replayer, type SourceResult } from '../eval/replay.ts';
import { ViewMemo } from '../eval/viewMemo.ts';
import { replayServed } from '../eval/replayServed.ts';
import { forEachPhase, phaseConfig as phaseConfigOf } from '../pipeline/phases.ts';
import { ClusterBootstrap, effectivePersons } from '../stats/bootstrap.ts';
import { METRIC_COUNT } from '../eval/metrics.ts';
import { describeConfig, retrainSignature, retrainSchedule, visibleCutMs, type ServingConfig } from '../pipeline/serving.ts';
import { assemble, signalAgeStats, type PipelinePlan } from './assemble.ts';
import { RESULTS_VERSION, type Results } from '../results/results.ts';
import { emptySource, scatterSource, takeRequests, wholePart, type RequestPart } from '../eval/partition.ts';
import { replayInWorkers } from './workers.ts';
import { planRun, prepareRun, type FitOptions, type FittedRun, type PreparedRun, type RunFrame } from './prepare.ts';
import { keepOnly, sourceKey } from './reuse.ts';

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

export interface RunOptions extends Pick<FitOptions, 'loadModel' | 'quality'> {
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
  /**
   * Plan this run on a fit made by fitRun for a scenario with the same fitSignature (one that differs at
   * most in pipelines, K, bootstrap, level, age bins, phases or business settings) instead of fitting
   * again; `log` and `provenance` are then the fit's. The results are those of the run made alone. The
   * fit's models stay usable (its caller disposes them), and per-request tables the previous run on the
   * same fit replayed for an identical configuration are reused, not replayed again.
   */
  fitted?: FittedRun;
  /**
   * Called once the run is planned, before the replay, with what the replay will hold: the requests, the
   * views (frozen + serving configurations) and the models, and the requests built (before a person sample
   * took its part). The CLI checks memory again here (runJob).
   */
  beforeReplay?: (plan: { requests: number; built: number; views: number; models: number }) => void;
}

/**
 * Run a normalized scenario end to end and return results plus the per-request tables.
 *
 * @example
 * const { results } = await runScenario(loadScenario('scenarios/quickstart.yaml'));
 */
export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunOutput> {
  const rep = opts.reporter ?? createReporter();
  const prep = opts.fitted ? planRun(opts.fitted, scenario, rep) : await prepareRun(scenario, opts, rep);
  let sources: SourceResult[];
  let results: Results;
  try {
    opts.beforeReplay?.({ requests: prep.requests.length, built: prep.frame.config.sampledFrom, views: prep.configs.length + 1, models: prep.models.length });
    sources = await replayRequests(prep, wholePart(prep.requests), {
      reporter: rep,
      workers: opts.workers ?? 1,
      reuse: opts.fitted?.reuse.sources,
    });
    results = finishRun(prep.frame, prep.requests, sources, rep, { threads: opts.workers ?? 1 });
  } catch (e) {
    // An external model's process must not outlive a failed run (nor TensorFlow.js memory a library caller's);
    // a shared fit's models are its caller's to dispose.
    if (!opts.fitted) disposeModels(prep.models);
    throw e;
  }
  // Models of a shared fit belong to its caller, who disposes them once, after the last run.
  if (!opts.keepModels && !opts.fitted) disposeModels(prep.models);
  return { results, log: prep.log, requests: prep.requests, models: prep.models, sources, plans: prep.plans, configs: prep.configs };
}

/**
 * Stage 4: replay `part` of the requests through the frozen view and every serving configuration;
 * tables are indexed like `part`. Retrained models walk each retrain schedule's cuts once, fitted on
 * each cut and shared by every source on that schedule. With `reuse` (tables of the full request set on
 * the same fit, by sourceKey; runScenario passes a fit's), tables found there are taken as they are, and
 * the map is left holding this run's tables only.
 *
 * @example
 * const sources = await replayRequests(prep, wholePart(prep.requests), { reporter, workers: 2 });
 */
export async function replayRequests(
  prep: PreparedRun,
  part: RequestPart,
  opts: { reporter: Reporter; workers: number; reuse?: Map<string, SourceResult> },
): Promise<SourceResult[]> {
  const { log, models, configs, scenario } = prep;
  const rep = opts.reporter;
  const ks = scenario.eval.ks;
  // excludeSeen 'view': each view masks the items of its own positive events ('person' rides on the requests).
  const viewSeen = scenario.eval.excludeSeen === 'view' ? prep.fit.isPositive : undefined;
  const sources: SourceResult[] = new Array(configs.length + 1);
  const keys = opts.reuse ? [sourceKey(scenario, null), ...configs.map((cfg) => sourceKey(scenario, cfg))] : [];
  keys.forEach((key, s) => {
    const kept = opts.reuse!.get(key);
    if (kept) sources[s] = kept;
  });
  const plain = [0, ...configs.flatMap((cfg, i) => (cfg.retrainMs === null ? [i + 1] : []))].filter((s) => !sources[s]);
  if (opts.workers > 1 && part.length > 0 && plain.length > 0) {
    const what = plain[0] === 0 ? `frozen view + ${plain.length - 1}` : `${plain.length}`;
    const st = rep.stage(`replay ${what} configurations in ${opts.workers} worker threads`);
    const out = await replayInWorkers(prep, part, plain, opts.workers, (d, t) => st.tick(d, t));
    plain.forEach((s, j) => (sources[s] = out[j]));
    st.end();
  } else {
    const indexOf = viewIndexesOf(log, prep.byPerson);
    const memo = new ViewMemo(part.length, models);
    for (const s of plain) {
      memo.begin();
      if (s === 0) {
        const fz = rep.stage('replay frozen view');
        sources[0] = replay(log, part, frozenSource(log, prep.byPerson), models, { ks, viewSeen, memo, onProgress: (d, t) => fz.tick(d, t) });
        fz.end();
      } else {
        const cfg = configs[s - 1];
        const st = rep.stage(`replay ${describeConfig(cfg, log.dict.channel)}`);
        sources[s] = replayServed(log, part, cfg, models, indexOf(cfg), { ks, viewSeen, memo, onProgress: (d, t) => st.tick(d, t) });
        st.end();
      }
      memo.commit(sources[s]);
    }
  }

  // Retrained models walk each retrain schedule's cuts once (per phase, for a schedule averaged over its
  // phase), fitted on each cut and shared by every source on that schedule.
  const indexOf = viewIndexesOf(log, prep.byPerson);
  const cols = ks.length * METRIC_COUNT;
  const schedules = new Map<string, number[]>();
  configs.forEach((cfg, i) => {
    if (cfg.retrainMs === null || sources[i + 1]) return;
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
  if (opts.reuse) {
    keys.forEach((key, s) => opts.reuse!.set(key, sources[s]));
    keepOnly(opts.reuse, new Set(keys));
  }
  return sources;
}

/**
 * Stage 5: results.json from the frame and full per-request tables (the same whether they come from one
 * process, worker threads or merged shards): bootstrap intervals, gaps, Shapley shares, signal age.
 * `opts.threads` (default 1) splits the bootstrap replicates over that many threads; results are the same
 * for any count.
 *
 * @example
 * const results = finishRun(prep.frame, prep.requests, sources, reporter, { threads: 2 });
 */
export function finishRun(
  frame: RunFrame,
  requests: Pick<Requests, 'length' | 'person'>,
  sources: readonly SourceResult[],
  rep: Reporter,
  opts: { threads?: number } = {},
): Results {
  const asm = rep.stage('bootstrap and decomposition');
  // Intervals and p-values resample persons: with too few of them (or requests concentrated on a handful)
  // they would look precise and mean nothing, so they are left out (NaN) and the run says why.
  const persons = effectivePersons(requests.person);
  const resample = persons.effective >= MIN_EFFECTIVE_PERSONS;
  const bootstrap = new ClusterBootstrap(requests.person, {
    seed: frame.bootstrapSeed,
    replicates: resample ? frame.config.bootstrap : 0,
    level: frame.config.level,
    threads: opts.threads ?? 1,
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
