// Reading a run folder back: results.json and the per-request values of requests.parquet (full precision;
// requests.csv rounds to 6 significant digits), for the jobs that work on finished runs (compare, gate).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { jobMsg } from './messages.ts';
import type { Results } from '../results/results.ts';
import { resultsFromJson } from '../results/json.ts';
import { readRequestsParquet, type ParquetRequestColumns } from '../run/requestParquet.ts';
import { duckDetail } from '../ingest/duck.ts';

/**
 * results.json of a run folder.
 *
 * @example
 * readResults('reports/quickstart').config.primaryMetric // 'ndcg@10'
 */
export function readResults(dir: string): Results {
  const file = join(dir, 'results.json');
  if (!existsSync(file)) throw new InputError(jobMsg.notRunFolder(file));
  // Checked field by field (an edited or truncated file is one line, exit 2).
  return resultsFromJson(readFileSync(file, 'utf8'), file, { untrusted: true });
}

/** A run's per-request values as requests.parquet holds them (full precision). */
export interface RequestTable {
  /** The file read, for messages. */
  file: string;
  /** Number of requests. */
  length: number;
  /** External person id of each request. */
  persons: string[];
  /** Each request's time, microseconds since the epoch. */
  timesUs: Float64Array;
  /** The values of a `model.view.metric` column (NaN where none); a name the file lacks is bad input. */
  numbers(name: string): Float64Array;
}

/**
 * The named `model.view.metric` columns of a run folder's requests.parquet, with each request's person and
 * time. A folder without the file (written by an older recgap) or a file DuckDB cannot read is bad input.
 *
 * @example
 * (await readRequestTable('reports/quickstart', ['knn.frozen.ndcg@10'])).numbers('knn.frozen.ndcg@10')
 */
export async function readRequestTable(dir: string, names: readonly string[]): Promise<RequestTable> {
  const file = join(dir, 'requests.parquet');
  if (!existsSync(file)) throw new InputError(jobMsg.requestsParquetMissing(file));
  let read: ParquetRequestColumns;
  try {
    read = await readRequestsParquet(file, names);
  } catch (e) {
    throw new InputError(jobMsg.requestsParquetUnreadable(file, duckDetail(e)));
  }
  const { persons, timesUs, columns } = read;
  return {
    file,
    length: persons.length,
    persons,
    timesUs,
    numbers(name) {
      const column = columns.get(name);
      if (!column) throw new InputError(jobMsg.noColumn(file, name));
      return column;
    },
  };
}
