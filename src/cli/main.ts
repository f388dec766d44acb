// The command line: parse arguments, call one library function, print. What each command does lives in
// src/jobs; the job modules are imported by their handlers, so `recgap schema` or a usage error does not load
// the evaluation, DuckDB or the chart renderer.
import yargs, { type Arguments, type MiddlewareFunction } from 'yargs';
import { writeFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { cliMsg } from './messages.ts';
import { checkOptionValues, durationArg, parseColumnsArg, parseSeed, parseWorkers, type OptionKinds } from './optionValues.ts';
import { reportError } from './ending.ts';
import { createReporter } from '../util/progress.ts';
import { terminal } from '../util/terminal.ts';
import { parseShard } from '../jobs/shard.ts';
import { scenarioJsonSchema } from '../scenario/schema.ts';
import { DATA_FORMATS, type DataFormat } from '../scenario/types.ts';
import { packageVersion } from '../util/version.ts';

const FORCE = 'go ahead even when the memory estimate exceeds the memory available (host or container limit)';

/**
 * Run the CLI with the given arguments; returns the exit code (0 ok, 1 runtime failure, 2 bad input).
 *
 * @example
 * process.exitCode = await main(['run', 'scenarios/quickstart.yaml']);
 */
export async function main(argv: string[]): Promise<number> {
  // Everything printed goes through `term`: control characters from a log's ids never reach the terminal raw.
  const term = terminal();
  // A command may end with a non-zero status of its own (audit --fail-on); errors have theirs in report().
  let status = 0;
  const debug = argv.includes('--debug');
  try {
    await yargs(argv)
      .scriptName('recgap')
      .usage('$0 <command> [options]\n\nMeasure, explain and price the gap between offline recommender metrics and what production serves.')
      .command(
        'run [scenario]',
        'replay a scenario: frozen vs served on the same requests (default: the built-in quickstart)',
        (y) =>
          y
            .positional('scenario', { type: 'string', describe: 'scenario YAML file' })
            .option('out', { type: 'string', default: 'reports', describe: 'output folder; results go to OUT/<name>/' })
            .option('seed', { type: 'string', describe: 'override the scenario seed' })
            .option('set', { type: 'string', array: true, default: [], describe: 'override a setting, e.g. --set world.persons=2000' })
            .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' })
            .option('force', { type: 'boolean', default: false, describe: FORCE })
            .option('workers', {
              type: 'string',
              default: '1',
              describe: 'worker threads for the replay: a number or auto (one per core); results are identical for any count',
            })
            .option('shard', {
              type: 'string',
              describe:
                'replay only shard i of n (i/n, or auto/n from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX) into OUT/<name>.shard-i-of-n/; combine with recgap merge',
            })
            .option('fitted', {
              type: 'string',
              describe: 'a fit folder written by recgap fit for this scenario (OUT/<name>.fit): load its models instead of fitting them',
            }),
        async (a) => {
          const seed = parseSeed(a.seed);
          const shard = a.shard === undefined ? undefined : parseShard(a.shard);
          const workers = parseWorkers(a.workers);
          const { prepareScenario, resolveScenarioPath, runJob } = await import('../jobs/runJob.ts');
          const scenarioFile = resolveScenarioPath(a.scenario);
          const scenario = prepareScenario(scenarioFile, a.set as string[], seed);
          const { dir, summary, reportWarnings } = await runJob({
            scenario,
            scenarioFile,
            outDir: a.out,
            reporter: createReporter({ quiet: a.quiet }),
            force: a.force,
            workers,
            shard,
            fitted: a.fitted,
          });
          for (const w of reportWarnings) term.err(`recgap: warning: ${w}\n`);
          if (shard && shard.count > 1) term.out(`${summary}\nwritten: ${dir}/\n`);
          else
            term.out(
              `${summary}\n\nwritten: ${dir}/results.json, ${dir}/requests.csv, ${dir}/requests.parquet, ${dir}/report.html, ${dir}/summary.md, ${dir}/charts/\n`,
            );
        },
      )
      .command(
        'fit [scenario]',
        "fit a scenario's models once into OUT/<name>.fit/, for the shards of a sharded run (recgap run --shard i/n --fitted DIR)",
        (y) =>
          y
            .positional('scenario', { type: 'string', describe: 'scenario YAML file' })
            .option('out', { type: 'string', default: 'reports', describe: 'output folder; the fit goes to OUT/<name>.fit/' })
            .option('seed', { type: 'string', describe: 'override the scenario seed' })
            .option('set', { type: 'string', array: true, default: [], describe: 'override a setting, e.g. --set world.persons=2000' })
            .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' })
            .option('force', { type: 'boolean', default: false, describe: FORCE }),
        async (a) => {
          const seed = parseSeed(a.seed);
          const { prepareScenario, resolveScenarioPath } = await import('../jobs/runJob.ts');
          const { fitJob } = await import('../jobs/fitJob.ts');
          const scenarioFile = resolveScenarioPath(a.scenario);
          const scenario = prepareScenario(scenarioFile, a.set as string[], seed);
          const { dir, summary } = await fitJob({ scenario, scenarioFile, outDir: a.out, reporter: createReporter({ quiet: a.quiet }), force: a.force });
          term.out(`${summary}\nwritten: ${dir}/fit.json, ${dir}/models/\n`);
        },
      )
      .command(
        'merge <shards..>',
        'combine the shard folders of a sharded run (recgap run --shard i/n) into the results a single run writes',
        (y) =>
          y
            .positional('shards', { type: 'string', array: true, demandOption: true, describe: 'shard folders (OUT/<name>.shard-i-of-n), all n of them' })
            .option('out', { type: 'string', default: 'reports', describe: 'output folder; results go to OUT/<name>/' })
            .option('quiet', { type: 'boolean', default: false })
            .option('force', { type: 'boolean', default: false, describe: FORCE }),
        async (a) => {
          const { mergeJob } = await import('../jobs/runJob.ts');
          const { dir, summary, reportWarnings } = await mergeJob({
            dirs: a.shards as string[],
            outDir: a.out,
            reporter: createReporter({ quiet: a.quiet }),
            force: a.force,
          });
          for (const w of reportWarnings) term.err(`recgap: warning: ${w}\n`);
          term.out(
            `${summary}\n\nwritten: ${dir}/results.json, ${dir}/requests.csv, ${dir}/requests.parquet, ${dir}/report.html, ${dir}/summary.md, ${dir}/charts/\n`,
          );
        },
      )
      .command(
        'generate <scenario>',
        "write the scenario's synthetic event log as CSV",
        (y) =>
          y
            .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
            .option('out', { type: 'string', demandOption: true, describe: 'CSV file to write' })
            .option('seed', { type: 'string', describe: 'override the scenario seed' })
            .option('set', { type: 'string', array: true, default: [], describe: 'override a setting, e.g. --set world.persons=2000' })
            .option('quiet', { type: 'boolean', default: false })
            .option('force', { type: 'boolean', default: false, describe: FORCE }),
        async (a) => {
          const { prepareScenario, generateJob } = await import('../jobs/runJob.ts');
          const scenario = prepareScenario(a.scenario, a.set as string[], parseSeed(a.seed));
          const { events, file } = await generateJob(scenario, a.out, createReporter({ quiet: a.quiet }), { force: a.force });
          term.out(`wrote ${events.toLocaleString('en-US')} events to ${file}\n`);
        },
      )
      .command(
        'audit <input>',
        'the four checks (signal freshness, identity coverage, offline-online gap, conversion window) on a log file or a scenario',
        (y) =>
          y
            .positional('input', {
              type: 'string',
              demandOption: true,
              describe: 'a log file (csv, jsonl, parquet, arrow or an adapter format) or a scenario .yaml',
            })
            .option('format', {
              type: 'string',
              choices: DATA_FORMATS as unknown as string[],
              describe: 'log format (default: from the file extension, csv otherwise)',
            })
            .option('refresh', { type: 'string', describe: "profile refresh cadence, e.g. 7d, 1h, or stream (default 7d, or the scenario's first pipeline)" })
            .option('latency', { type: 'string', describe: 'refresh job latency, e.g. 6h (default 6h)' })
            .option('window', { type: 'string', describe: 'label window W used offline, e.g. 7d (default 7d)' })
            .option('positives', { type: 'string', array: true, describe: 'event types that count as conversions (default purchase)' })
            .option('seed', { type: 'string' })
            .option('json', { type: 'boolean', default: false, describe: 'print { checks: [...] } as JSON' })
            .option('columns', {
              type: 'string',
              describe: "a bare file's columns as field=column pairs, e.g. time=ts,person=user_id,item=sku,event=action",
            })
            .option('split', { type: 'string', describe: "check 03's train/test split: a quantile such as 75% or an ISO time (default 75%)" })
            .option('exclude-seen', { type: 'string', choices: ['false', 'true', 'view', 'person'], describe: "check 03's excludeSeen mode (default false)" })
            .option('fail-on', {
              type: 'string',
              choices: ['warn', 'fail'],
              describe: 'exit with code 3 when a check fails (fail) or warns, fails or cannot be answered (warn): a CI gate',
            })
            .option('quiet', { type: 'boolean', default: false })
            .option('force', { type: 'boolean', default: false, describe: FORCE }),
        async (a) => {
          const { runAudit, auditJson, auditText, auditExitCode } = await import('../jobs/audit.ts');
          const report = await runAudit({
            input: a.input,
            format: a.format as DataFormat | undefined,
            refreshMs: a.refresh === undefined ? undefined : a.refresh === 'stream' ? 'stream' : durationArg('--refresh', a.refresh),
            latencyMs: a.latency === undefined ? undefined : durationArg('--latency', a.latency),
            windowMs: a.window === undefined ? undefined : durationArg('--window', a.window),
            positives: a.positives as string[] | undefined,
            columns: a.columns === undefined ? undefined : parseColumnsArg(String(a.columns)),
            split: a.split,
            excludeSeen:
              a.excludeSeen === undefined
                ? undefined
                : a.excludeSeen === 'false'
                  ? 'none'
                  : a.excludeSeen === 'true'
                    ? 'view'
                    : (a.excludeSeen as 'view' | 'person'),
            seed: parseSeed(a.seed),
            reporter: createReporter({ quiet: a.quiet || a.json }),
            force: a.force,
          });
          for (const w of report.warnings) term.err(`recgap: warning: ${w}\n`);
          term.out(a.json ? auditJson(report) : auditText(report) + '\n');
          status = auditExitCode(report, a.failOn as 'warn' | 'fail' | undefined);
        },
      )
      .command(
        'calibrate <input>',
        "fit a synthetic twin to a log: a scenario whose world shows the log's statistics, validated against it",
        (y) =>
          y
            .positional('input', {
              type: 'string',
              demandOption: true,
              describe: 'a log file (csv, jsonl, parquet, arrow or an adapter format) or a data scenario .yaml',
            })
            .option('out', { type: 'string', demandOption: true, describe: 'the twin scenario to write (.yaml); calibration.json goes beside it' })
            .option('format', { type: 'string', describe: `log format: ${DATA_FORMATS.join(', ')} (default: from the file extension, csv otherwise)` })
            .option('columns', {
              type: 'string',
              describe: "a bare file's columns as field=column pairs, e.g. time=ts,person=user_id,item=sku,event=action",
            })
            .option('persons', { type: 'string', describe: "scale the twin down to about N persons (rates per person stay the log's)" })
            .option('seed', { type: 'string', describe: "the twin's seed (default: the scenario's, else 7)" })
            .option('quiet', { type: 'boolean', default: false }),
        async (a) => {
          const { calibrateJob, parsePersonsArg } = await import('../jobs/calibrate.ts');
          const { text, twinFile, jsonFile } = await calibrateJob({
            input: a.input,
            out: a.out,
            format: a.format,
            columns: a.columns === undefined ? undefined : parseColumnsArg(String(a.columns)),
            persons: a.persons === undefined ? undefined : parsePersonsArg(a.persons),
            seed: parseSeed(a.seed),
            reporter: createReporter({ quiet: a.quiet }),
          });
          term.out(`${text}\n\nwritten: ${twinFile}, ${jsonFile}\n`);
        },
      )
      .command(
        'compare <runA> <runB>',
        'compare two runs (folders with results.json and requests.csv); paired when they share requests',
        (y) =>
          y
            .positional('runA', { type: 'string', demandOption: true })
            .positional('runB', { type: 'string', demandOption: true })
            .option('metric', { type: 'string', describe: 'metric key, e.g. hit@20 (default: the primary metric)' })
            .option('match', { type: 'string', array: true, describe: 'pair a model of A with a differently named model of B: --match prod=knn (repeatable)' })
            .option('json', { type: 'boolean', default: false }),
        async (a) => {
          const { compareRuns, compareText } = await import('../jobs/compare.ts');
          const match = (a.match ?? []).map((m): [string, string] => {
            const [ma, mb, ...rest] = String(m).split('=');
            if (!ma || !mb || rest.length) throw new InputError(cliMsg.badMatch(String(m)));
            return [ma, mb];
          });
          const report = await compareRuns(a.runA, a.runB, { metric: a.metric, match });
          term.out(
            a.json ? JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n' : compareText(report) + '\n',
          );
        },
      )
      .command(
        'gate <input>',
        'release gate: pass, fail or inconclusive for a candidate model against production, on the served view',
        (y) =>
          y
            .positional('input', { type: 'string', demandOption: true, describe: 'a scenario YAML (run now) or a folder written by recgap run' })
            .option('baseline', { type: 'string', demandOption: true, describe: 'the production model' })
            .option('candidate', { type: 'string', demandOption: true, describe: 'the model version to release' })
            .option('pipeline', { type: 'string', describe: "the production pipeline (default: the scenario's first)" })
            .option('metric', { type: 'string', describe: 'metric key, e.g. ndcg@10 (default: the primary metric)' })
            .option('margin', { type: 'string', default: '0.005', describe: 'how much worse (absolute) the candidate may be and still pass' })
            .option('set', { type: 'string', array: true, default: [], describe: 'override a scenario setting, e.g. --set world.persons=2000' })
            .option('seed', { type: 'string', describe: 'override the scenario seed' })
            .option('workers', { type: 'string', default: '1', describe: 'worker threads for the replay: a number or auto' })
            .option('out', { type: 'string', default: 'reports', describe: 'writes OUT/<scenario>-gate/gate.md and gate.json' })
            .option('json', { type: 'boolean', default: false, describe: 'print the decision as JSON' })
            .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' })
            .option('force', { type: 'boolean', default: false, describe: FORCE }),
        async (a) => {
          const { gateJob, gateText, GATE_EXIT } = await import('../jobs/gate.ts');
          const margin = Number(a.margin);
          if (a.margin.trim() === '' || !Number.isFinite(margin)) throw new InputError(cliMsg.badNumber('--margin', a.margin));
          const { dir, report } = await gateJob({
            outDir: a.out,
            input: a.input,
            baseline: a.baseline,
            candidate: a.candidate,
            pipeline: a.pipeline,
            metric: a.metric,
            margin,
            sets: a.set as string[],
            seed: parseSeed(a.seed),
            workers: parseWorkers(a.workers),
            force: a.force,
            reporter: createReporter({ quiet: a.quiet || a.json }),
          });
          term.out(
            a.json
              ? `${JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`
              : `${gateText(report)}\n\nwritten: ${dir}/gate.md, ${dir}/gate.json\n`,
          );
          status = GATE_EXIT[report.decision];
        },
      )
      .command(
        'report <runDir>',
        "re-render a run's report (report.html, summary.md, charts/) from its results.json without rerunning",
        (y) =>
          y
            .positional('runDir', { type: 'string', demandOption: true, describe: 'a folder written by recgap run' })
            .option('audit', { type: 'string', describe: 'an audit report (recgap audit --json) for the conversion-delay chart; default RUNDIR/audit.json' }),
        async (a) => {
          const { reportJob } = await import('../jobs/report.ts');
          const { dir, report } = await reportJob(a.runDir, { auditFile: a.audit });
          for (const w of report.warnings) term.err(`recgap: warning: ${w}\n`);
          term.out(`written: ${dir}/report.html, ${dir}/summary.md, ${dir}/charts/ (${report.charts.filter((c) => c.spec).length} charts)\n`);
        },
      )
      .command(
        'sweep <scenario>',
        'run a grid over settings and chart the gap and the served metric against each (what-if curves)',
        (y) =>
          y
            .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
            .option('set', {
              type: 'string',
              array: true,
              default: [],
              describe: 'a setting and its values, e.g. --set pipelines.0.refresh=1h,6h,1d,7d; one value = fixed override',
            })
            .option('out', { type: 'string', default: 'reports', describe: 'output folder; the sweep goes to OUT/<name>-sweep/' })
            .option('seed', { type: 'string', describe: 'override the scenario seed (the same at every grid point)' })
            .option('workers', {
              type: 'string',
              default: '1',
              describe: "worker threads for each point's replay: a number or auto (one per core); results are identical for any count",
            })
            .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' })
            .option('force', { type: 'boolean', default: false, describe: FORCE }),
        async (a) => {
          const workers = parseWorkers(a.workers);
          const { runSweep } = await import('../jobs/sweep.ts');
          const { sweepText } = await import('../results/sweep.ts');
          const { dir, table, warnings } = await runSweep({
            scenarioFile: a.scenario,
            sets: a.set as string[],
            outDir: a.out,
            seed: parseSeed(a.seed),
            reporter: createReporter({ quiet: a.quiet }),
            force: a.force,
            workers,
          });
          for (const w of warnings) term.err(`recgap: warning: ${w}\n`);
          term.out(
            `${sweepText(table)}\n\nwritten: ${dir}/sweep.csv, ${dir}/sweep.json, ${dir}/report.html, ${dir}/whatif.html, ${dir}/summary.md, ${dir}/charts/, ${dir}/points/ (each point's results.json)\n`,
          );
        },
      )
      .command(
        'schema',
        'print the JSON Schema of scenario files (for editor completion)',
        (y) => y.option('out', { type: 'string', describe: 'write to this file instead of stdout' }),
        (a) => {
          const text = JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
          if (a.out) writeFileSync(a.out, text);
          else term.out(text);
        },
      )
      // Before yargs validates: a value option given without a value, or a value outside its choices, is one line.
      // yargs passes its instance (with the command's options) as a second argument its types do not declare.
      .middleware(
        ((a: Arguments, y: { getOptions(): OptionKinds }) => checkOptionValues(argv, y.getOptions(), a, String(a._[0] ?? ''))) as unknown as MiddlewareFunction,
        true,
      )
      .option('debug', { type: 'boolean', default: false, describe: 'print stack traces' })
      .demandCommand(1, cliMsg.noCommand())
      .strict()
      .exitProcess(false)
      .fail((message, err) => {
        throw err ?? new InputError(cliMsg.usage(message));
      })
      .help()
      .version(packageVersion())
      .parseAsync();
    return status;
  } catch (e) {
    return reportError(e, debug, term);
  }
}
