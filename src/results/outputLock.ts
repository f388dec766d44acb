// One writer per output folder. A command that writes OUT/<name> first creates OUT/.<name>.lock, holding its
// pid, host, thread, start time and a random token, and keeps it until it has written (or failed). A second
// command aimed at the same folder fails at once, naming the first one's pid, instead of failing with
// ENOTEMPTY after an hour of work. The lock appears complete or not at all: its text is written to a private
// file first and hard-linked into place (link fails when the lock exists).
// A lock whose process is dead is stale and taken over: on the same host, when no process has its pid; from
// another host (a shared volume: Kubernetes pods, batch jobs), when its heartbeat stopped. While a lock is
// held, a small worker thread touches it every minute (a thread of its own, since a run keeps the main thread
// busy for minutes); a lock untouched for ten minutes belongs to a process that is gone.
// Locks are released at the end of the command, on errors, and on SIGINT, SIGTERM and SIGHUP.
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isMainThread, threadId, Worker } from 'node:worker_threads';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { resultsMsg } from './messages.ts';

/** What a lock file holds. */
export interface LockHolder {
  pid: number;
  host: string;
  /** Worker thread id (0 for the main thread): two threads of one process are two writers. */
  thread: number;
  startedAt: string;
  token: string;
}

const holderSchema = z.strictObject({ pid: z.number().int(), host: z.string(), thread: z.number().int(), startedAt: z.string(), token: z.string() });

/** The locks this thread holds, by lock path. */
const held = new Map<string, LockHolder>();

/** How often a vanished or stale lock is retried before giving up (another process keeps winning the race). */
const ATTEMPTS = 5;

/**
 * Heartbeat period and the age after which a lock from another host is stale. Generous against clock skew
 * between hosts; tests shorten them.
 */
export const lockTiming = { heartbeatMs: 60_000, staleMs: 10 * 60_000 };

/**
 * Whether a process with this pid exists on this machine (EPERM: it exists but is not ours).
 *
 * @example
 * processAlive(process.pid) // true
 */
export function processAlive(pid: number): boolean {
  // kill(0) and negative pids address process groups: never a lock holder.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take the lock file `lockPath` for the output `shownTarget` (as the user named it, for messages), or throw
 * an InputError naming the live holder. Other file system errors (EACCES, EROFS) are thrown as they are.
 *
 * @example
 * acquireLock('/tmp/reports/.quickstart.lock', 'reports/quickstart');
 */
export function acquireLock(lockPath: string, shownTarget: string): void {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const mine: LockHolder = {
      pid: process.pid,
      host: hostname(),
      thread: threadId,
      startedAt: new Date().toISOString(),
      token: randomBytes(8).toString('hex'),
    };
    if (create(lockPath, mine)) {
      installHandlers();
      held.set(lockPath, mine);
      heartbeat();
      return;
    }
    const text = readText(lockPath);
    if (text === null) continue; // released meanwhile: try again
    const holder = parseHolder(text);
    if (!holder) throw new InputError(resultsMsg.lockUnreadable(shownTarget, lockPath));
    if (holderLive(lockPath, holder, touchedMs(lockPath)))
      throw new InputError(resultsMsg.outputBusy(shownTarget, holder.pid, holder.host, holder.startedAt, lockPath));
    takeOverStale(lockPath, text, mine.token);
  }
  throw new InputError(resultsMsg.lockContended(shownTarget, lockPath));
}

/**
 * Release a lock this thread holds (a lock that is no longer ours is left alone).
 *
 * @example
 * releaseLock('/tmp/reports/.quickstart.lock');
 */
export function releaseLock(lockPath: string): void {
  const mine = held.get(lockPath);
  if (!mine) return;
  held.delete(lockPath);
  // The handlers stay installed: a signal that arrived while the main thread was blocked (an external
  // model's answer awaited with Atomics.wait) is dispatched later and must still end the process.
  heartbeat();
  if (ownsLock(lockPath, mine)) unlinkQuietly(lockPath);
}

/**
 * Whether this thread still holds the lock (a process that stalled past the stale age may have lost it).
 *
 * @example
 * if (!holdsLock(lock)) throw new RunError(resultsMsg.lockLost(target, lock));
 */
