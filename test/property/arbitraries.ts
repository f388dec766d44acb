// Generators for the property tests: CSV and JSONL files built from random rows (random fields, delimiters,
// quotes, missing and extra fields, non-UTF-8 bytes, huge numbers, blank lines, random timestamps), kept as
// byte chunks so a counterexample prints readably, plus the one assertion every failure must satisfy.
import fc from 'fast-check';
import { expect } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { EventLog } from '../../src/log/eventLog.ts';
import { NONE } from '../../src/log/eventLog.ts';
import { MAX_TIME_MS, MIN_TIME_MS } from '../../src/ingest/timeRange.ts';

/** The seed every property file uses: the suite is deterministic; fast-check prints it on failure anyway. */
export const SEED = 20_240_808;

/** A piece of a field: text, or raw bytes that need not be valid UTF-8. */
export type Piece = string | number[];

export const CANONICAL = ['time', 'person', 'key', 'login', 'channel', 'session', 'item', 'event', 'value'] as const;
const T0 = 1_700_000_000_000;

/** Bytes that cannot start or continue valid UTF-8 in the order given (lone continuation, truncated lead, 0xff). */
const badBytes = fc.array(fc.constantFrom(0x80, 0xbf, 0xc3, 0xe2, 0xf0, 0xfe, 0xff), { minLength: 1, maxLength: 3 });

/** Text that is hard for a CSV or JSON parser: delimiters, quotes, line breaks, NUL, BOM, astral characters. */
const nasty = fc.constantFrom(
  ',',
  ';',
  '\t',
  '|',
  '"',
  '""',
  "'",
  '\n',
  '\r\n',
  '\r',
  '\\',
  '\u0000',
  '\ufeff',
  '😀',
  'é',
  ' ',
  '{',
  '}',
  '[',
  ']',
  'null',
  'NA',
  '-',
);

/** Timestamps as a log might spell them, right or wrong. */
export const timeText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 7 * 86_400_000 }).map((d) => String(T0 + d)) }, // epoch ms
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 7 * 86_400 }).map((d) => String(T0 / 1000 + d)) }, // epoch s
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 7 * 86_400_000 }).map((d) => new Date(T0 + d).toISOString()) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 * 86_400_000 }).map((d) => new Date(T0 + d).toISOString().replace('T', ' ').slice(0, 19)) },
  { weight: 1, arbitrary: fc.double().map(String) }, // NaN, Infinity, -0, 5e-324, 1.7976931348623157e308
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '0',
      '-1',
      '1e308',
      '1e309',
      '-1e400',
      '2024-13-45',
      '2024-02-30T25:61:00Z',
      '9999-12-31T23:59:59Z',
      '0000-01-01',
      'yesterday',
      'NaN',
      '1700000000000.5',
      ' 1700000000000 ',
      '0x1F',
    ),
  },
);

const idText = fc.oneof(fc.constantFrom('p1', 'p2', 'k1', 'i1', 'i2', 'u1', ''), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }));
const eventText = fc.oneof(fc.constantFrom('view', 'cart', 'purchase', 'VIEW', 'teleport', ''), fc.string({ maxLength: 5 }));
const channelText = fc.oneof(fc.constantFrom('app', 'mweb', 'desktop', 'web', ''), fc.string({ maxLength: 4 }));
const valueText = fc.oneof(
  fc.double().map(String),
  fc.constantFrom('', '1', '19.99', '-0', '1e39', 'abc'),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
);

/** A field for a column: the plausible text for its name, sometimes spoilt by a nasty piece or bad bytes. */
function fieldFor(column: string): fc.Arbitrary<Piece[]> {
  const plain =
    column === 'time'
      ? timeText
      : column === 'event'
        ? eventText
        : column === 'channel'
          ? channelText
          : column === 'value'
            ? valueText
            : column === 'session'
              ? fc.oneof(idText, fc.nat().map(String))
              : idText;
  return fc.oneof(
    { weight: 14, arbitrary: plain.map((s): Piece[] => [s]) },
    { weight: 1, arbitrary: fc.tuple(plain, nasty).map(([s, n]): Piece[] => [s, n]) },
    { weight: 1, arbitrary: fc.tuple(plain, badBytes).map(([s, b]): Piece[] => [s, b]) },
  );
}

