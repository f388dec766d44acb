// Resource guard: estimate a run's peak memory from the scenario before doing any work, and refuse
// (unless forced) when it would not fit in the machine's free memory.
import { statSync } from 'node:fs';
import os from 'node:os';
import type { Scenario } from '../scenario/types.ts';
import { InputError } from '../errors.ts';

/** Peak bytes per event of a whole run, measured on the quickstart (generation, indexes, replay tables). */
export const BYTES_PER_EVENT = 220;
/** Node, TensorFlow.js and DuckDB before any data. */
export const BASE_BYTES = 200 * 2 ** 20;
/** Rows per byte of a compressed or plain log file (a canonical CSV row is about 60 bytes). */
const EVENTS_PER_FILE_BYTE = { plain: 1 / 60, gz: 1 / 12 } as const;

export interface MemoryEstimate {
  events: number;
  bytes: number;
  basis: string;
}

/**
 * Expected events and peak memory of a run.
 *
 * @example
 * estimateMemory(scenario).bytes // about 470 MB for the quickstart
 */
export function estimateMemory(scenario: Scenario): MemoryEstimate {
  let events: number;
  let basis: string;
  if (scenario.world) {
    const w = scenario.world;
    // Views per session plus the carts and purchases they lead to (about 10% more events).
    events = w.persons * w.days * w.activity.sessionsPerDay * w.activity.viewsPerSession * 1.1;
    basis = `${w.persons.toLocaleString('en-US')} persons x ${w.days} days`;
  } else {
    const path = scenario.log!.data.path;
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      size = 0; // the reader reports a missing file with its own message
    }
    events = size * (path.endsWith('.gz') ? EVENTS_PER_FILE_BYTE.gz : EVENTS_PER_FILE_BYTE.plain);
    basis = `${(size / 2 ** 20).toFixed(0)} MB log file`;
  }
  const tables = scenario.models.length * (1 + 2 * scenario.pipelines.length);
  return { events: Math.round(events), bytes: BASE_BYTES + events * (BYTES_PER_EVENT + 2 * tables), basis };
}

/** Throw an InputError when the estimate exceeds free memory, unless `force`. */
export function guardMemory(scenario: Scenario, force: boolean, freeBytes = os.freemem()): MemoryEstimate {
  const est = estimateMemory(scenario);
  if (!force && est.bytes > freeBytes) {
    const gb = (b: number) => `${(b / 2 ** 30).toFixed(1)} GB`;
    throw new InputError(
      `this run needs about ${gb(est.bytes)} (${est.events.toLocaleString('en-US')} events from ${est.basis}) but the machine has ${gb(freeBytes)} free; reduce the scenario, sample persons, shard the run, or pass --force`,
    );
  }
  return est;
}
