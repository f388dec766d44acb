// Writing an output folder (OUT/<name>/) safely. A command claims its target when it starts, before it
// generates or reads anything: --out must be a folder it can write to, no input of the command may lie inside
// the folder it would replace, the folder must be one recgap wrote (outputMarker.ts), and no other recgap may
// be writing it (outputLock.ts). Leftovers of writers that died are recovered or removed first.
// Writing then goes into a temporary folder beside the target (.<name>.tmp-PID), synced to disk, and
// replaces the target with two renames: target -> .<name>.old-PID, temporary -> target. A crash before the
// first rename leaves the old output; after the second, the new one; between them the old output waits in
// .<name>.old-PID, and the next command that claims the target (any write, or recgap report) renames it back.
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError, RunError } from '../errors.ts';
import { resultsMsg } from './messages.ts';
import { SCENARIO_NAME_PATTERN } from '../scenario/names.ts';
import { LOCK_LITTER, acquireLock, holdsLock, processAlive, releaseLock } from './outputLock.ts';
import { inspectTarget, markerText, OUTPUT_MARKER, type OutputKind } from './outputMarker.ts';

export { OUTPUT_MARKER, type OutputKind } from './outputMarker.ts';

export interface OutputFile {
  name: string;
  content: string | Uint8Array;
}

/**
 * A file made in parts and written one part at a time: requests.csv at 1M requests is about 350 MB of text,
 * which as one string would come near V8's longest.
 */
export interface ChunkedOutputFile {
  name: string;
  chunks(): Iterable<string | Uint8Array>;
}

/** A file of an output folder: its whole content, or its content in parts. */
export type OutputEntry = OutputFile | ChunkedOutputFile;

/** An input of the command, which must not lie inside the folder it replaces. */
export interface OutputInput {
  /** What it is, for the message: "the data file", "shard folder", ... */
  what: string;
  path: string;
}

/** The points a write passes, in order (`file-written` once per file); tests stop a process at each. */
export const WRITE_STEPS = ['locked', 'tmp-created', 'file-written', 'files-written', 'target-moved', 'target-replaced', 'old-removed', 'unlocked'] as const;
export type WriteStep = (typeof WRITE_STEPS)[number];

export interface ClaimOptions {
  /** The --out folder, as the user gave it (messages name paths under it). */
  outDir: string;
  /** The folder's name inside outDir: a single safe path segment. */
  name: string;
  /** The command writing it: which existing folders it may replace. */
  kind: OutputKind;
  /** Inputs of the command (data files, models, shard folders): refused when inside the target. */
  inputs?: readonly OutputInput[];
  /** Top-level entries this command rewrites; the rest of the existing folder is carried over. Default: all. */
  replaces?: readonly string[];
  /** Called at each step of the write: a hook for tests that kill the process there. */
  onStep?: (step: WriteStep) => void;
}

/** A claimed output folder: write it once, then release (or let `using` release it). */
export interface OutputClaim extends Disposable {
  /** Absolute path of the target folder. */
  readonly dir: string;
  /** Replace the target with `files` (and the carried-over entries) and return its absolute path. */
  write(files: readonly OutputEntry[]): string;
  /** Release the lock; when nothing was written, also remove the folders the claim created. */
  release(): void;
}

/**
 * Claim `outDir/name` for a command: check, lock and recover it before any work. Throws an InputError (exit 2)
 * naming the path and what to do when the folder may not be written.
 *
 * @example
 * using out = claimOutput({ outDir: 'reports', name: 'quickstart', kind: 'run', inputs: [{ what: 'the data file', path: dataPath }] });
 * // ... the run ...
 * out.write([{ name: 'results.json', content: json }]);
 */
export function claimOutput(opts: ClaimOptions): OutputClaim {
  const { outDir, name, kind } = opts;
  if (!SCENARIO_NAME_PATTERN.test(name)) throw new InputError(resultsMsg.unsafeOutputName(name));
  const step = opts.onStep ?? (() => {});
  const shown = join(outDir, name);
  const root = resolve(outDir);
  const created = makeRoot(root, outDir);
  const target = join(root, name);
  const lock = join(root, `.${name}.lock`);
  try {
    acquireLock(lock, shown);
  } catch (e) {
    removeCreated(root, created);
    throw writeError(e, outDir);
  }
  step('locked');
  const replaces = opts.replaces ? new Set(opts.replaces) : undefined;
  try {
    recoverOrphans(root, name);
    // An input inside the target first: the more useful message when the folder is also not recgap's.
    for (const input of opts.inputs ?? []) {
      if (inside(input.path, target)) throw new InputError(resultsMsg.inputInsideTarget(input.what, input.path, shown));
    }
    inspectTarget(target, shown, kind, replaces);
  } catch (e) {
    releaseLock(lock);
    removeCreated(root, created);
    throw e;
  }
  let wrote = false;
  let released = false;
  const claim: OutputClaim = {
    dir: target,
    write(files) {
      if (released || wrote) throw new Error(`output ${shown} was already ${released ? 'released' : 'written'}`);
      // A process that stalled long enough for another host to take its lock over must not write.
      if (!holdsLock(lock)) throw new RunError(resultsMsg.lockLost(shown, lock));
      // Checked again: the folder may have changed while the command ran.
      const state = inspectTarget(target, shown, kind, replaces);
      replaceFolder(root, name, kind, files, state.exists, replaces ? state.written.filter((f) => !replaces.has(f.split('/')[0])) : [], replaces, step);
      wrote = true;
      return target;
    },
    release() {
      if (released) return;
      released = true;
      releaseLock(lock);
      step('unlocked');
      if (!wrote) removeCreated(root, created);
    },
    [Symbol.dispose]() {
      claim.release();
    },
  };
  return claim;
}

