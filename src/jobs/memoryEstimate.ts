// A command's peak memory, estimated from the scenario before any work starts (and again once the log is
// loaded, when its events and items are known). The figures were fitted to the peak resident memory
// (/usr/bin/time -v) of the quickstart world at 5,000, 20,000 and 60,000 persons (0.3M-3.7M events) with 1, 2
// and 4 workers, 6 models or 6 pipelines; of the same logs read back from CSV and gzip; of UCI Online Retail;
// and of EASE at 2,000 and 5,000 items (2-core AMD EPYC, Node 20; docs/method.md 10.1 has the table).
// Every term is linear (requests.parquet's up to a cap):
//   base     Node, DuckDB (a read log) and the report renderer before any data
//   log      bytes per event: columns, indexes, sessions and the generator's or reader's working space, plus per
//            model and per pipeline the request tables and served views (labels, a few items per request,
//            are part of it); those two grow with the requests replayed, so they are scaled by the share
//            replayed: eval.sample (a person sample) times 1/n for a shard of n (--shard i/n), 0 for a fit
//            (recgap fit replays nothing). The log itself is whole in every case.
//   workers  --workers N >= 2: the log copied once into shared memory, and per thread beyond the first its own
//            indexes, served views and tables (the main thread no longer replays)
//   requests once they are built: per request built (a fit and every shard build them all), per request x view
//            x model replayed, and requests.parquet's DuckDB table up to its memory limit (a run, not a shard);
//            fitted on the dense protocol at 30,000-330,000 persons and checked at 660,000 (bench/guard.ts)
//   models   EASE's Gram matrix (Float64) and weights (Float32) while fitting, 12 bytes x items^2, and with
//            workers a copy of the weights for the main thread's saved state and each thread; item-kNN's
//            neighbour table; MF's and GRU4Rec's embeddings with the optimizer's state
// A merge (estimateMergeMemory) holds no log: its own base and figures for the shards' requests and tables.
// The sum is raised by MARGIN: resident memory also holds garbage the collector has not freed yet, and the
// fitted peaks varied by about 10% around the line.
import type { DataFormat, ModelSpec, Scenario } from '../scenario/types.ts';
import type { WorldSpec } from '../scenario/worldSpec.ts';
import { textSize } from '../ingest/textSize.ts';

export type MemoryCommand = 'run' | 'generate' | 'audit';

interface Figures {
  base: number;
  perEvent: number;
  perModelEvent: number;
  perPipelineEvent: number;
}

const MB = 2 ** 20;
/** Fitted figures per command and source of the log (a world generated, or a file read). */
export const FIGURES: Record<MemoryCommand, { world: Figures; data: Figures }> = {
  run: {
    world: { base: 300 * MB, perEvent: 38, perModelEvent: 25, perPipelineEvent: 5 },
    data: { base: 420 * MB, perEvent: 7, perModelEvent: 25, perPipelineEvent: 5 },
  },
  generate: {
    world: { base: 330 * MB, perEvent: 80, perModelEvent: 0, perPipelineEvent: 0 },
    data: { base: 420 * MB, perEvent: 100, perModelEvent: 0, perPipelineEvent: 0 },
  },
  // The audit fits item-kNN and popularity and serves one pipeline (check 03).
  audit: {
    world: { base: 150 * MB, perEvent: 100, perModelEvent: 0, perPipelineEvent: 0 },
    data: { base: 380 * MB, perEvent: 65, perModelEvent: 0, perPipelineEvent: 0 },
  },
};
/** With --workers N >= 2: the shared copy of the log, and each thread beyond the first. */
export const WORKER_FIGURES = { shared: { base: 20 * MB, perEvent: 12 }, thread: { base: 42 * MB, perEvent: 46 } };
export const MARGIN = 1.2;

/** Bytes per row of a columnar file, whose rows cannot be counted from its head (the loaded log is checked again). */
const COLUMNAR_BYTES_PER_ROW: Partial<Record<DataFormat, number>> = { parquet: 10, arrow: 30 };

