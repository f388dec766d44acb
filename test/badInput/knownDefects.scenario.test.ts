// Defects found by the issue #8 audit and the property tests, each pinned as `it.fails` with the behaviour
// it should have. These pass while the defect is there; when a fix lands the test starts failing: flip it to
// `it` (adjusting the proposed message if the fix words it differently) and drop the matching KNOWN entry in
// test/property/. Current behaviour is written next to each row.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { ingestMsg } from '../../src/ingest/messages.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import type { DataFormat, DataSpec } from '../../src/scenario/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'recgap-defects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write `content` (`\x80` stands for a lone 0x80 byte, never valid UTF-8) as `name`. */
function writeLog(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  const bytes = typeof content === 'string' ? Buffer.concat(content.split('\x80').flatMap((p, i) => (i ? [Buffer.from([0x80]), Buffer.from(p)] : [Buffer.from(p)]))) : content;
  writeFileSync(file, bytes);
  return file;
}
const spec = (path: string, format: DataFormat = 'csv', extra: Partial<DataSpec> = {}): DataSpec => ({
  path, format, columns: null, timeUnit: 'auto', eventMap: null, delimiter: null, sessionGapMs: 30 * 60_000, strict: false, ...extra,
});
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Error);
/** An InputError with exactly `message`. */
async function expectInputError(p: Promise<unknown>, message: string): Promise<void> {
  const e = await errorOf(p);
  expect(e).toBeInstanceOf(InputError);
  expect(e!.message).toBe(message);
}

const H = 'time,person,item,event\n';
const base = readFileSync(new URL('../../scenarios/quickstart.yaml', import.meta.url), 'utf8');
const edit = (from: string, to: string) => {
  if (!base.includes(from)) throw new Error(`fixture drift: ${from}`);
  return base.replace(from, to);
};
function scenarioError(text: string, overrides: string[] = []): Error {
  try {
    parseScenario(text, 'q.yaml', overrides);
  } catch (e) {
    return e as Error;
  }
  throw new Error('parsed without an error');
}

describe('known defects: scenarios (src/scenario)', () => {
  // Fixed: src/scenario/overrides.ts rejects __proto__, constructor and prototype in a path and walks own properties only.
  it('--set cannot write to Object.prototype', () => {
    try {
      const e = scenarioError(base, ['__proto__.polluted=1']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toBe('--set "__proto__.polluted=1": __proto__ is not a scenario key; a path may not contain __proto__, constructor or prototype');
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });

  // Fixed: src/scenario/yaml.ts bounds the values aliases add (10,000) and names the alias that passes the bound.
  it('an alias bomb is an InputError', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [n, p] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']]) rows.push(`${n}: &${n} [${Array(9).fill(`*${p}`).join(', ')}]`);
    const e = scenarioError(rows.join('\n') + '\n');
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^q\.yaml(:\d+)?: invalid YAML: /);
  });

  // Fixed: src/scenario/yaml.ts resolves aliases before converting and reports one without its anchor at its line.
  it('an alias without its anchor is an InputError with its line', () => {
    const e = scenarioError(edit('name: quickstart', 'name: *a'));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^q\.yaml:6: invalid YAML: /);
  });

  // Fixed: src/scenario/yaml.ts rejects collection keys at the key's line before yaml would stringify them (and warn).
  it('a list or mapping used as a key is a one-line error at its line', () => {
    const key = '{ streaming-oracle: "every event visible at once, the true person known (equals the offline view)." }';
    const e = scenarioError(`${base}? ${key}\n: 1\n`);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).not.toMatch(/\n/);
    expect(e.message).toMatch(/^q\.yaml:16: /);
  });

  // Fixed: kappa, scale and sigma have upper bounds (100, 100, 10000), so sigma = scale * sqrt(2 kappa) stays finite.
  it('a kappa so large that sigma overflows is out of range', () => {
    expect(scenarioError(base, ['world.drift.kappa=1e308'])).toBeInstanceOf(InputError);
  });

  // Fixed: src/errors.ts `show` writes non-finite numbers as YAML does (.inf, -.inf, .nan).
  it('.inf and .nan are shown as such in messages', () => {
    expect(scenarioError(edit('persons: 20000', 'persons: .inf')).message).toBe('q.yaml:8: world.persons is .inf; expected an integer >= 1 and <= 100000000');
  });

  // Fixed: a positive duration needs a non-zero digit and at least 1ms (src/scenario/schema.ts).
  it.each([
    ['eval.window', edit('window: 7d', 'window: 0d'), 'q.yaml:10: eval.window is "0d"; expected a positive duration such as 7d or 12h (the label window W)'],
    ['pipelines.0.refresh', edit('refresh: 7d', 'refresh: 0d'), 'q.yaml:13: pipelines.0.refresh is "0d"; expected batch cadence such as 7d, 1d, 1h, or stream'],
  ])('a zero %s is rejected', (_label, text, message) => {
    expect(scenarioError(text).message).toBe(message);
  });

  // Fixed: world.days <= 3650, world.persons <= 1e8, world.items <= 1e7.
  it('world.days has an upper bound', () => {
    expect(scenarioError(edit('days: 56', 'days: 1e300'))).toBeInstanceOf(InputError);
  });

  // Fixed: src/scenario/issues.ts reports an unknown key before the required key it stands for.
  it('a misspelt required key gets its did-you-mean', () => {
    expect(scenarioError(edit('refresh: 7d, latency: 6h', 'refrsh: 7d, latency: 6h')).message).toBe('q.yaml:13: unknown key "refrsh" in pipelines.0; did you mean "refresh"?');
  });

  // Fixed: a numeric quantile is strictly between 0 and 1, with the message of "0%" and "100%".
  it.each([['0'], ['1']])('a numeric train.until of %s is rejected (as the quantiles 0 and 100 percent are)', (q) => {
    expect(scenarioError(edit('until: "75%"', `until: ${q}`)).message).toBe(`q.yaml:9: train.until is ${q}; expected a quantile strictly between 0% and 100% (0 and 1)`);
  });

  // Fixed: src/scenario/issues.ts follows the union branch that fits the value and words types and sizes itself.
  it.each([
    ['k: 2.5', edit('k: [10, 20]', 'k: 2.5'), /^q\.yaml:10: eval\.k is 2\.5; expected an integer/],
    ['persons: 1.5', edit('persons: 20000', 'persons: 1.5'), /^q\.yaml:8: world\.persons is 1\.5; expected an integer/],
    ['k: []', edit('k: [10, 20]', 'k: []'), /^q\.yaml:10: eval\.k is \[\]; expected at least one /],
  ])('messages read as English (%s)', (_label, text, message) => {
    expect(scenarioError(text).message).toMatch(message);
  });

  // Fixed: "q.yaml:16: invalid YAML: a second document starts here; a scenario file holds one YAML document".
  it('a second YAML document is explained without the library API', () => {
    expect(scenarioError(`${base}---\nname: x\n`).message).toBe('q.yaml:16: invalid YAML: a second document starts here; a scenario file holds one YAML document');
  });
});
