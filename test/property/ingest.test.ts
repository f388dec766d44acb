// Property: whatever bytes a CSV or JSONL log holds, readLog either loads it (every record loaded or counted as
// dropped, times sorted, ids inside their dictionaries) or throws an InputError whose one-line message names
// the file. Never another exception, never a hang. Seeded, so the suite is deterministic.
import { defaultDataSpec } from '../../src/scenario/defaults.ts';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/readLog.ts';
import type { DataFormat, DataSpec } from '../../src/scenario/types.ts';
import { csvBytes, csvCase, csvRecordCount, expectInputError, expectWellFormedLog, jsonlBytes, jsonlCase, SEED } from './arbitraries.ts';

// A read takes tens of milliseconds: 30 runs per property keeps the file near 10 s on a shared 2-core machine.
// 20 runs by default (the suite's time budget); PROP_RUNS=300 explores further (about 3 minutes). The seed stays fixed.
fc.configureGlobal({ seed: SEED, numRuns: Number(process.env.PROP_RUNS ?? 20) });
/** A single read slower than this counts as a hang. */
const RUN_TIMEOUT_MS = 10_000;
const TEST_TIMEOUT_MS = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'recgap-prop-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

/** Options a user might set, drawn at random. */
const options = fc.record({
  timeUnit: fc.constantFrom('auto' as const, 'auto' as const, 'ms' as const, 's' as const, 'iso' as const),
  eventMap: fc.constantFrom(null, { view: 'view', purchase: 'purchase' }),
  strict: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)),
});

interface Outcome {
  loaded: boolean;
}

/** Write the bytes, read them, and check whichever way it went. `records`: the data records, when known. */
async function check(bytes: Buffer, format: DataFormat, extra: Partial<DataSpec>, records: number | undefined, suffix = ''): Promise<Outcome> {
  const file = join(dir, `case-${counter++}.${format}${suffix}`);
  writeFileSync(file, bytes);
  const spec: DataSpec = defaultDataSpec(file, format, extra);
  let result: Awaited<ReturnType<typeof readLog>>;
  try {
    result = await readLog(spec);
  } catch (e) {
    expectInputError(e, file);
    return { loaded: false };
  } finally {
    rmSync(file, { force: true });
  }
  const { log, report } = result;
  expect(report.loaded).toBe(log.length);
  expect(report.loaded).toBeGreaterThan(0);
  const dropped = report.dropped.reduce((s, d) => s + d.count, 0);
  expect(report.loaded + dropped).toBe(report.rows);
  if (records !== undefined) expect(report.rows).toBe(records);
  if (spec.strict) expect(report.dropped).toEqual([]);
  for (const d of report.dropped) {
    expect(d.count).toBeGreaterThan(0);
    expect(d.firstLines.length).toBeGreaterThan(0);
    expect(d.firstLines.length).toBeLessThanOrEqual(Math.min(5, d.count));
    expect(d.firstLines).toEqual([...new Set(d.firstLines)].sort((a, b) => a - b));
  }
  expect(report.outOfOrder).toBeGreaterThanOrEqual(0);
  expect(report.outOfOrder).toBeLessThan(report.rows);
  expectWellFormedLog(log);
  return { loaded: true };
}

describe('readLog on arbitrary CSV', () => {
  it(
    'random rows, delimiters, quotes, missing and extra fields, bad bytes: loads consistently or fails with a one-line InputError',
    async () => {
      const outcomes: Outcome[] = [];
      await fc.assert(
        fc.asyncProperty(csvCase, options, fc.boolean(), async (c, opts, giveDelimiter) => {
          const extra = { ...opts, delimiter: giveDelimiter ? c.delimiter : null };
          const bytes = csvBytes(c);
          outcomes.push(await check(bytes, 'csv', extra, csvRecordCount(c)));
        }),
        { timeout: RUN_TIMEOUT_MS },
      );
      // The generator is useful only if both branches happen.
      expect(outcomes.some((o) => o.loaded)).toBe(true);
      expect(outcomes.some((o) => !o.loaded)).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'arbitrary bytes after a canonical header (or none)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('', 'time,person,key,item,event\n', 'time;person;key;item;event\r\n'),
          fc.uint8Array({ minLength: 1, maxLength: 200 }),
          options,
          async (header, body, opts) => {
            await check(Buffer.concat([Buffer.from(header), body]), 'csv', opts, undefined);
          },
        ),
        { timeout: RUN_TIMEOUT_MS, numRuns: Math.ceil((Number(process.env.PROP_RUNS ?? 20) * 2) / 3) },
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('readLog on gzipped CSV', () => {
  it(
    'random CSV gzipped, cut short, or arbitrary bytes named .csv.gz',
    async () => {
      await fc.assert(
        fc.asyncProperty(csvCase, fc.constantFrom('whole', 'cut', 'raw'), fc.uint8Array({ minLength: 1, maxLength: 100 }), async (c, how, raw) => {
          const plain = csvBytes(c);
          const gz = gzipSync(plain);
          const bytes = how === 'whole' ? gz : how === 'cut' ? gz.subarray(0, Math.max(1, gz.length >> 1)) : Buffer.from(raw);
          await check(bytes, 'csv', {}, how === 'whole' ? csvRecordCount(c) : undefined, '.gz');
        }),
        { timeout: RUN_TIMEOUT_MS, numRuns: Math.ceil(Number(process.env.PROP_RUNS ?? 20) / 2) },
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('readLog on arbitrary JSONL', () => {
  it(
    'random objects, malformed lines, huge numbers, bad bytes, blank lines: loads consistently or fails with a one-line InputError',
    async () => {
      const outcomes: Outcome[] = [];
      await fc.assert(
        fc.asyncProperty(jsonlCase, options, async (c, opts) => {
          outcomes.push(await check(jsonlBytes(c), 'jsonl', opts, undefined));
        }),
        { timeout: RUN_TIMEOUT_MS },
      );
      expect(outcomes.some((o) => o.loaded)).toBe(true);
      expect(outcomes.some((o) => !o.loaded)).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'arbitrary bytes',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), options, async (body, opts) => {
          await check(Buffer.from(body), 'jsonl', opts, undefined);
        }),
        { timeout: RUN_TIMEOUT_MS, numRuns: Math.ceil((Number(process.env.PROP_RUNS ?? 20) * 2) / 3) },
      );
    },
    TEST_TIMEOUT_MS,
  );
});
