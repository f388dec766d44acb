// Every message the log readers produce, as functions in one place: tests compare against these rather than
// copied strings, and each names the file (and line, field, value where there is one) so a user can find it.

import type { IsolatedGroup } from './timeReport.ts';

const show = (v: string): string => JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
const list = (names: readonly string[]): string => (names.length ? names.map(show).join(', ') : 'no columns');

export const ingestMsg = {
  fileNotFound: (file: string) => `data file not found: ${file}`,
  notAFile: (file: string) => `data.path is not a file: ${file}`,
  emptyFile: (file: string) => `${file}: the file is empty`,
  noDataRows: (file: string) => `${file}: the file has no data rows`,
  unreadable: (file: string, format: string, detail: string) => `${file}: cannot read as ${format}: ${detail}`,
  mappedColumnMissing: (file: string, field: string, column: string, columns: readonly string[]) =>
    `${file}: column ${show(column)} (data.columns.${field}) not found; the file has ${list(columns)}`,
  fieldMissing: (file: string, field: string, columns: readonly string[]) =>
    `${file}: no ${show(field)} column; the file has ${list(columns)}; map one with data.columns.${field}`,
  keyAndPersonMissing: (file: string, columns: readonly string[]) =>
    `${file}: no "key" or "person" column; the file has ${list(columns)}; map one with data.columns.key or data.columns.person`,
  singleColumn: (file: string, header: string, delimiter: string, suggestion: string | null) =>
    `${file}: the header ${show(header)} is a single column with delimiter ${show(delimiter)}; wrong delimiter?` +
    (suggestion === null ? ' set data.delimiter' : ` it splits on ${show(suggestion)}: set data.delimiter to ${show(suggestion)}`),
  /** Strict mode: the first bad row. `value` is the offending raw text, null when the field is empty. */
  badRow: (file: string, line: number, reason: string, field: string | null, value: string | null) =>
    `${file}:${line}: ${reason}` + (field === null ? '' : value === null ? ` (${field} is empty)` : ` (${field} = ${show(value)})`),
  nothingLoaded: (file: string, rows: number, reason: string, count: number, firstLine: number | undefined) =>
    `${file}: none of the ${rows} rows could be loaded; ${count} dropped for ${reason}` + (firstLine === undefined ? '' : ` (first at line ${firstLine})`),
  tooManyValues: (file: string, field: string, count: number, max: number) => `${file}: ${count} distinct ${field} values; at most ${max} are supported`,
  timeUnitOnTimestamp: (file: string, column: string, type: string, unit: string) =>
    `${file}: column ${show(column)} is a ${type}; data.timeUnit ${show(unit)} applies to numbers only: use "auto" or "iso"`,
  adapterHeader: (file: string, format: string, expected: string, found: string) =>
    `${file}: does not look like ${format} data: expected ${expected}, found ${show(found)}`,
  headerNotUtf8: (file: string) => `${file}:1: the header is not valid UTF-8; save the file as UTF-8`,
  notGzip: (file: string) => `${file}: not gzip data, although the name ends in .gz`,
  gzipCutShort: (file: string) => `${file}: the gzip data is cut short (unexpected end of file); the end of the log is missing`,
  gzipCorrupt: (file: string, detail: string) => `${file}: corrupt gzip data (${detail})`,
  unterminatedQuote: (file: string, line: number) => `${file}:${line}: unterminated quote: the quoted field opened on this line runs to the end of the file`,
  /** `line` null when DuckDB gave none. */
  malformedJson: (file: string, line: number | null, detail: string) => `${file}${line === null ? '' : `:${line}`}: malformed JSON (${detail})`,
  /**
   * Stray events at the ends of the log (timeReport.ts) and the data.timeRange that leaves them out: `from` and
   * `to` are dates (null for an end with no group).
   */
  isolatedEvents: (file: string, start: IsolatedGroup | null, end: IsolatedGroup | null, from: string | null, to: string | null) => {
    const group = (g: IsolatedGroup, side: string) =>
      `${g.events === 1 ? '1 event' : `${g.events} events`} ${g.from === g.to ? `on ${shortIso(g.from)}` : `from ${shortIso(g.from)} to ${shortIso(g.to)}`} ` +
      `${g.events === 1 ? 'comes' : 'come'} ${days(g.gapMs)} ${side} the rest of the log`;
    const parts = [start === null ? null : group(start, 'before'), end === null ? null : group(end, 'after')].filter((p) => p !== null);
    const them = (start?.events ?? 0) + (end?.events ?? 0) === 1 ? 'it' : 'them';
    return `${file}: ${parts.join('; ')}; set data.timeRange: [${from ?? 'null'}, ${to ?? 'null'}] in the scenario to leave ${them} out`;
  },
  /** Strict mode: an event identical to an earlier one. */
  duplicateEvent: (file: string, line: number, firstLine: number) => `${file}:${line}: ${dropReason.duplicateEvent} (identical to line ${firstLine})`,
};

/** An ISO time without zero milliseconds. */
const shortIso = (t: string): string => t.replace('.000Z', 'Z');
/** A gap of at least a day, in days. */
const days = (ms: number): string => {
  const d = +(ms / 86_400_000).toFixed(ms < 864_000_000 ? 1 : 0);
  return d === 1 ? '1 day' : `${d} days`;
};

/** Drop reasons shared by all readers; adapters add their own (cancellations, adjustments). */
export const dropReason = {
  missingTime: 'missing time',
  unparseableTime: 'unparseable time',
  /** Outside [MIN_TIME_MS, MAX_TIME_MS) (timeRange.ts). */
  timeOutOfRange: 'time out of range',
  /** In a column detected as epoch milliseconds, a value below 1e11 (timeUnit.ts). */
  secondsAmongMilliseconds: 'time in epoch seconds among milliseconds',
  /** In a column detected as epoch seconds, a value from 1e11 that is a time as milliseconds (timeUnit.ts). */
  millisecondsAmongSeconds: 'time in epoch milliseconds among seconds',
  /** Before data.timeRange's from or at or after its to (plan.timeRange). */
  outsideTimeRange: 'outside data.timeRange',
  missingItem: 'missing item',
  missingKey: 'missing key and person',
  missingEvent: 'missing event type',
  unknownEvent: (raw: string) => `unknown event type ${JSON.stringify(raw)}`,
  unparseableValue: 'unparseable value',
  tooManyFields: 'too many fields',
  tooFewFields: 'too few fields',
  malformedRow: (kind: string) => `malformed row (${kind})`,
  /** Identical to an earlier event in every column read; the first one is kept. */
  duplicateEvent: 'duplicate event',
};
