// Which folders recgap may replace. Every output folder holds a marker, `.recgap-output`: a small JSON naming
// the tool, the command that wrote it, the recgap version and every file it wrote. A command replaces an
// existing OUT/<name> only when the marker says recgap wrote it, for a command of the same family (a run
// never replaces a sweep), and the folder holds nothing the marker does not list: a user's thesis.tex, a
// regular file or a symbolic link where the folder should be are refused, never deleted.
// Folders written before markers existed are accepted when their own file says what they are (results.json
// of a run, sweep.json of a sweep, shard.json of a shard) and they hold only names that command writes.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { resultsMsg } from './messages.ts';
import { checkUntrusted } from './untrusted.ts';

/** The marker's file name inside every output folder. */
export const OUTPUT_MARKER = '.recgap-output';
export const OUTPUT_FORMAT = 'recgap.output/1';

/** The command that writes a folder: run, merge and report write run folders; sweep, shard, gate and fit their own. */
export const OUTPUT_KINDS = ['run', 'merge', 'report', 'sweep', 'shard', 'gate', 'fit'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];
type Family = 'run' | 'sweep' | 'shard' | 'gate' | 'fit';
const FAMILY: Record<OutputKind, Family> = { run: 'run', merge: 'run', report: 'run', sweep: 'sweep', shard: 'shard', gate: 'gate', fit: 'fit' };

/** What a family's folder held before markers, and the file (with its version field) that identifies it. */
const LEGACY: Record<Family, { names: readonly string[]; file: string; field: string; prefix: string }> = {
  run: {
    names: ['results.json', 'requests.csv', 'requests.parquet', 'audit.json', 'report.html', 'summary.md', 'charts', 'models'],
    file: 'results.json',
    field: 'version',
    prefix: 'recgap.results/',
  },
  sweep: { names: ['sweep.csv', 'sweep.json', 'report.html', 'summary.md', 'charts'], file: 'sweep.json', field: 'version', prefix: 'recgap.sweep/' },
  shard: { names: ['shard.json', 'tables.bin', 'models'], file: 'shard.json', field: 'format', prefix: 'recgap-shard/' },
  gate: { names: ['gate.md', 'gate.json'], file: 'gate.json', field: 'version', prefix: 'recgap.gate/' },
  // Fit folders came with markers: none was ever written without one, so nothing legacy is accepted.
  fit: { names: [], file: 'fit.json', field: 'format', prefix: 'recgap-fit/' },
};

/** A relative path inside the folder: non-empty segments other than `.` and `..`, without backslashes or NUL. */
const insideFolder = (rel: string) => rel.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !/[\\\0]/.test(seg));

const markerSchema = z.strictObject({
  tool: z.literal('recgap'),
  format: z.literal(OUTPUT_FORMAT),
  kind: z.enum(OUTPUT_KINDS),
  version: z.string(),
  files: z.array(z.string().refine(insideFolder, 'a path inside the folder')),
});
export type OutputMarker = z.infer<typeof markerSchema>;

/** recgap's version, recorded in every marker. */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The marker's text for a folder written by `kind` with these files (paths relative to the folder).
 *
 * @example
 * markerText('run', ['results.json', 'charts/roi.svg'])
 */
export function markerText(kind: OutputKind, files: readonly string[]): string {
  const marker: OutputMarker = { tool: 'recgap', format: OUTPUT_FORMAT, kind, version: VERSION, files: [...new Set(files)].sort() };
  return `${JSON.stringify(marker, null, 2)}\n`;
}

/** The state of a target folder a command may replace. */
export interface TargetState {
  exists: boolean;
  /** Files in it that recgap wrote (relative paths): the marker's list, or a legacy folder's files. */
  written: string[];
}

/**
 * Check that `target` may be replaced by `kind`, or throw an InputError saying why not and what to do.
 * `replaces` limits the check to those top-level entries (recgap report rewrites only the report files and
 * carries everything else over); by default the whole folder is replaced.
 *
 * @example
 * inspectTarget('/abs/reports/quickstart', 'reports/quickstart', 'run');
 */
