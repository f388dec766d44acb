// Physical line numbers for records of a text file. DuckDB numbers the records it returns (1, 2, ... in file
// order) and gives the rows its CSV reader rejects a line of its own count (reject_errors.line), in which blank
// lines count and line breaks inside quoted fields do not. What DuckDB says about the rows bridges both to
// physical lines: how many line breaks each record holds in its values, and each rejected row in its text. So
// the file is walked line by line, without parsing it: a line that is not inside a row is the header, a blank
// line (DuckDB skips it), a row DuckDB rejected (by its count) or the next record. The walk runs only when there
// are bad rows to point at, and stops as soon as everything asked for is found.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** What DuckDB said about the rows, for the walk. */
export interface RowBreaks {
  /** Line breaks inside a record's values, by record number (1-based); records without any are absent. */
  readonly records: ReadonlyMap<number, number>;
  /** DuckDB's lines of the rows it rejected, ascending. */
  readonly rejected: ArrayLike<number>;
  /** Line breaks inside a rejected row, by its DuckDB line; rows without any are absent. */
  readonly rejectedBreaks: ReadonlyMap<number, number>;
}

export interface LineLayout {
  readonly headerLines: number;
  /** JSON lines: a line of white space is blank (for CSV only an empty line is). */
  readonly json: boolean;
}

/** What to look for: records by number, rejected rows by DuckDB's line; `toEnd`: walk the whole file. */
export interface LineQuery {
  readonly records: readonly number[];
  readonly rejected: readonly number[];
  readonly toEnd?: boolean;
}

export interface RecordLines {
  /** Record number -> physical line (1-based, header = line 1). */
  readonly lineOf: Map<number, number>;
  /** DuckDB's line of a rejected row -> its physical line. */
  readonly rejectedLine: Map<number, number>;
  /** DuckDB's line of the last row in the file, when walked to the end; else null. */
  readonly lastRow: number | null;
}

export const NO_BREAKS: RowBreaks = { records: new Map(), rejected: [], rejectedBreaks: new Map() };

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/**
 * Find the physical lines of some records and rejected rows.
 *
 * @example
 * const { lineOf } = await recordLines('/d/log.csv', { headerLines: 1, json: false }, NO_BREAKS, { records: [1, 7], rejected: [] });
 * lineOf.get(1); // 2 when no blank line precedes the first data row
 */
export async function recordLines(file: string, layout: LineLayout, breaks: RowBreaks, query: LineQuery): Promise<RecordLines> {
  const wanted = new Set(query.records);
  const wantedRejected = new Set(query.rejected);
  const lineOf = new Map<number, number>();
  const rejectedLine = new Map<number, number>();
  const done = () => query.toEnd !== true && lineOf.size === wanted.size && rejectedLine.size === wantedRejected.size;
  const json = layout.json;
  let line = 1; // physical line
  let duckLine = 1; // DuckDB's count: rows and blank lines
  let record = 0;
  let next = 0; // index of the next rejected row in breaks.rejected
  let inside = 0; // lines still inside the current row
  let header = layout.headerLines;
  let lastRow: number | null = null;
  let blank = true;

  /** The line just ended; true once everything asked for is found. */
  const endLine = (): boolean => {
    if (inside > 0) inside--;
    else if (header > 0) {
      header--;
      duckLine++;
    } else {
      if (!blank) {
        while (next < breaks.rejected.length && breaks.rejected[next] < duckLine) next++;
        if (next < breaks.rejected.length && breaks.rejected[next] === duckLine) {
          if (wantedRejected.has(duckLine)) rejectedLine.set(duckLine, line);
          inside = breaks.rejectedBreaks.get(duckLine) ?? 0;
        } else {
          record++;
          if (wanted.has(record)) lineOf.set(record, line);
          inside = breaks.records.get(record) ?? 0;
        }
        lastRow = duckLine;
      }
      duckLine++;
    }
    line++;
    return done();
  };

  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const result = (): RecordLines => ({ lineOf, rejectedLine, lastRow: query.toEnd === true ? lastRow : null });
  try {
    if (done()) return result();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; ) {
        const nl = chunk.indexOf(NL, i);
        const end = nl < 0 ? chunk.length : nl;
        for (let j = i; blank && j < end; j++) {
          const b = chunk[j];
          if (b !== CR && !(json && (b === SPACE || b === TAB))) blank = false;
        }
        if (nl < 0) break;
        if (endLine()) return result();
        blank = true;
        i = nl + 1;
      }
    }
    if (!blank) endLine();
    return result();
  } finally {
    input.destroy();
    if (stream !== input) (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}
