// A byte-level model of DuckDB's CSV reader (quote and escape both '"'), for pointing at lines: where each record
// starts, which records it accepts, and the first problem of each record it rejects. The rules follow DuckDB's
// state machine (csv_state_machine_cache.cpp):
//   - a quote opens a quoted field only at the start of a field, or after exactly one space; elsewhere it is text
//   - inside quotes, "" is a quote and line breaks belong to the field
//   - after the closing quote only spaces, the delimiter, a line break or another quote ("" again) may follow;
//     anything else makes the row malformed ("unquoted value" in DuckDB's words)
//   - a line with no bytes (or only \r) is skipped; bytes must be valid UTF-8 (data rows only)
// A rejected record gets its first problem in field order, as DuckDB's reject log ordered by byte position:
// the extra field of a too-long row, then invalid UTF-8, then a quote problem in the same field; a missing
// field shows only at the row's end. JSON lines (no delimiter) are records of one field, blank when white.

export const MALFORMED_KINDS = ['tooMany', 'tooFew', 'encoding', 'quote'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** The layout the scanner needs (a text relation's numbering). */
export interface ScanLayout {
  readonly headerLines: number;
  /** null for JSON lines. */
  readonly delimiter: string | null;
  readonly quote: string | null;
  /** Fields per record (from the header); null: not checked (JSON lines). */
  readonly fields: number | null;
}

/** Called at the end of each non-blank, non-header record: its number if accepted (else 0), start line, problem. */
export type OnRecord = (record: number, line: number, problem: MalformedKind | null) => void;

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

// States of a field.
const START = 0; // at the start of a field
const SPACED = 1; // one space into a field
const PLAIN = 2; // inside an unquoted field
const QUOTED = 3; // inside quotes
const CLOSED = 4; // after a closing quote

// Problem ranks within one field (lower wins).
const RANK: Record<MalformedKind, number> = { tooMany: 0, encoding: 1, quote: 2, tooFew: 3 };

export class CsvScanner {
  private readonly delim: Buffer | null;
  private readonly quote: number;
  private readonly expected: number | null;
  private readonly checkUtf8: boolean;
  private readonly spaceOpens: boolean;
  private readonly onRecord: OnRecord;
  private headerLeft: number;
  private line = 1;
  private start = 1;
  private fields = 1;
  private blank = true;
  private state = START;
  private matched = 0;
  private accepted = 0;
  // UTF-8: continuation bytes still expected and the range allowed for the next one.
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;
  // The record's first problem so far, as field * 4 + rank (Infinity: none).
  private problemAt = Infinity;
  private problem: MalformedKind | null = null;

  constructor(layout: ScanLayout, onRecord: OnRecord) {
    this.delim = layout.delimiter === null ? null : Buffer.from(layout.delimiter);
    this.quote = layout.quote === null ? -1 : layout.quote.charCodeAt(0);
    this.expected = layout.fields;
    this.checkUtf8 = layout.fields !== null;
    this.spaceOpens = layout.delimiter !== ' ';
    this.headerLeft = layout.headerLines;
    this.onRecord = onRecord;
  }

  /** Scan a chunk; returns true as soon as `done()` holds after a record ends (the rest of the chunk is left). */
  push(chunk: Buffer, done: () => boolean): boolean {
    const delim = this.delim;
    const quote = this.quote;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b >= 0x80 || this.need > 0) {
        if (this.checkUtf8) this.utf8(b);
        if (b >= 0x80) {
          this.blank = false;
          if (this.state === START || this.state === SPACED) this.state = PLAIN;
          else if (this.state === CLOSED) this.flag('quote', this.fields - 1);
          this.matched = 0;
          continue;
        }
      }
      const state = this.state;
      if (state === QUOTED) {
        if (b === quote) this.state = CLOSED;
        else if (b === NL) this.line++;
        continue;
      }
      if (b === NL) {
        this.endRecord();
        this.line++;
        this.start = this.line;
        if (done()) return true;
        continue;
      }
      if (b === CR) continue;
      if (delim === null) {
        // JSON lines: only whether the line holds anything but white space matters.
        if (b !== SPACE && b !== TAB) this.blank = false;
        continue;
      }
      this.blank = false;
      // Multi-byte delimiters (MovieLens '::') are matched byte by byte.
      if (b === delim[this.matched]) {
        if (++this.matched === delim.length) {
          this.matched = 0;
          this.fields++;
          if (this.expected !== null && this.fields === this.expected + 1) this.flag('tooMany', this.fields - 1);
          this.state = START;
          continue;
        }
      } else this.matched = b === delim[0] ? 1 : 0;
      if (this.matched > 0 && delim.length > 1) {
        if (state === CLOSED) this.flag('quote', this.fields - 1);
        this.state = PLAIN;
        continue;
      }
      if (b === quote) {
        if (state === START || state === SPACED || state === CLOSED) this.state = QUOTED;
        // Elsewhere a quote is text.
      } else if (b === SPACE) {
        if (state === START) this.state = this.spaceOpens ? SPACED : PLAIN;
        else if (state === SPACED) this.state = PLAIN;
        // After a closing quote, spaces are allowed.
      } else if (state === CLOSED) {
        this.flag('quote', this.fields - 1);
        this.state = PLAIN;
      } else this.state = PLAIN;
    }
    return false;
  }

  /** End of input: finish the last record; returns the line of a quoted field left open, if any. */
  end(): number | null {
    const open = this.state === QUOTED ? this.start : null;
    if (open !== null) this.flag('quote', this.fields - 1);
    this.endRecord();
    return open;
  }

  private utf8(b: number): void {
    if (this.need > 0) {
      if (b >= this.lo && b <= this.hi) {
        this.need--;
        this.lo = 0x80;
        this.hi = 0xbf;
        return;
      }
      // A sequence cut short: the byte is read afresh below.
      this.need = 0;
      this.flag('encoding', this.fields - 1);
    }
    if (b < 0x80) return;
    this.lo = 0x80;
    this.hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) this.need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      this.need = 2;
      if (b === 0xe0) this.lo = 0xa0;
      else if (b === 0xed) this.hi = 0x9f; // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      this.need = 3;
      if (b === 0xf0) this.lo = 0x90;
      else if (b === 0xf4) this.hi = 0x8f; // nothing past U+10FFFF
    } else this.flag('encoding', this.fields - 1);
  }

  private flag(kind: MalformedKind, field: number): void {
    const at = field * 4 + RANK[kind];
    if (at < this.problemAt) {
      this.problemAt = at;
      this.problem = kind;
    }
  }

  private endRecord(): void {
    if (this.need > 0) {
      this.need = 0;
      this.flag('encoding', this.fields - 1);
    }
    if (!this.blank) {
      if (this.headerLeft > 0) this.headerLeft--;
      else {
        if (this.problem === null && this.expected !== null && this.fields < this.expected) this.flag('tooFew', this.fields);
        if (this.problem !== null) this.onRecord(0, this.start, this.problem);
        else this.onRecord(++this.accepted, this.start, null);
      }
    }
    this.fields = 1;
    this.blank = true;
    this.state = START;
    this.matched = 0;
    this.problemAt = Infinity;
    this.problem = null;
  }
}