/** Concatenate pieces to bytes. */
export function toBytes(pieces: readonly Piece[]): Buffer {
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
}

const isText = (pieces: readonly Piece[]) => pieces.every((p) => typeof p === 'string');

// --- CSV ------------------------------------------------------------------------------------------------

export interface CsvCase {
  header: string[];
  delimiter: string;
  /** Whether fields are quoted as RFC 4180 asks (then the record count is known), or written raw. */
  quoted: boolean;
  newline: '\n' | '\r\n';
  /** Each row: its fields; `null` for a blank line. */
  rows: Array<Piece[][] | null>;
  trailingNewline: boolean;
}

/** A header: the fields a log needs plus some optional ones, shuffled; canonical names, some missing; or any names. */
const headerArb: fc.Arbitrary<string[]> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(['key'], ['person'], ['key', 'person']), fc.subarray(['login', 'channel', 'session', 'event', 'value']))
      .chain(([who, more]) => fc.shuffledSubarray(['time', 'item', ...who, ...more], { minLength: 2 + who.length + more.length })),
  },
  { weight: 2, arbitrary: fc.shuffledSubarray([...CANONICAL], { minLength: 1 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...CANONICAL), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 6 }) },
);

/**
 * A CSV file: a header and up to 12 rows of fields for its columns, each row possibly missing a field, carrying
 * an extra one, or blank.
 */
export const csvCase: fc.Arbitrary<CsvCase> = fc
  .record({
    header: headerArb,
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    quoted: fc.boolean(),
    newline: fc.constantFrom('\n' as const, '\r\n' as const),
    trailingNewline: fc.boolean(),
    shapes: fc.array(fc.oneof({ weight: 12, arbitrary: fc.constant('row') }, fc.constantFrom('fewer', 'more', 'blank')), { maxLength: 12 }),
  })
  .chain(({ header, shapes, ...rest }) =>
    fc
      .tuple(
        ...shapes.map((shape) => {
          if (shape === 'blank') return fc.constant(null);
          const fields = fc.tuple(...header.map(fieldFor));
          if (shape === 'fewer') return fields.map((f) => f.slice(0, -1));
          if (shape === 'more') return fc.tuple(fields, fieldFor('extra')).map(([f, x]) => [...f, x]);
          return fields;
        }),
      )
      .map((rows) => ({ header, rows: rows as Array<Piece[][] | null>, ...rest })),
  );

/** RFC 4180: quote a field that holds the delimiter, a quote or a line break, doubling its quotes. */
function quoteField(field: Piece[], delimiter: string, always: boolean): Piece[] {
  const needs = always || field.some((p) => typeof p === 'string' && (p.includes(delimiter) || p.includes('"') || p.includes('\n') || p.includes('\r')));
  if (!needs) return field;
  return ['"', ...field.map((p) => (typeof p === 'string' ? p.replaceAll('"', '""') : p)), '"'];
}

/** The file's bytes. */
export function csvBytes(c: CsvCase): Buffer {
  const pieces: Piece[] = [];
  const line = (fields: Piece[][]) => {
    fields.forEach((f, i) => {
      if (i > 0) pieces.push(c.delimiter);
      pieces.push(...(c.quoted ? quoteField(f, c.delimiter, false) : f));
    });
  };
  line(c.header.map((h) => [h]));
  for (const row of c.rows) {
    pieces.push(c.newline);
    if (row !== null) line(row);
  }
  if (c.trailingNewline) pieces.push(c.newline);
  return toBytes(pieces);
}

