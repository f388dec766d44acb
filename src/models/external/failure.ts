// What can go wrong with an external model, as plain data: the thread that talks to the model (bridgeThread.ts)
// describes a failure and posts it; the thread that runs the replay turns it into one line (messages.ts) and
// the error that stops the run. Plain data, because an Error does not cross threads with its type.
import { InputError, InterruptedError, RunError, type StopSignal } from '../../errors.ts';
import { formatDurationMs } from '../../util/duration.ts';
import type { ExternalModelSpec } from '../../scenario/types.ts';
import { modelMsg } from '../messages.ts';

/** The requests a failure concerns by protocol id: [first, last], or null for the handshake. */
export type RequestSpan = [number, number] | null;

export type Failure =
  | { reason: 'cannotStart'; program: string; code: string }
  | { reason: 'exited'; span: RequestSpan; code: number | null; signal: string | null }
  | { reason: 'interrupted'; span: RequestSpan; signal: StopSignal }
  | { reason: 'timeout'; span: RequestSpan; ms: number }
  | { reason: 'malformed'; span: RequestSpan; problem: string; text: string }
  | { reason: 'notReady'; text: string }
  | { reason: 'wrongId'; expected: number; got: unknown }
  | { reason: 'wrongCount'; span: RequestSpan; got: number }
  | { reason: 'notFinite'; span: RequestSpan; index: number; value: string }
  | { reason: 'httpStatus'; span: RequestSpan; status: number; attempts: number; body: string }
  | { reason: 'unreachable'; span: RequestSpan; detail: string; attempts: number }
  | { reason: 'wrongResults'; span: RequestSpan; got: number; expected: number }
  | { reason: 'bridge'; span: RequestSpan; detail: string };

/** A failure thrown inside the model thread, carrying its plain description. */
export class ModelFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.reason);
  }
}

/**
 * "the handshake", "request 17" or "requests 1-256": which requests a failure concerns, as its message says it.
 *
 * @example
 * spanText([17, 17]) // 'request 17'
 */
export function spanText(span: RequestSpan): string {
  if (span === null) return 'the handshake';
  return span[0] === span[1] ? `request ${span[0]}` : `requests ${span[0]}-${span[1]}`;
}

/**
 * The error that stops the run: an InputError when the program cannot start (the scenario names something that
 * does not run here), a RunError naming the model and the request otherwise.
 *
 * @example
 * throw failureError(spec, { reason: 'timeout', span: [4, 4], ms: 60000 }, log.dict.item);
 * // RunError: models.cand: request 4: no answer within 1m (models.cand.timeout)
 */
export function failureError(spec: ExternalModelSpec, f: Failure, items: readonly string[]): InputError | RunError {
  const name = spec.name;
  switch (f.reason) {
    case 'cannotStart':
      return new InputError(modelMsg.externalCannotStart(name, f.program, f.code));
    case 'exited':
      return new RunError(modelMsg.externalExited(name, spanText(f.span), f.code, f.signal));
    case 'interrupted':
      return new InterruptedError(modelMsg.externalInterrupted(name, spanText(f.span), f.signal), f.signal);
    case 'timeout':
      return new RunError(modelMsg.externalTimeout(name, spanText(f.span), formatDurationMs(f.ms), f.span === null ? 'startTimeout' : 'timeout'));
    case 'malformed':
      return new RunError(modelMsg.externalMalformed(name, spanText(f.span), f.problem, f.text));
    case 'notReady':
      return new RunError(modelMsg.externalNotReady(name, f.text));
    case 'wrongId':
      return new RunError(modelMsg.externalWrongId(name, f.expected, f.got));
    case 'wrongCount':
      return new RunError(modelMsg.externalWrongCount(name, spanText(f.span), f.got, items.length));
    case 'notFinite':
      return new RunError(modelMsg.externalNotFinite(name, spanText(f.span), f.index, items[f.index] ?? '', f.value));
    case 'httpStatus':
      return new RunError(modelMsg.externalHttpStatus(name, spanText(f.span), urlOf(spec), f.status, f.attempts, f.body));
    case 'unreachable':
      return new RunError(modelMsg.externalUnreachable(name, spanText(f.span), urlOf(spec), f.detail, f.attempts));
    case 'wrongResults':
      return new RunError(modelMsg.externalWrongResults(name, spanText(f.span), f.got, f.expected));
    case 'bridge':
      return new RunError(modelMsg.externalBridgeFailed(name, spanText(f.span), f.detail));
  }
}

const urlOf = (spec: ExternalModelSpec) => (spec.type === 'http' ? spec.url : spec.command.join(' '));
