// Physical line numbers for records of a text file. DuckDB numbers the records it returns (1, 2, ... in file
// order) and logs, for each row its CSV reader rejects, where the row's text starts in the file and the text
// itself (bad bytes shown as one '?' each, so its length in bytes is the row's). What DuckDB says about the rows
// bridges both to physical lines: how many line breaks each record holds in its values, and the bytes each
// rejected row covers. So the file is walked line by line, without parsing it: a line that is not inside a row is
// the header, a blank line (DuckDB skips it), a row DuckDB rejected (it starts there) or the next record. A line
// break is what DuckDB takes for one outside quotes: \n, \r\n, and a lone \r, which ends a row without starting a
// physical line (lines are counted by \n). The walk runs only when there are bad rows to point at, and stops as
// soon as everything asked for is found.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** What DuckDB said about the rows, for the walk. */
export interface RowBreaks {
  /** Line breaks (\n, \r\n or a lone \r) inside a record's values, by record number (1-based); records without any are absent. */
  readonly records: ReadonlyMap<number, number>;
  /** The rows DuckDB rejected, by where their text starts (0-based byte offset), ascending. */
  readonly rejected: readonly RejectedRow[];
}

export interface RejectedRow {
  /** DuckDB's line of the row (reject_errors.line). */
  readonly duckLine: number;
  /** Byte offsets of its text in the file: first byte, and one past the last. */
  readonly start: number;
  readonly end: number;
}

export interface LineLayout {
  readonly headerLines: number;
  /** JSON lines: only \n breaks a line and a line of white space is blank (for CSV only an empty line is). */
  readonly json: boolean;
}

/**
 * What to look for: records by number, rejected rows by DuckDB's line; `openField`: the byte offset where a field
 * starts whose opening quote may run to the end of the file (the walk goes on until it closes).
 */
export interface LineQuery {
  readonly records: readonly number[];
  readonly rejected: readonly number[];
  readonly openField?: number;
}

export interface RecordLines {
  /** Record number -> physical line (1-based, header = line 1). */
  readonly lineOf: Map<number, number>;
  /** DuckDB's line of a rejected row -> its physical line. */
  readonly rejectedLine: Map<number, number>;
  /** Whether the quoted field at `openField` is still open at the end of the file. */
  readonly open: boolean;
}

export const NO_BREAKS: RowBreaks = { records: new Map(), rejected: [] };

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;

// States of the field at `openField`.
const BEFORE = 0; // not reached, or spaces before its quote
const OPEN = 1; // inside its quotes
const QUOTE_SEEN = 2; // a quote inside: closing, or the first of ""
const CLOSED = 3;

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
  const openField = query.openField ?? null;
  let quoteState = BEFORE;
  const done = () => (openField === null || quoteState === CLOSED) && lineOf.size === wanted.size && rejectedLine.size === wantedRejected.size;
  const json = layout.json;
  const rejected = breaks.rejected;
  let line = 1; // physical line at the current position
  let segStart = 0; // byte offset where the current line (as DuckDB breaks them) starts
  let segLine = 1; // its physical line
  let blank = true; // JSON: the current line is white space so far
  let record = 0;
  let next = 0; // index of the next rejected row
  let rowEnd = -1; // end of the rejected row last met: lines starting before it are inside it
  let inside = 0; // lines still inside the current record
  let header = layout.headerLines;

  /** The line from segStart ends with its content ending at `contentEnd`; true once everything asked for is found. */
  const endLine = (contentEnd: number): boolean => {
    const empty = json ? blank : contentEnd === segStart;
    if (segStart < rowEnd) {
      // Inside a rejected row.
    } else if (inside > 0) inside--;
    else if (header > 0) header--;
    else if (!empty) {
      while (next < rejected.length && rejected[next].start < segStart) next++;
      if (next < rejected.length && rejected[next].start === segStart) {
        const row = rejected[next++];
        if (wantedRejected.has(row.duckLine)) rejectedLine.set(row.duckLine, segLine);
        rowEnd = row.end;
      } else {
        record++;
        if (wanted.has(record)) lineOf.set(record, segLine);
        inside = breaks.records.get(record) ?? 0;
      }
    }
    blank = true;
    return done();
  };

  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const result = (): RecordLines => ({ lineOf, rejectedLine, open: quoteState === OPEN });
  let base = 0; // byte offset of the chunk
  let pendingCr = -1; // offset of a \r that ended the last chunk: a line break whatever follows
  try {
    if (done()) return result();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (openField !== null && quoteState !== CLOSED && openField < base + chunk.length) quoteState = followQuote(chunk, base, openField, quoteState);
      let i = 0;
      if (pendingCr >= 0) {
        const crlf = chunk[0] === NL;
        if (endLine(pendingCr)) return result();
        if (crlf) {
          line++;
          i = 1;
        }
        segStart = base + i;
        segLine = line;
        pendingCr = -1;
      }
      let nl = -2;
      let cr = -2;
      while (i < chunk.length) {
        if (nl !== -1 && nl < i) nl = chunk.indexOf(NL, i);
        if (!json && cr !== -1 && cr < i) cr = chunk.indexOf(CR, i);
        const isCr = cr >= 0 && (nl < 0 || cr < nl);
        const at = isCr ? cr : nl;
        if (json) for (let j = i; blank && j < (nl < 0 ? chunk.length : nl); j++) blank = chunk[j] === SPACE || chunk[j] === TAB || chunk[j] === CR;
        if (at < 0) break;
        if (isCr && at + 1 === chunk.length) {
          pendingCr = base + at;
          break;
        }
        const crlf = isCr && chunk[at + 1] === NL;
        if (endLine(base + at)) return result();
        if (!isCr || crlf) line++;
        i = at + (crlf ? 2 : 1);
        segStart = base + i;
        segLine = line;
      }
      base += chunk.length;
    }
    if (pendingCr >= 0) endLine(pendingCr);
    else if (segStart < base) endLine(base);
    return result();
  } finally {
    input.destroy();
    if (stream !== input) (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}

/** Follow the field at byte `field` through a chunk: spaces, its opening quote, then quotes ("" is one) until one closes it. */
function followQuote(chunk: Buffer, base: number, field: number, state: number): number {
  for (let j = Math.max(0, field - base); j < chunk.length && state !== CLOSED; j++) {
    const b = chunk[j];
    if (state === BEFORE) state = b === QUOTE ? OPEN : b === SPACE ? BEFORE : CLOSED;
    else if (state === OPEN) state = b === QUOTE ? QUOTE_SEEN : OPEN;
    else state = b === QUOTE ? OPEN : CLOSED;
  }
  return state;
}
