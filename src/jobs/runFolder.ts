// Reading a run folder back: results.json and the per-request table requests.csv, for the jobs that work on
// finished runs (compare, gate).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { jobMsg } from './messages.ts';
import type { Results } from '../results/results.ts';
import { resultsFromJson } from '../results/json.ts';

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

export interface Table {
  header: string[];
  rows: string[][];
  column(name: string): string[];
  numbers(name: string): Float64Array;
}

/**
 * A run's requests.csv as columns of text or numbers.
 *
 * @example
 * readTable('reports/quickstart/requests.csv').numbers('knn.frozen.ndcg@10')
 */
export function readTable(file: string): Table {
  if (!existsSync(file)) throw new InputError(jobMsg.notRunFolder(file));
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  // requests.csv quotes only fields with commas or quotes (person and key names); split accordingly.
  const split = (line: string) =>
    line
      .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
      .slice(0, -1)
      .map((f) =>
        f
          .replace(/,$/, '')
          .replace(/^"(.*)"$/, '$1')
          .replace(/""/g, '"'),
      );
  const header = split(lines[0]);
  const rows = lines.slice(1).map(split);
  const index = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new InputError(jobMsg.noColumn(file, name));
    return i;
  };
  return {
    header,
    rows,
    column: (name) => rows.map((r) => r[index(name)]),
    numbers: (name) => {
      const i = index(name);
      return Float64Array.from(rows, (r) => (r[i] === '' ? NaN : Number(r[i])));
    },
  };
}
