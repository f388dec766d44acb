// The format of a log file from its name, for a scenario's `data.path` and for `recgap audit FILE` alike:
// JSON lines, Parquet and Arrow IPC (.arrow, .feather, .ipc) by extension, anything else CSV.
import type { DataFormat } from './types.ts';

const FORMAT_BY_EXTENSION: Array<[RegExp, DataFormat]> = [
  [/\.jsonl(\.gz)?$/i, 'jsonl'],
  [/\.parquet$/i, 'parquet'],
  [/\.(arrow|feather|ipc)$/i, 'arrow'],
];

/**
 * The generic reader a file's name calls for; adapters (movielens, otto, ...) are always named explicitly.
 *
 * @example
 * formatFromPath('events.feather') // 'arrow'
 * formatFromPath('events.csv.gz')  // 'csv'
 */
export function formatFromPath(path: string): DataFormat {
  return FORMAT_BY_EXTENSION.find(([re]) => re.test(path))?.[1] ?? 'csv';
}
