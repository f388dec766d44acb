// The lifeline between recgap and a `command` model (commandTransport.ts), in plain JavaScript so it starts
// in tens of milliseconds. recgap runs `node watchdog.mjs '{"argv": [...], "cwd": "..."}'`; this script starts
// the model with recgap's own pipes as its stdin, stdout and stderr (nothing is copied in between), in a
// process group of its own, and watches fd 3, a socket to recgap. When recgap closes it, exits or dies (even
// by SIGKILL, or by Ctrl-C while its main thread is blocked waiting for the model, when no handler of its own
// can run), the model's group gets SIGTERM, then SIGKILL after a grace period. Ctrl-C reaches this script too
// (it stays in recgap's process group) and does the same.
// It also removes `cleanup`, the folder of the training file recgap wrote for the model (a recgap-train-*
// folder, nothing else), when recgap goes away without closing the model: recgap removes it itself otherwise.
// On fd 3 it reports one JSON line each: {"pid"} once the model started, {"error", "message"} when the
// program cannot start, {"interrupted": signal} when a signal reached it, {"exit", "signal"} when the model ended; it exits right after the model, so a
// reaped watchdog means a reaped model. The line "kill" from recgap kills the model's group at once.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { Socket } from 'node:net';

const GRACE_MS = 2000;
const posix = process.platform !== 'win32';
const { argv, cwd, cleanup } = JSON.parse(process.argv[2]);
const life = new Socket({ fd: 3, readable: true, writable: true });
const report = (o) => {
  if (!life.destroyed) life.write(`${JSON.stringify(o)}\n`);
};

const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['inherit', 'inherit', 'inherit'], detached: posix });
let exited = false;
/** Signal the model's whole group (what it started too), unless it is gone. */
const signalGroup = (sig) => {
  if (child.pid === undefined) return;
  try {
    process.kill(posix ? -child.pid : child.pid, sig);
  } catch {
    // Already gone.
  }
};
let stopping = false;
/** recgap went away (or a signal came): its training file goes, the model's group gets SIGTERM, then SIGKILL. */
const stop = () => {
  if (stopping || exited) return;
  stopping = true;
  if (typeof cleanup === 'string' && basename(cleanup).startsWith('recgap-train-')) rmSync(cleanup, { recursive: true, force: true });
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), GRACE_MS);
};
const finish = (code) => {
  life.end(() => process.exit(code));
  setTimeout(() => process.exit(code), 500).unref();
};

child.on('spawn', () => report({ pid: child.pid }));
child.on('error', (e) => {
  if (child.pid !== undefined) return;
  report({ error: e.code ?? 'unknown', message: e.message });
  finish(127);
});
child.on('exit', (code, signal) => {
  exited = true;
  // Whatever the model left running in its group goes with it.
  signalGroup('SIGKILL');
  report({ exit: code, signal });
  finish(0);
});
life.on('data', (d) => {
  if (String(d).includes('kill')) signalGroup('SIGKILL');
});
life.on('end', stop);
life.on('close', stop);
life.on('error', stop);
// A signal here reached recgap's process group (Ctrl-C): said first, so recgap ends by it rather than by the
// model's death it causes (recgap's own handler may not run before: its main thread can be blocked waiting).
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(sig, () => {
    if (!stopping && !exited) report({ interrupted: sig });
    stop();
  });
