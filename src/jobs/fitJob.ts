// `recgap fit`: fit a scenario's models once and measure its pipelines' identity resolution quality, into a
// fit folder (fitFolder.ts) that the shards of a sharded run load with `--fitted` instead of fitting each.
import { fitRun, planRun } from '../run/prepare.ts';
import { claimOutput } from '../results/output.ts';
import { loadLog } from '../run/loadLog.ts';
import { disposeModels } from '../models/model.ts';
import type { Scenario } from '../scenario/types.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';
import { guardMemory } from './resources.ts';
import { memoryInput } from './memoryEstimate.ts';
import { scenarioInputs } from './outputs.ts';
import { fitFiles, fitFolderName } from './fitFolder.ts';
import { jobMsg } from './messages.ts';

export interface FitJobOptions {
  scenario: Scenario;
  /** The scenario's file, when it came from one: an input the output folder may not hold. */
  scenarioFile?: string;
  outDir: string;
  reporter?: Reporter;
  /** Fit even when the memory estimate exceeds the available memory (--force). */
  force?: boolean;
}

/**
 * Write `outDir/<name>.fit/`: fit.json (what the fit was made from, the identity quality of the scenario's
 * pipelines) and each saveable model under models/<name>/.
 *
 * @example
 * const { dir } = await fitJob({ scenario: prepareScenario('scenarios/quickstart.yaml'), outDir: 'reports' });
 * // then, on each machine: recgap run scenarios/quickstart.yaml --shard i/n --fitted reports/quickstart.fit
 */
export async function fitJob(opts: FitJobOptions): Promise<{ dir: string; summary: string }> {
  const reporter = opts.reporter ?? silentReporter();
  using out = claimOutput({
    outDir: opts.outDir,
    name: fitFolderName(opts.scenario.name),
    kind: 'fit',
    inputs: scenarioInputs(opts.scenario, opts.scenarioFile),
  });
  // The fit holds what a run holds before its replay: the run's estimate without replaying any request.
  guardMemory(memoryInput(opts.scenario), { force: opts.force, replayedShare: 0, what: 'this fit' });
  const { log, provenance } = await loadLog(opts.scenario, reporter);
  if (opts.scenario.log)
    guardMemory(memoryInput(opts.scenario), {
      force: opts.force,
      replayedShare: 0,
      what: 'this fit',
      loaded: { events: log.length, items: log.dict.item.length },
    });
  const fitted = await fitRun(opts.scenario, { log, provenance }, reporter);
  let files: ReturnType<typeof fitFiles>;
  try {
    // The requests are built: they and the identity-quality pass over them count before that pass runs.
    guardMemory(memoryInput(opts.scenario), {
      force: opts.force,
      replayedShare: 0,
      what: 'this fit',
      loaded: { events: log.length, items: log.dict.item.length },
      built: fitted.sampledFrom,
    });
    // Identity quality over the full request set, once, into fitted.reuse.quality.
    planRun(fitted, opts.scenario, reporter);
    files = fitFiles(opts.scenario, fitted);
  } finally {
    disposeModels(fitted.models);
  }
  const write = reporter.stage('write output');
  const dir = out.write(files);
  write.end(dir);
  return {
    dir,
    summary: jobMsg.fitSummary(
      opts.scenario.name,
      fitted.models.map((m) => m.name),
      fitted.counts.events,
      fitted.reuse.quality.size,
      dir,
    ),
  };
}
