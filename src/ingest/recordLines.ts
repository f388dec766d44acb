// Physical line numbers for a few records of a text file, and for the malformed records DuckDB's CSV reader
// rejects. DuckDB numbers the records it returns, but skips blank lines, lets quoted fields span lines and leaves
// out the rows it rejects, so record n is not line n + 1 in general. This scan walks the bytes as DuckDB's CSV
// state machine does (see csvScan.ts) and stops as soon as everything asked for is found: it runs only when there
// are bad rows to point at.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { CsvScanner, MALFORMED_KINDS, type MalformedKind } from './csvScan.ts';
import type { Numbering } from './plan.ts';

type LinesNumbering = Extract<Numbering, { kind: 'lines' }>;

export type { MalformedKind } from './csvScan.ts';

export interface RecordLines {
  /** Accepted record number (1-based, as DuckDB counts) -> physical line (1-based, header = line 1). */
  readonly lineOf: Map<number, number>;
  /** Physical lines of the first malformed records of each kind (DuckDB rejects these), ascending. */
  readonly malformed: Readonly<Record<MalformedKind, number[]>>;
  /** Line where a quoted field opens that is still open at the end of the file; null when none or not scanned to the end. */
  readonly unterminated: number | null;
}

/** What to look for: records by number, and how many malformed records of each kind. */
export interface LineQuery {
  readonly records: readonly number[];
  readonly malformed: Readonly<Partial<Record<MalformedKind, number>>>;
  /** Stop once the records are placed, whatever malformed records are still wanted (strict mode). */
  readonly stopAtRecords?: boolean;
  /** Read to the end of the file, to learn whether a quoted field is left open there. */
  readonly toEnd?: boolean;
}

/** Malformed records whose lines are kept, per kind. */
const MAX_MALFORMED = 5;

/**
 * Find the physical lines of some records and of the first malformed records.
 *
 * @example
 * const numbering = { kind: 'lines', headerLines: 1, delimiter: ',', quote: '"', fields: 9 } as const;
 * const { lineOf } = await recordLines('/d/log.csv', numbering, { records: [1, 7], malformed: {} });
 * lineOf.get(1); // 2 when no blank line precedes the first data row
 */
export async function recordLines(file: string, numbering: LinesNumbering, query: LineQuery): Promise<RecordLines> {
  const wanted = new Set(query.records);
  const lineOf = new Map<number, number>();
  const malformed = Object.fromEntries(MALFORMED_KINDS.map((k) => [k, [] as number[]])) as Record<MalformedKind, number[]>;
  const scan = new CsvScanner(numbering, (record, line, problem) => {
    if (problem === null) {
      if (wanted.has(record)) lineOf.set(record, line);
    } else if (malformed[problem].length < MAX_MALFORMED) malformed[problem].push(line);
  });
  const enough = () => MALFORMED_KINDS.every((k) => malformed[k].length >= Math.min(MAX_MALFORMED, query.malformed[k] ?? 0));
  const done = () => query.toEnd !== true && lineOf.size === wanted.size && (query.stopAtRecords === true || enough());

  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  try {
    if (done()) return { lineOf, malformed, unterminated: null };
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (scan.push(chunk, done)) return { lineOf, malformed, unterminated: null };
    }
    return { lineOf, malformed, unterminated: scan.end() };
  } finally {
    input.destroy();
    if (stream !== input) (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}
