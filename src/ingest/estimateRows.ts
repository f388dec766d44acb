// How many rows to make room for before streaming: from the first megabyte of a text file (lines, or OTTO
// events, per byte) scaled to the size of the text (for gzip, the inflated size: textSize.ts), or DuckDB's
// count for Parquet and Arrow, which it knows without reading the data.
import type { Duck } from './duck.ts';
import type { Relation } from './plan.ts';
import { textSize } from './textSize.ts';

/**
 * A generous estimate of the events in the file (the columns grow if it falls short).
 *
 * @example
 * await estimateRows(duck, '/data/events.csv', relation, /\n/g); // about size / bytes per line
 */
export async function estimateRows(duck: Duck, file: string, relation: Relation, unit: RegExp): Promise<number> {
  if (relation.numbering.kind === 'records') {
    const [[n]] = (await duck.rows(`SELECT count(*) FROM ${relation.from}`)) as number[][];
    return n;
  }
  const { textBytes, head } = textSize(file);
  const units = Math.max(1, (head.match(unit) ?? []).length);
  return Math.ceil((textBytes / Math.max(1, head.length)) * units * 1.1) + 1024;
}