/** What a command holds in memory: a synthetic world or a log file, and the models and pipelines of the run. */
export interface MemoryInput {
  world: WorldSpec | null;
  data: { path: string; format: DataFormat } | null;
  models: readonly ModelSpec[];
  pipelines: number;
  /** eval.sample: the share of persons whose requests are replayed (default 1). */
  sample?: number;
}

export interface EstimateOptions {
  /** Default 'run'. */
  command?: MemoryCommand;
  /** Replay worker threads (default 1). */
  workers?: number;
  /** The log once loaded: its events and items replace what the scenario or the file suggests. */
  loaded?: { events: number; items: number };
  /** --shard i/n: the shard replays about 1/n of the (sampled) requests. */
  shard?: { count: number };
  /** The share of the log's requests replayed, instead of sample / shard count (0: a fit, which replays none). */
  replayedShare?: number;
  /**
   * Once the run is planned: the requests it replays, its views (the frozen view and every serving
   * configuration) and models. Their per-request tables, the bootstrap's per-person sums and the outputs
   * built from them then count (REQUEST_FIGURES) on top of the terms above.
   */
  replay?: { requests: number; views: number; models: number };
  /**
   * Once the requests are built: how many the process built (all of the log's, before a sample or a shard
   * takes its part). Their columns, labels and the identity-quality pass count (REQUEST_FIGURES.perRequest)
   * whether or not they are replayed: a fit and every shard build them all.
   */
  built?: number;
}

/**
 * The request terms, counted once the requests are built (EstimateOptions.built, .replay), beyond what the
 * per-event terms hold. Fitted with bench/guard.ts (docs/method.md 10.1) to the dense protocol, where requests,
 * not events, dominate (one request per 7 events, against one per 65 on the quickstart's own protocol):
 *   perRequest            every request built, replayed or not: its columns and labels, and the identity-quality
 *                         pass over it (a fit and every shard build them all)
 *   perRequestViewModel   each request replayed, per view and model: its metric tables and served-view columns
 *   parquet               a run (not a shard): requests.parquet's wide table in DuckDB, per request x
 *                         view x model up to DuckDB's memory limit (requestParquet.ts, 1 GB), beyond which it
 *                         spills to disk; the bootstrap and the report use less meanwhile
 *   shardFiles            a shard, instead: its rows' ids in shard.json, its tables copied into tables.bin
 */
export const REQUEST_FIGURES = {
  perRequest: 400,
  perRequestViewModel: 64,
  parquet: { perRequestViewModel: 250, capBytes: 1024 * MB },
  shardFiles: { perRequest: 100, perRequestViewModel: 64 },
};

/**
 * The part of the base that only a run that finishes loads (the report renderer, requests.parquet's DuckDB):
 * a fit's and a shard's base is this much smaller.
 */
export const FINISH_BASE = 80 * MB;

/**
 * `recgap merge` holds no log: every shard's rows and tables (shard.json's ids, tables.bin, read and scattered
 * into place), then what a run holds after its replay (the bootstrap, requests.csv and requests.parquet, the
 * report's columns). Fitted to merges of 4 shards of 18,870, 250,841 and 501,412 requests (8 views x 2 models:
 * 441-477, 1,657 and 2,978 MiB), linear in the requests over these; at 751,323 requests the peak grew less
 * (3,468 MiB, 1.49 of the estimate). requests.parquet's DuckDB table is not on top: the peak comes after it.
 */
export const MERGE_FIGURES = { base: 330 * MB, perRequest: 500, perRequestViewModel: 315 };

/** What a merge reads: the shards' requests in all, and the views and models of each request's tables. */
export interface MergeInput {
  requests: number;
  views: number;
  models: number;
  shards: number;
}

