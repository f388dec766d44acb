// How the CLI ends when a command fails: the error as one line and its exit code, or, for a run interrupted by a
// signal that reached a process it waited on, by that same signal after the job's cleanup.
import { constants as osConstants } from 'node:os';
import { InputError, InterruptedError, RunError } from '../errors.ts';
import type { Terminal } from '../util/terminal.ts';
import { cliMsg } from './messages.ts';

/**
 * The CLI's end on an error: one line (the stack only with --debug), the error's exit code; an interrupted run
 * ends by its signal.
 *
 * @example
 * return reportError(e, false, terminal());
 */
export function reportError(e: unknown, debug: boolean, term: Terminal): number {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = err instanceof InputError || err instanceof RunError ? err.exitCode : 1;
  term.err(`recgap: ${err.message.split('\n')[0]}\n`);
  if (debug && err.stack) term.err(err.stack + '\n');
  else if (!(err instanceof InputError || err instanceof RunError)) term.err(`${cliMsg.debugHint()}\n`);
  if (err instanceof InterruptedError) return endBySignal(err.signal);
  return code;
}

/**
 * End the process by `signal`, as a program interrupted by Ctrl-C does (the shell sees 128 + its number), once
 * the job's cleanup ran. Listeners (the output locks' release) run first and raise the signal with its
 * default disposition; without any, it is raised directly. The status is returned only if a listener kept the
 * process alive.
 */
function endBySignal(signal: InterruptedError['signal']): number {
  if (process.listenerCount(signal) > 0) process.emit(signal, signal);
  else process.kill(process.pid, signal);
  return 128 + (osConstants.signals[signal] ?? 0);
}