/**
 * The number of data records when the file is unambiguous: quoted fields, a header of distinct plain names, no
 * bytes that break UTF-8 before the quote logic sees them, and no row that serializes to an empty line. Otherwise
 * undefined (the count is then only checked against the report's own parts).
 */
export function csvRecordCount(c: CsvCase): number | undefined {
  if (!c.quoted) return undefined;
  const plainHeader = new Set(c.header).size === c.header.length && c.header.every((h) => /^[a-z]+$/.test(h));
  if (!plainHeader) return undefined;
  let n = 0;
  for (const row of c.rows) {
    if (row === null) continue;
    if (!row.every(isText)) return undefined;
    const text = row.map((f) => (f as string[]).join('')).join('');
    // A line of a single empty field is a blank line; NUL and lone CR have parser-specific readings.
    if (row.length <= 1 && text === '') continue;
    if (/[\u0000\r\ufeff]/.test(text)) return undefined;
    n++;
  }
  return n;
}

// --- JSONL ----------------------------------------------------------------------------------------------

/** Text that is a JSON number literal, so it is written bare. */
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A JSON value written as raw text: numbers beyond double range and bad bytes inside strings are possible. */
const jsonValueText: fc.Arbitrary<Piece[]> = fc.oneof(
  { weight: 4, arbitrary: timeText.map((t): Piece[] => [NUMBER.test(t) ? t : JSON.stringify(t)]) },
  { weight: 4, arbitrary: idText.map((s): Piece[] => [JSON.stringify(s)]) },
  { weight: 2, arbitrary: eventText.map((s): Piece[] => [JSON.stringify(s)]) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('null', 'true', 'false', '[]', '{}', '[1,2]', '{"a":1}', '1e400', '-0', '123456789012345678901234567890')
      .map((s): Piece[] => [s]),
  },
  { weight: 1, arbitrary: fc.tuple(idText, badBytes).map(([s, b]): Piece[] => ['"' + s, b, '"']) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v): Piece[] => [JSON.stringify(v) ?? 'null']) },
);

export interface JsonlCase {
  /** Each line: an object's entries, raw text, or null for a blank line. */
  lines: Array<{ object: Array<[string, Piece[]]> } | { raw: Piece[] } | null>;
  newline: '\n' | '\r\n';
  trailingNewline: boolean;
}

const jsonKey = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...CANONICAL) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });

/** An event object: mostly the canonical fields with plausible values, in random order, some missing. */
const eventObject = fc
  .record(
    { time: timeText, person: idText, key: idText, item: idText, event: eventText, channel: channelText, value: valueText },
    { requiredKeys: ['time', 'item'] },
  )
  .map((fields) => ({
    object: Object.entries(fields).map(([k, v]): [string, Piece[]] => [k, [(k === 'time' || k === 'value') && NUMBER.test(v) ? v : JSON.stringify(v)]]),
  }));