export function holdsLock(lockPath: string): boolean {
  const mine = held.get(lockPath);
  return mine !== undefined && ownsLock(lockPath, mine);
}

function ownsLock(lockPath: string, mine: LockHolder): boolean {
  return parseHolder(readText(lockPath) ?? '')?.token === mine.token;
}

/** The pid in a lock's private file names (`<lock>.<pid>-...`, `<lock>.stale-<pid>-...`), so dead ones can be cleaned. */
export const LOCK_LITTER = /\.lock\.(?:stale-)?(\d+)-[\w-]+$/;

/** Create the lock with its full text in one step; false when it exists. */
function create(lockPath: string, mine: LockHolder): boolean {
  const text = `${JSON.stringify(mine)}\n`;
  const own = `${lockPath}.${mine.pid}-${mine.thread}-${mine.token}`;
  writeFileSync(own, text, { flag: 'wx' });
  try {
    linkSync(own, lockPath);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    // A file system without hard links: create exclusively and write (a reader may briefly see it empty).
    try {
      writeFileSync(lockPath, text, { flag: 'wx' });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    unlinkQuietly(own);
  }
}

/**
 * Move a stale lock aside and delete it, unless what was moved is no longer the stale text (another process
 * took the lock over in between): that fresh lock is put back and the next attempt finds it live.
 */
function takeOverStale(lockPath: string, staleText: string, token: string): void {
  const aside = `${lockPath}.stale-${process.pid}-${token}`;
  try {
    renameSync(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (readText(aside) !== staleText) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // A third process holds the lock now; the one moved aside has lost it (and will not find its token).
    }
  }
  unlinkQuietly(aside);
}

/** Whether the holder may still be writing: another host with a recent heartbeat, another thread here, or a live pid. */
function holderLive(lockPath: string, h: LockHolder, touchedAtMs: number): boolean {
  if (h.host !== hostname()) return Date.now() - touchedAtMs < lockTiming.staleMs;
  if (h.pid === process.pid) return h.thread !== threadId || held.get(lockPath)?.token === h.token;
  return processAlive(h.pid);
}

/** When the lock was last touched (created or heartbeat); now when it vanished meanwhile (the next attempt sees). */
function touchedMs(lockPath: string): number {
  try {
    return statSync(lockPath).mtimeMs;
  } catch {
    return Date.now();
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

// --- release on exit and on signals ---------------------------------------------------------------

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function releaseAll(): void {
  for (const path of [...held.keys()]) releaseLock(path);
}

/**
 * On a signal: release every lock, then let the signal do what it would have done (end the process) unless
 * someone else listens for it too. Writing is synchronous, so a handler never runs halfway through a write.
 */
function onSignal(signal: NodeJS.Signals): void {
  releaseAll();
  removeHandlers();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/** Installed once, with the first lock, and kept until a signal arrives (see releaseLock). */
let installed = false;

function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', releaseAll);
  // Signals reach only the main thread.
  if (isMainThread) for (const s of SIGNALS) process.on(s, onSignal);
}

function removeHandlers(): void {
  installed = false;
  process.off('exit', releaseAll);
  if (isMainThread) for (const s of SIGNALS) process.off(s, onSignal);
}

// --- the heartbeat -------------------------------------------------------------------------------

/** Touches every lock path it is sent, every `everyMs`; plain JavaScript, so it needs no loader. */
const HEARTBEAT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { utimesSync } = require('node:fs');
let paths = [];
parentPort.on('message', (p) => { paths = p; });
setInterval(() => {
  const now = new Date();
  for (const p of paths) { try { utimesSync(p, now, now); } catch {} }
}, workerData.everyMs);
`;
let beat: Worker | null = null;

/** Keep the heartbeat thread in step with the held locks: started with the first, stopped with the last. */
function heartbeat(): void {
  if (held.size === 0) {
    void beat?.terminate();
    beat = null;
    return;
  }
  if (!beat) {
    beat = new Worker(HEARTBEAT_SOURCE, { eval: true, workerData: { everyMs: lockTiming.heartbeatMs } });
    // Never the reason the process stays alive.
    beat.unref();
  }
  beat.postMessage([...held.keys()]);
}