export function inspectTarget(target: string, shown: string, kind: OutputKind, replaces?: ReadonlySet<string>): TargetState {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, written: [] };
    throw e;
  }
  if (st.isSymbolicLink()) throw new InputError(resultsMsg.targetIsLink(shown));
  if (!st.isDirectory()) throw new InputError(resultsMsg.targetNotFolder(shown));
  const inScope = (rel: string) => !replaces || replaces.has(rel.split('/')[0]);
  const markerPath = join(target, OUTPUT_MARKER);
  if (existsSync(markerPath)) {
    const marker = readMarker(markerPath, shown);
    if (FAMILY[marker.kind] !== FAMILY[kind]) throw new InputError(resultsMsg.targetOtherKind(shown, marker.kind, kind));
    const listed = new Set(marker.files);
    const foreign = findForeign(target, '', (rel, isFile) => (isFile ? listed.has(rel) : marker.files.some((f) => f.startsWith(`${rel}/`))), inScope);
    if (foreign) throw new InputError(resultsMsg.targetForeignEntry(shown, foreign));
    return { exists: true, written: marker.files.filter((f) => existsSync(join(target, f))) };
  }
  return { exists: true, written: inspectLegacy(target, shown, kind, inScope) };
}

/** A folder without a marker: accepted only as a complete earlier recgap output of the same family. */
function inspectLegacy(target: string, shown: string, kind: OutputKind, inScope: (rel: string) => boolean): string[] {
  const legacy = LEGACY[FAMILY[kind]];
  const entries = readdirSync(target);
  if (!entries.includes(legacy.file) || !identifies(join(target, legacy.file), legacy.field, legacy.prefix)) {
    throw new InputError(resultsMsg.targetNotRecgap(shown, OUTPUT_MARKER));
  }
  const known = new Set(legacy.names);
  const foreign = entries.find((e) => inScope(e) && !known.has(e));
  if (foreign) throw new InputError(resultsMsg.targetForeignEntry(shown, foreign));
  const written: string[] = [];
  for (const e of entries.filter((x) => known.has(x))) collectFiles(join(target, e), e, written);
  return written;
}

/** Whether a JSON file's `field` starts with `prefix` (how an earlier recgap output names its format). */
function identifies(file: string, field: string, prefix: string): boolean {
  try {
    const v = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null)?.[field];
    return typeof v === 'string' && v.startsWith(prefix);
  } catch {
    return false;
  }
}

function readMarker(path: string, shown: string): OutputMarker {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(resultsMsg.markerUnreadable(shown, OUTPUT_MARKER, (e as Error).message.split('\n')[0]));
  }
  const checked = checkUntrusted(markerSchema, data);
  if (!checked.ok) throw new InputError(resultsMsg.markerUnreadable(shown, OUTPUT_MARKER, checked.problem));
  return checked.value;
}

/**
 * The first entry under `dir` (depth first, sorted) that recgap did not write: `known(rel, isFile)` says
 * whether a regular file or a folder is recgap's; symbolic links and other special files never are.
 */
function findForeign(dir: string, prefix: string, known: (rel: string, isFile: boolean) => boolean, inScope: (rel: string) => boolean): string | null {
  for (const e of readdirSync(dir).sort()) {
    const rel = prefix + e;
    if (rel === OUTPUT_MARKER || !inScope(rel)) continue;
    const st = lstatSync(join(dir, e));
    if (st.isDirectory()) {
      if (!known(rel, false)) return `${rel}/`;
      const inner = findForeign(join(dir, e), `${rel}/`, known, () => true);
      if (inner) return inner;
    } else if (!st.isFile() || !known(rel, true)) return rel;
  }
  return null;
}

function collectFiles(path: string, rel: string, out: string[]): void {
  const st = lstatSync(path);
  if (st.isDirectory()) for (const e of readdirSync(path).sort()) collectFiles(join(path, e), `${rel}/${e}`, out);
  else if (st.isFile()) out.push(rel);
}
