// Physical line numbers for a few records of a text file. DuckDB numbers the records it returns, but skips blank
// lines, lets quoted fields span lines and leaves out rows it rejects, so record n is not line n + 1 in general.
// This scan walks the text the way the CSV parser does (quotes, delimiters, blank lines, field counts) and stops
// as soon as every requested record is placed: it runs only when there are bad rows to point at.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Numbering } from './plan.ts';

type LinesNumbering = Extract<Numbering, { kind: 'lines' }>;

export interface RecordLines {
  /** Accepted record number (1-based, as DuckDB counts) -> physical line (1-based, header = line 1). */
  readonly lineOf: Map<number, number>;
  /** Physical lines of the first records with more / fewer fields than the header (DuckDB rejects these). */
  readonly tooMany: number[];
  readonly tooFew: number[];
}

const NL = 10;
const CR = 13;

/**
 * Find the physical lines of `records` and of the first `rejects` malformed records.
 *
 * @example
 * const { lineOf } = await recordLines('/d/log.csv', { kind: 'lines', headerLines: 1, delimiter: ',', quote: '"', fields: 9 }, [1, 7], 0);
 * lineOf.get(1); // 2 when the file has no blank lines before its first data row
 */
export async function recordLines(file: string, numbering: LinesNumbering, records: readonly number[], rejects: number): Promise<RecordLines> {
  const wanted = new Set(records);
  const lineOf = new Map<number, number>();
  const tooMany: number[] = [];
  const tooFew: number[] = [];
  const delim = numbering.delimiter === null ? null : Buffer.from(numbering.delimiter);
  const quote = numbering.quote === null ? -1 : numbering.quote.charCodeAt(0);
  const expected = numbering.fields;
  let headerLeft = numbering.headerLines;
  let line = 1;
  let start = 1;
  let fields = 1;
  let blank = true;
  let inQuote = false;
  let matched = 0;
  let accepted = 0;

  const done = () => lineOf.size === wanted.size && (expected === null || (tooMany.length >= rejects && tooFew.length >= rejects));
  const endRecord = () => {
    if (!blank) {
      if (headerLeft > 0) headerLeft--;
      else if (expected !== null && fields !== expected) (fields > expected ? tooMany : tooFew).push(start);
      else if (wanted.has(++accepted)) lineOf.set(accepted, start);
    }
    fields = 1;
    blank = true;
    matched = 0;
  };

  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  try {
    if (done()) return { lineOf, tooMany, tooFew };
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (inQuote) {
          // A doubled quote inside quotes toggles twice and stays quoted, as RFC 4180 escaping does.
          if (b === quote) inQuote = false;
          else if (b === NL) line++;
          continue;
        }
        if (b === NL) {
          endRecord();
          line++;
          start = line;
          if (done()) return { lineOf, tooMany, tooFew };
          continue;
        }
        if (b === CR) continue;
        blank = false;
        if (b === quote) {
          inQuote = true;
          matched = 0;
        } else if (delim !== null) {
          // Multi-byte delimiters (MovieLens '::') are matched byte by byte.
          if (b === delim[matched]) {
            if (++matched === delim.length) {
              fields++;
              matched = 0;
            }
          } else matched = b === delim[0] ? 1 : 0;
        }
      }
    }
    endRecord();
    return { lineOf, tooMany, tooFew };
  } finally {
    input.destroy();
    if (stream !== input) (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}
