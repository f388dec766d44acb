// Per-request columns read back from requests.parquet (full precision) or requests.csv (the paired tables every
// run writes), so a report can bootstrap differences that results.json does not hold (e.g. HR@K between
// pipelines) without rerunning.
import { InputError } from '../errors.ts';
import { ClusterBootstrap } from '../stats/bootstrap.ts';
import { hashString } from '../util/hash.ts';
import { reportMsg } from './messages.ts';

export interface RequestColumns {
  /** Number of requests (rows). */
  length: number;
  /** Person cluster id of each request (a hash of the person id, as `recgap compare` uses). */
  cluster: Int32Array;
  /** Numeric columns that were asked for and exist, by header name; empty cells are NaN. */
  columns: Map<string, Float64Array>;
}

/**
 * Parse the `person` column and the named numeric columns of a requests.csv text (RFC 4180 quoting).
 * Columns missing from the header are left out of the map.
 *
 * @example
 * const t = parseRequestColumns(csv, ['knn.weekly-batch.hit@10']);
 * t.columns.get('knn.weekly-batch.hit@10') // Float64Array, one value per request
 */
export function parseRequestColumns(csv: string, wanted: readonly string[]): RequestColumns {
  const rows = csvRows(csv);
  const header = rows.next();
  if (header.done) return { length: 0, cluster: new Int32Array(0), columns: new Map() };
  const names = header.value;
  const personAt = names.indexOf('person');
  if (personAt < 0) throw new InputError(reportMsg.requestsNoPerson());
  const picks = wanted.map((w) => [w, names.indexOf(w)] as const).filter(([, i]) => i >= 0);
  const persons: number[] = [];
  const values: number[][] = picks.map(() => []);
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') continue;
    persons.push(hashString(row[personAt] ?? '') >>> 1);
    picks.forEach(([, i], j) => {
      const cell = row[i];
      values[j].push(cell === undefined || cell === '' ? NaN : Number(cell));
    });
  }
  const columns = new Map<string, Float64Array>();
  picks.forEach(([name], j) => columns.set(name, Float64Array.from(values[j])));
  return { length: persons.length, cluster: Int32Array.from(persons), columns };
}

/**
 * Request columns from each request's person id and named value columns (as read from requests.parquet).
 *
 * @example
 * const { persons, columns } = await readRequestsParquet(file, roiColumns(results));
 * const t = requestColumnsOf(persons, columns);
 */
export function requestColumnsOf(persons: readonly string[], columns: Map<string, Float64Array>): RequestColumns {
  // A plain loop: Int32Array.from with a mapping function is about 3x slower at 1M requests.
  const cluster = new Int32Array(persons.length);
  for (let r = 0; r < persons.length; r++) cluster[r] = hashString(persons[r]) >>> 1;
  return { length: persons.length, cluster, columns };
}

/**
 * The person-clustered bootstrap over the table's requests (same hashing as `recgap compare`), so a report
 * rendered from a run and re-rendered from its folder gives identical intervals (on any number of threads).
 *
 * @example
 * const boot = requestBootstrap(t, { seed: 7, replicates: 1000, level: 0.95 });
 */
export function requestBootstrap(t: RequestColumns, opts: { seed: number; replicates: number; level: number; threads?: number }): ClusterBootstrap {
  return new ClusterBootstrap(t.cluster, { seed: opts.seed >>> 0, replicates: opts.replicates, level: opts.level, threads: opts.threads ?? 1 });
}

/** Rows of a CSV text as arrays of fields; quoted fields may hold commas, quotes and newlines. */
function* csvRows(text: string): Generator<string[]> {
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 && field === '') {
      // Quoted field: read to the closing quote, "" is a literal quote.
      i++;
      let start = i;
      let out = '';
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new InputError(reportMsg.requestsOpenQuote());
        if (text.charCodeAt(q + 1) === 34) {
          out += text.slice(start, q + 1);
          i = q + 2;
          start = i;
          continue;
        }
        out += text.slice(start, q);
        i = q + 1;
        break;
      }
      field = out;
      continue;
    }
    if (c === 44) {
      row.push(field);
      field = '';
      i++;
    } else if (c === 10 || c === 13) {
      row.push(field);
      field = '';
      yield row;
      row = [];
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      const next = nextSpecial(text, i);
      field += text.slice(i, next);
      i = next;
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    yield row;
  }
}

function nextSpecial(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 44 || c === 10 || c === 13) return j;
  }
  return text.length;
}