/**
 * Claim, write and release in one call: for callers that have nothing to check before their work.
 *
 * @example
 * writeAtomically('reports', 'quickstart', [{ name: 'results.json', content: json }]);
 */
export function writeAtomically(outDir: string, name: string, files: readonly OutputEntry[], kind: OutputKind = 'run'): string {
  using out = claimOutput({ outDir, name, kind });
  return out.write(files);
}

/** The temporary and parked folders of a target (names shared with the orphan scan). */
const tmpName = (name: string, pid: number) => `.${name}.tmp-${pid}`;
const oldName = (name: string, pid: number) => `.${name}.old-${pid}`;

function replaceFolder(
  root: string,
  name: string,
  kind: OutputKind,
  files: readonly OutputEntry[],
  exists: boolean,
  kept: readonly string[],
  replaces: ReadonlySet<string> | undefined,
  step: (s: WriteStep) => void,
): void {
  const target = join(root, name);
  const tmp = join(root, tmpName(name, process.pid));
  const old = join(root, oldName(name, process.pid));
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  step('tmp-created');
  try {
    // Entries the command does not rewrite (recgap report keeps results, requests, models, a user's notes):
    // hard-linked into the new folder, so nothing is copied and the old folder stays intact until the swap.
    if (exists && replaces) {
      for (const e of readdirSync(target)) if (e !== OUTPUT_MARKER && !replaces.has(e)) linkTree(join(target, e), join(tmp, e));
    }
    for (const f of files) {
      const path = join(tmp, f.name);
      mkdirSync(dirname(path), { recursive: true });
      writeDurably(path, f);
      step('file-written');
    }
    // The marker last: it lists every file recgap wrote here, the carried-over ones included.
    writeDurably(join(tmp, OUTPUT_MARKER), { name: OUTPUT_MARKER, content: markerText(kind, [...kept, ...files.map((f) => f.name)]) });
    syncFolder(tmp);
    step('files-written');
    if (exists) {
      renameSync(target, old);
      step('target-moved');
    }
    renameSync(tmp, target);
    syncFolder(root);
    step('target-replaced');
    rmSync(old, { recursive: true, force: true });
    step('old-removed');
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(target) && existsSync(old)) renameSync(old, target);
    throw e;
  }
}

/**
 * Leftovers of writers of this target that died (their pid is gone; this process holds the lock, so its own
 * are leftovers too): a parked old output is renamed back when the target is missing (killed between the two
 * renames), every other temporary or parked folder and stale lock file is removed. Folders of live pids (an
 * older recgap without locks) are left alone.
 */
function recoverOrphans(root: string, name: string): void {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)$`);
  const dead = (pid: number) => pid === process.pid || !processAlive(pid);
  const olds: Array<{ path: string; mtimeMs: number }> = [];
  const doomed: string[] = [];
  for (const e of readdirSync(root)) {
    const m = pattern.exec(e);
    if (m && dead(Number(m[2]))) {
      if (m[1] === 'old') olds.push({ path: join(root, e), mtimeMs: lstatSync(join(root, e)).mtimeMs });
      else doomed.push(join(root, e));
      continue;
    }
    const litter = e.startsWith(`.${name}.lock.`) ? LOCK_LITTER.exec(e) : null;
    if (litter && Number(litter[1]) !== process.pid && !processAlive(Number(litter[1]))) doomed.push(join(root, e));
  }
  olds.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const target = join(root, name);
  if (olds.length && !existsSync(target)) renameSync(olds.shift()!.path, target);
  for (const p of [...doomed, ...olds.map((o) => o.path)]) rmSync(p, { recursive: true, force: true });
}

/** Create --out (and missing parents); returns the first folder created, to remove it again if nothing is written. */
function makeRoot(root: string, outDir: string): string | undefined {
  if (existsSync(root) && !statSync(root).isDirectory()) throw new InputError(resultsMsg.outNotFolder(outDir));
  try {
    return mkdirSync(root, { recursive: true });
  } catch (e) {
    throw writeError(e, outDir);
  }
}

/** File system errors that mean --out is the wrong place: an InputError saying so; others as they are. */
function writeError(e: unknown, outDir: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new InputError(resultsMsg.outNotWritable(outDir, code));
  if (code === 'ENOTDIR' || code === 'EEXIST') return new InputError(resultsMsg.outNotFolder(outDir));
  return e;
}

/** Remove the folders a claim created (innermost first) when they are still empty. */
function removeCreated(root: string, created: string | undefined): void {
  if (!created) return;
  for (let d = root; d.length >= created.length; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty (or gone): stop
    }
    if (d === created) return;
  }
}

/** Whether `path` is the target or lies inside it (symbolic links resolved where they exist). */
function inside(path: string, target: string): boolean {
  if (!existsSync(target)) return false;
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const rel = relative(real(target), real(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function writeDurably(path: string, file: OutputEntry): void {
  const fd = openSync(path, 'wx');
  try {
    // writeFileSync on a descriptor writes at its position: the parts follow each other.
    if ('content' in file) writeFileSync(fd, file.content);
    else for (const chunk of file.chunks()) writeFileSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Sync a folder's entries (the renames) to disk; some systems cannot open a folder, which is then skipped. */
function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // not supported for folders here
  } finally {
    closeSync(fd);
  }
}

/** Recreate `src` at `dst` with hard links (copies where linking fails); links stay links. */
function linkTree(src: string, dst: string): void {
  const st = lstatSync(src);
  if (st.isDirectory()) {
    mkdirSync(dst);
    for (const e of readdirSync(src)) linkTree(join(src, e), join(dst, e));
  } else if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
  else {
    try {
      linkSync(src, dst);
    } catch {
      copyFileSync(src, dst);
    }
  }
}
