// House style, statically: every user-facing error is built by a function of a messages module (src/errors.ts
// `msg`, or a folder's messages.ts: ingestMsg, reportMsg, jobMsg, ...), never from an inline template or string
// literal, so tests can compare against the function and the wording lives in one place per folder.
// An InputError, RunError or TfError must take `<something>Msg.<name>(...)` or `msg.<name>(...)`; the few that
// pass on a message built by such a function elsewhere are listed below with the reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Code without comments, so an example in a doc comment does not count. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

/** The argument text of each `new InputError(`, `new RunError(` and `new TfError(` in `text`, up to its first line break. */
function errorArguments(text: string): string[] {
  return [...code(text).matchAll(/new\s+(?:InputError|RunError|TfError)\s*\(\s*([^\n]*)/g)].map((m) => m[1].trim());
}

/** From a messages function: `msg.x(`, `ingestMsg.x(`, ... */
const FROM_MESSAGES = /^\w*(?:msg|Msg)\.\w+\(/;

/**
 * Constructions whose argument is a message made elsewhere, by file (relative to the repo) and argument start.
 * Each entry is checked to still exist, so the list cannot go stale.
 */
const PASS_THROUGH: Array<[file: string, argument: string, why: string]> = [
  ['src/scenario/load.ts', 'yaml.message(', 'readYaml returns a msg.yaml* function; load.ts adds the file:line'],
  ['src/scenario/overrides.ts', 'yaml.syntax ? msg.overrideBadYaml(', 'a --set value: msg.overrideBadYaml, or the msg.yaml* function readYaml returns'],
  ['src/scenario/load.ts', 'formatIssue(', 'scenario/issues.ts turns schema issues into msg.unknownKey / invalidValue / missingKey'],
  ['src/ingest/columnMap.ts', 'message);', 'the local fail() helper, called with ingestMsg.* texts only'],
  ['src/ingest/readLog.ts', 'verdict.message);', 'the .gz check result, built by ingestMsg.notGzip / gzipCutShort / gzipCorrupt'],
  ['src/ingest/readLog.ts', 'message);', 'duckErrorMessage, built by ingestMsg.malformedJson / unreadable'],
  ['src/ingest/dropReport.ts', 'message());', 'the earliest of several candidate ingestMsg.* texts'],
  ['src/models/tfjsModel.ts', 'message);', 'the local fail() helper (disposes the model first), called with modelMsg.* texts only'],
  ['src/jobs/formatJson.ts', 'messages.missing(', "the caller's jobMsg.notShardFolder / notFitFolder"],
  ['src/jobs/formatJson.ts', 'messages.invalid(', "the caller's jobMsg.shardInvalid / fitInvalid"],
];

describe('user-facing errors in src/ come from messages modules', () => {
  const files = sources(join(ROOT, 'src')).map((f) => [relative(ROOT, f), readFileSync(f, 'utf8')] as const);

  it('finds the constructions it checks (the scan is not empty)', () => {
    expect(files.flatMap(([, text]) => errorArguments(text)).length).toBeGreaterThan(100);
  });

  it('has no InputError, RunError or TfError built from an inline template, string literal or unlisted value', () => {
    const bad: string[] = [];
    for (const [file, text] of files) {
      for (const arg of errorArguments(text)) {
        if (FROM_MESSAGES.test(arg)) continue;
        if (PASS_THROUGH.some(([f, a]) => f === file && arg.startsWith(a))) continue;
        bad.push(`${file}: new ...Error(${arg}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('lists only pass-throughs that still exist', () => {
    for (const [file, argument] of PASS_THROUGH) {
      const text = files.find(([f]) => f === file)?.[1] ?? '';
      expect(
        errorArguments(text).some((a) => a.startsWith(argument)),
        `${file}: ${argument}`,
      ).toBe(true);
    }
  });

  it('catches the forms it forbids', () => {
    const sample = [
      'throw new InputError(`file: bad`);',
      "throw new RunError('bad');",
      'throw new InputError(\n  `file: bad`,\n);',
      'throw new InputError("bad");',
    ].join('\n');
    const args = errorArguments(sample);
    expect(args).toHaveLength(4);
    expect(args.filter((a) => FROM_MESSAGES.test(a))).toEqual([]);
    expect(errorArguments('throw new InputError(ingestMsg.emptyFile(file)); // new RunError(`comment`)')).toEqual(['ingestMsg.emptyFile(file));']);
  });
});