const jsonlLine = fc.oneof(
  { weight: 6, arbitrary: eventObject },
  { weight: 3, arbitrary: fc.array(fc.tuple(jsonKey, jsonValueText), { maxLength: 9 }).map((object) => ({ object })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.string({ maxLength: 12 }), fc.constantFrom('{', '}', '[1,2]', '"x"', '{"time":1,', 'null', '{} {}'))
      .map((s) => ({ raw: [s] as Piece[] })),
  },
  { weight: 1, arbitrary: badBytes.map((b) => ({ raw: [b] as Piece[] })) },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Half the files are clean (event objects and blank lines only), half mix in anything. */
export const jsonlCase: fc.Arbitrary<JsonlCase> = fc.record({
  lines: fc.oneof(
    fc.array(fc.oneof({ weight: 8, arbitrary: eventObject }, { weight: 1, arbitrary: fc.constant(null) }), { minLength: 1, maxLength: 12 }),
    fc.array(jsonlLine, { minLength: 1, maxLength: 12 }),
  ),
  newline: fc.constantFrom('\n' as const, '\r\n' as const),
  trailingNewline: fc.boolean(),
});

export function jsonlBytes(c: JsonlCase): Buffer {
  const pieces: Piece[] = [];
  c.lines.forEach((l, i) => {
    if (i > 0) pieces.push(c.newline);
    if (l === null) return;
    if ('raw' in l) return void pieces.push(...l.raw);
    pieces.push('{');
    l.object.forEach(([k, v], j) => pieces.push(j > 0 ? ',' : '', JSON.stringify(k), ':', ...v));
    pieces.push('}');
  });
  if (c.trailingNewline) pieces.push(c.newline);
  return toBytes(pieces);
}

// --- shared assertions --------------------------------------------------------------------------------

/**
 * Failures the properties have found and that are reported but not fixed yet, each with the deterministic
 * test that pins it (test/badInput/knownDefects.*.test.ts). The properties tolerate exactly these, so they stay
 * green meanwhile; delete an entry when its fix lands and the pinned test is flipped. None at present.
 */
export const KNOWN_DEFECTS: ReadonlyArray<{ readonly pattern: RegExp; readonly pinnedBy: string }> = [];

/** Tally of known-defect hits, so a run can say how often each still happens. */
export const knownDefectHits = new Map<string, number>();

/** A failure must be an InputError whose message is one line naming the file (or a known, pinned defect). */
export function expectInputError(e: unknown, file: string): void {
  const known = e instanceof Error && !(e instanceof InputError) ? KNOWN_DEFECTS.find((d) => d.pattern.test(e.message)) : undefined;
  if (known) return void knownDefectHits.set(known.pinnedBy, (knownDefectHits.get(known.pinnedBy) ?? 0) + 1);
  if (!(e instanceof InputError)) throw new Error(`expected an InputError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  expect(e.message).not.toMatch(/[\n\r]/);
  expect(e.message).toContain(file);
}

/**
 * Structural invariants of any loaded log: time-sorted times inside the accepted range; every id inside its
 * dictionary; every event in a session; no event repeated.
 */
export function expectWellFormedLog(log: EventLog): void {
  const n = log.length;
  for (const col of [log.tsMs, log.person, log.key, log.login, log.channel, log.session, log.item, log.type, log.value]) expect(col.length).toBe(n);
  const d = log.dict;
  for (let i = 0; i < n; i++) {
    const t = log.tsMs[i];
    if (!(t >= MIN_TIME_MS && t < MAX_TIME_MS)) throw new Error(`tsMs[${i}] = ${t} is outside the accepted range`);
    if (i > 0 && t < log.tsMs[i - 1]) throw new Error(`tsMs not sorted at ${i}: ${log.tsMs[i - 1]} > ${t}`);
    inDict('item', log.item[i], d.item.length, false, i);
    inDict('key', log.key[i], d.key.length, false, i);
    inDict('type', log.type[i], d.type.length, false, i);
    inDict('channel', log.channel[i], d.channel.length, false, i);
    inDict('person', log.person[i], d.person.length, true, i);
    inDict('login', log.login[i], d.login.length, true, i);
    // A row with an empty session field gets an inactivity session like a log without a session column.
    if (log.session[i] < 0) throw new Error(`session[${i}] = ${log.session[i]} is not a session`);
  }
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const sig = log.signals;
    const event = [
      log.tsMs[i],
      log.person[i],
      log.key[i],
      log.login[i],
      log.channel[i],
      log.session[i],
      log.item[i],
      log.type[i],
      log.value[i],
      sig?.ip[i],
      sig?.userAgent[i],
      sig?.geo[i],
    ].join();
    if (seen.has(event)) throw new Error(`event ${i} repeats an earlier event: ${event}`);
    seen.add(event);
  }
}

function inDict(field: string, id: number, size: number, optional: boolean, i: number): void {
  if (optional && id === NONE) return;
  if (!(id >= 0 && id < size)) throw new Error(`${field}[${i}] = ${id} outside its dictionary of ${size}`);
}