export interface MemoryEstimate {
  /** Expected events of the log. */
  events: number;
  /** Items of the catalogue, when known (a world's, or a loaded log's). */
  items: number | null;
  /** Peak bytes, margin included. */
  bytes: number;
  /** Where the events come from, for messages: "20,000 persons x 56 days", "a 2,441 MB log inflated from a 6 MB gzip". */
  basis: string;
  /** The terms before the margin, bytes (requests: 0 until the run is planned, EstimateOptions.replay). */
  parts: { base: number; log: number; workers: number; models: number; requests: number };
  /** The share of the requests replayed that the per-model and per-pipeline terms were scaled by. */
  replayedShare: number;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${count(bytes / MB)} MB`;

/**
 * What a scenario holds: its world or data file, its models and pipelines.
 *
 * @example
 * estimateMemory(memoryInput(scenario), { workers: 2 });
 */
export function memoryInput(scenario: Pick<Scenario, 'world' | 'log' | 'models' | 'pipelines'> & { eval?: { sample: number } }): MemoryInput {
  return {
    world: scenario.world,
    data: scenario.log ? scenario.log.data : null,
    models: scenario.models,
    pipelines: scenario.pipelines.length,
    sample: scenario.eval?.sample ?? 1,
  };
}

/**
 * The share of a log's requests a process replays: the person sample, divided among n shards.
 *
 * @example
 * replayedShare({ sample: 0.1 }, { shard: { count: 4 } }) // 0.025
 * replayedShare({ sample: 1 }, { replayedShare: 0 }) // 0 (recgap fit)
 */
export function replayedShare(input: Pick<MemoryInput, 'sample'>, opts: Pick<EstimateOptions, 'shard' | 'replayedShare'> = {}): number {
  if (opts.replayedShare !== undefined) return opts.replayedShare;
  return (input.sample ?? 1) / Math.max(1, opts.shard?.count ?? 1);
}

/**
 * Expected events and peak memory of a command.
 *
 * @example
 * estimateMemory(memoryInput(loadScenario('scenarios/quickstart.yaml'))).bytes; // about 510 MB
 * estimateMemory(memoryInput(scenario), { command: 'generate' });
 */
export function estimateMemory(input: MemoryInput, opts: EstimateOptions = {}): MemoryEstimate {
  const command = opts.command ?? 'run';
  const f = FIGURES[command][input.world ? 'world' : 'data'];
  const expected = opts.loaded
    ? { events: opts.loaded.events, items: opts.loaded.items, basis: `${count(opts.loaded.events)} events loaded` }
    : expectedEvents(input);
  const { events, items } = expected;
  const share = command === 'run' ? replayedShare(input, opts) : 1;
  const log = events * (f.perEvent + share * (f.perModelEvent * input.models.length + f.perPipelineEvent * input.pipelines));
  const workers = command === 'run' ? Math.max(1, Math.floor(opts.workers ?? 1)) : 1;
  const w = WORKER_FIGURES;
  const threads = workers >= 2 ? w.shared.base + events * w.shared.perEvent + (workers - 1) * (w.thread.base + events * w.thread.perEvent) : 0;
  const models = command !== 'run' || items === null ? 0 : input.models.reduce((s, m) => s + modelBytes(m, items, workers >= 2 ? workers : 0), 0);
  const r = opts.replay;
  // A run finishes: requests.parquet and the report. A fit replays nothing, and a shard writes its tables for
  // the merge (shard.json, tables.bin) instead: neither loads what FINISH_BASE stands for.
  const shard = (opts.shard?.count ?? 1) > 1;
  const finishes = command === 'run' && !shard && opts.replayedShare !== 0;
  const cells = r ? r.requests * r.views * r.models : 0;
  const replayed = r ? cells * REQUEST_FIGURES.perRequestViewModel + (shard ? shardFileBytes(r.requests, cells) : parquetBytes(cells)) : 0;
  const requests = command === 'run' ? (opts.built ?? 0) * REQUEST_FIGURES.perRequest + replayed : 0;
  const base = command === 'run' && !finishes ? f.base - FINISH_BASE : f.base;
  const parts = { base, log, workers: threads, models, requests };
  const bytes = MARGIN * (parts.base + parts.log + parts.workers + parts.models + parts.requests);
  return { events: Math.round(events), items, bytes, basis: expected.basis, parts, replayedShare: share };
}

/** Events a world will generate, or a file holds (from the size of its text and the rows in its head). */
function expectedEvents(input: MemoryInput): { events: number; items: number | null; basis: string } {
  if (input.world) {
    const w = input.world;
    // Views per session, plus the carts and purchases they lead to (about 10% more events).
    const events = w.persons * w.days * w.activity.sessionsPerDay * w.activity.viewsPerSession * 1.1;
    return { events, items: w.items, basis: `${count(w.persons)} persons x ${count(w.days)} days` };
  }
  const { path, format } = input.data!;
  let size: ReturnType<typeof textSize>;
  try {
    size = textSize(path);
  } catch {
    // The reader reports a missing or unreadable file with its own message.
    return { events: 0, items: null, basis: 'a log file that cannot be read' };
  }
  const columnar = COLUMNAR_BYTES_PER_ROW[format];
  if (columnar !== undefined) return { events: size.fileBytes / columnar, items: null, basis: `a ${mb(size.fileBytes)} ${format} file` };
  // One event per line, or for OTTO one session per line with an "aid" per event.
  const units = (size.head.match(format === 'otto' ? /"aid"/g : /\n/g) ?? []).length;
  const events = (size.textBytes / Math.max(1, size.head.length)) * Math.max(1, units);
  const basis = size.gzip
    ? `a ${mb(size.textBytes)} log${size.extended ? ' (estimated past 4 GB)' : ''} inflated from a ${mb(size.fileBytes)} gzip`
    : `a ${mb(size.textBytes)} log file`;
  return { events, items: null, basis };
}

/** Bytes a fitted model holds (and EASE needs while fitting), with its copies for `threads` worker threads. */
function modelBytes(m: ModelSpec, items: number, threads: number): number {
  const n = items;
  switch (m.type) {
    case 'ease':
      // Gram matrix (Float64) and weights (Float32) while fitting; with workers, the saved weights and a copy per thread.
      return 12 * n * n + (threads > 0 ? (1 + threads) * 4 * n * n : 0);
    case 'itemknn':
      // Neighbour ids (Int32) and similarities (Float32) per item.
      return (1 + threads) * n * m.neighbors * 8;
    case 'mf':
      // Item factors and biases, with the optimizer's two moments and the gradient (Float32).
      return (1 + threads) * n * (m.factors + 1) * 4 * 4;
    case 'gru4rec':
      // Input and output item embeddings, with the optimizer's state.
      return (1 + threads) * n * m.factors * 2 * 4 * 4;
    default:
      // Popularity, recency-popularity, random, saved and external models: a score or two per item.
      return (1 + threads) * n * 8;
  }
}

/**
 * Peak memory of `recgap merge`, from the shards' shard.json (their rows, views and models), before their
 * tables are read.
 *
 * @example
 * estimateMergeMemory({ requests: 1_003_961, views: 8, models: 2, shards: 4 }).bytes;
 */
export function estimateMergeMemory(m: MergeInput): MemoryEstimate {
  const f = MERGE_FIGURES;
  const requests = m.requests * (f.perRequest + m.views * m.models * f.perRequestViewModel);
  const parts = { base: f.base, log: 0, workers: 0, models: 0, requests };
  return {
    events: 0,
    items: null,
    bytes: MARGIN * (parts.base + parts.requests),
    basis: `${count(m.requests)} requests x ${count(m.views)} views x ${count(m.models)} models in ${count(m.shards)} shards`,
    parts,
    replayedShare: 1,
  };
}

/** A shard's files: its rows' person and key ids in shard.json, and its tables copied into tables.bin. */
function shardFileBytes(requests: number, cells: number): number {
  return requests * REQUEST_FIGURES.shardFiles.perRequest + cells * REQUEST_FIGURES.shardFiles.perRequestViewModel;
}

/** DuckDB's memory for requests.parquet's wide table of `cells` requests x views x models, up to its limit. */
function parquetBytes(cells: number): number {
  const p = REQUEST_FIGURES.parquet;
  return Math.min(p.capBytes, cells * p.perRequestViewModel);
}
