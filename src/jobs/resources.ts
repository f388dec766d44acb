// The memory guard: every command that holds a log (run and its shards, sweep, generate, audit) estimates its
// peak memory before any work starts (memoryEstimate.ts) and refuses, unless forced, when the estimate exceeds
// what the machine or the container allows (memoryBudget.ts): one line naming the estimate, the limit and what
// to change, instead of an OOM kill (exit 137) after minutes of work.
import type { RunOptions } from '../run/run.ts';
import { appendFileSync } from 'node:fs';
import type { Scenario } from '../scenario/types.ts';
import { InputError } from '../errors.ts';
import { jobMsg } from './messages.ts';
import { memoryBudget, type MemoryBudget } from './memoryBudget.ts';
import {
  estimateMemory,
  estimateMergeMemory,
  memoryInput,
  type EstimateOptions,
  type MemoryEstimate,
  type MemoryInput,
  type MergeInput,
} from './memoryEstimate.ts';

export interface GuardOptions extends EstimateOptions {
  /** Go ahead whatever the estimate (--force). */
  force?: boolean;
  /** The memory to compare with (default: measured now; tests pass fixtures). */
  budget?: MemoryBudget;
  /** Names what is estimated in the message (default from the command: "this run", ...). */
  what?: string;
}

/**
 * Bytes as a message shows them: MB below a gigabyte, GB with one decimal above.
 *
 * @example
 * formatBytes(200 * 2 ** 20) // '200 MB'
 * formatBytes(5.1 * 2 ** 30) // '5.1 GB'
 */
export function formatBytes(bytes: number): string {
  return bytes < 2 ** 30
    ? `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`
    : `${(bytes / 2 ** 30).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} GB`;
}

/**
 * Throw an InputError when the estimated peak exceeds the available memory, unless `force`.
 *
 * @example
 * guardMemory(memoryInput(scenario), { workers: 2, force: false }); // returns the estimate, or throws
 */
export function guardMemory(input: MemoryInput, opts: GuardOptions = {}): MemoryEstimate {
  const est = estimateMemory(input, opts);
  traceEstimate(est, opts);
  if (opts.force) return est;
  const budget = opts.budget ?? memoryBudget();
  if (est.bytes <= budget.availableBytes) return est;
  const command = opts.command ?? 'run';
  const what = opts.what ?? (command === 'run' ? 'this run' : command === 'generate' ? 'generating this log' : 'this audit');
  throw new InputError(
    jobMsg.notEnoughMemory(
      what,
      formatBytes(est.bytes),
      sizeDetail(est, opts.workers ?? 1),
      formatBytes(budget.availableBytes),
      limitOf(budget),
      advice(input, est, command, opts.workers ?? 1),
    ),
  );
}

/**
 * The check a run makes once its requests are planned (RunOptions.beforeReplay): on a dense protocol the
 * requests built and replayed, not the events, decide the peak.
 *
 * @example
 * await runScenario(scenario, { beforeReplay: guardOncePlanned(memoryInput(scenario), { workers: 2 }) });
 */
export function guardOncePlanned(input: MemoryInput, opts: GuardOptions): NonNullable<RunOptions['beforeReplay']> {
  return ({ built, ...replay }) => {
    guardMemory(input, { ...opts, replay, built });
  };
}

/**
 * Guard a sweep: its points run one after another, so the largest one decides.
 *
 * @example
 * guardSweep(scenarios, { force: false });
 */
export function guardSweep(scenarios: readonly Scenario[], opts: Pick<GuardOptions, 'force' | 'budget' | 'workers'> = {}): MemoryEstimate {
  const inputs = scenarios.map(memoryInput);
  const sizes = inputs.map((i) => estimateMemory(i, { workers: opts.workers }).bytes);
  const largest = sizes.indexOf(Math.max(...sizes));
  return guardMemory(inputs[largest], { ...opts, what: scenarios.length > 1 ? `sweep point ${largest + 1} of ${scenarios.length}` : 'this sweep' });
}

/**
 * Guard `recgap merge`, from its shards' shard.json before their tables are read: it holds no log, only the
 * requests of every shard and what a run builds from them after its replay.
 *
 * @example
 * guardMerge({ requests: 1_003_961, views: 8, models: 2, shards: 4 }, { force: false });
 */
export function guardMerge(input: MergeInput, opts: Pick<GuardOptions, 'force' | 'budget'> = {}): MemoryEstimate {
  const est = estimateMergeMemory(input);
  traceEstimate(est, { ...opts, what: 'this merge' });
  if (opts.force) return est;
  const budget = opts.budget ?? memoryBudget();
  if (est.bytes <= budget.availableBytes) return est;
  throw new InputError(
    jobMsg.notEnoughMemory('this merge', formatBytes(est.bytes), est.basis, formatBytes(budget.availableBytes), limitOf(budget), MERGE_ADVICE),
  );
}

/** A merge's requests are fixed by its shards: only more memory helps (or a run with a smaller eval.sample). */
export const MERGE_ADVICE = 'a machine or container with more memory, or shards of a run with a smaller eval.sample';

/** The events, and the terms beyond the log that weigh (models, worker threads). */
function sizeDetail(est: MemoryEstimate, workers: number): string {
  const total = est.parts.base + est.parts.log + est.parts.workers + est.parts.models + est.parts.requests;
  const extra = [
    est.parts.models >= 0.1 * total ? `models over ${est.items!.toLocaleString('en-US')} items: ${formatBytes(est.parts.models)}` : null,
    est.parts.workers >= 0.1 * total ? `${workers} workers: ${formatBytes(est.parts.workers)}` : null,
    est.parts.requests >= 0.1 * total ? `per-request tables: ${formatBytes(est.parts.requests)}` : null,
  ].filter((x) => x !== null);
  return `${est.events.toLocaleString('en-US')} events from ${est.basis}${extra.length ? `; ${extra.join(', ')}` : ''}`;
}

/** Where the limit comes from. */
function limitOf(b: MemoryBudget): string {
  if (b.cgroup && Math.max(0, b.cgroup.limitBytes - b.cgroup.usageBytes) < b.hostAvailableBytes)
    return `under the container's cgroup v${b.cgroup.version} limit of ${formatBytes(b.cgroup.limitBytes)} (${formatBytes(b.cgroup.usageBytes)} in use)`;
  return 'on this machine';
}

/** What would make it fit, largest term first. */
function advice(input: MemoryInput, est: MemoryEstimate, command: string, workers: number): string {
  const smaller = input.world ? 'a smaller world (world.persons, world.days)' : command === 'audit' ? 'a sample of the log' : 'a shorter log (data.timeRange)';
  const items = est.parts.models > est.parts.log ? ['fewer items for the models that grow with items squared (ease)'] : [];
  const threads = est.parts.workers > 0 ? [`fewer --workers than ${workers}`] : [];
  return [...items, ...threads, smaller].join(', ');
}

/**
 * With RECGAP_MEMORY_TRACE=<file>, each estimate is appended to that file as one JSON line, so bench/guard.ts
 * can put the largest estimate a command made next to the peak it measured. Never set in normal use.
 */
function traceEstimate(est: MemoryEstimate, opts: GuardOptions): void {
  const file = process.env.RECGAP_MEMORY_TRACE;
  if (!file) return;
  const { budget: _b, ...options } = opts;
  const line = { what: opts.what ?? opts.command ?? 'run', bytes: est.bytes, events: est.events, basis: est.basis, parts: est.parts, options };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
