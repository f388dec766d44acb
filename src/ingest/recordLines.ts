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

/** Malformed records whose lines are kept, per kind. */
const MAX_MALFORMED = 5;
const NL = 10;
const CR = 13;

/** What to look for: records by number, and how many malformed records of each kind. */
export interface LineQuery {
  readonly records: readonly number[];
  readonly tooMany: number;
  readonly tooFew: number;
  /** Stop once the records are placed, whatever malformed records are still wanted (strict mode). */
  readonly stopAtRecords?: boolean;
}

/**
 * Find the physical lines of some records and of the first malformed records.
 *
 * @example
 * const numbering = { kind: 'lines', headerLines: 1, delimiter: ',', quote: '"', fields: 9 } as const;
 * const { lineOf } = await recordLines('/d/log.csv', numbering, { records: [1, 7], tooMany: 0, tooFew: 0 });
 * lineOf.get(1); // 2 when no blank line precedes the first data row
 */
export async function recordLines(file: string, numbering: LinesNumbering, query: LineQuery): Promise<RecordLines> {
  const { records } = query;
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

  const done = () =>
    lineOf.size === wanted.size && (query.stopAtRecords === true || expected === null || (tooMany.length >= query.tooMany && tooFew.length >= query.tooFew));
  const endRecord = () => {
    if (!blank) {
      if (headerLeft > 0) headerLeft--;
      else if (expected !== null && fields !== expected) {
        const list = fields > expected ? tooMany : tooFew;
        if (list.length < MAX_MALFORMED) list.push(start);
      }
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
