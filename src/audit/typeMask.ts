// Event-type masks from names: which types are conversions (positives) in the checks.
import type { EventLog } from '../log/eventLog.ts';
import { auditMsg } from './messages.ts';

/**
 * mask[type] = 1 for the named event types. Unknown names throw, naming the types the log has.
 *
 * @example
 * typeMask(log, ['purchase']) // Uint8Array [0, 0, 1] for types view, cart, purchase
 */
export function typeMask(log: EventLog, names: readonly string[]): Uint8Array {
  const known = log.dict.type;
  const mask = new Uint8Array(Math.max(1, known.length));
  for (const name of names) {
    const t = known.indexOf(name);
    if (t < 0) throw new RangeError(auditMsg.unknownType(name, known));
    mask[t] = 1;
  }
  return mask;
}

/**
 * The default positives: 'purchase' when the log has it, otherwise no type (conversions unmeasured).
 *
 * @example
 * defaultPositives(log) // Uint8Array [0, 0, 1] for types view, cart, purchase
 */
export function defaultPositives(log: EventLog): Uint8Array {
  return log.dict.type.includes('purchase') ? typeMask(log, ['purchase']) : new Uint8Array(Math.max(1, log.dict.type.length));
}

/**
 * Check that a caller's mask covers the log's types; returns it unchanged.
 *
 * @example
 * checkMask('positives', Uint8Array.of(0, 0, 1), log) // ok for a log with 3 types; throws for 4
 */
export function checkMask(name: string, mask: Uint8Array, log: EventLog): Uint8Array {
  if (mask.length < log.dict.type.length)
    throw new RangeError(auditMsg.invalid(name, `a mask of length ${mask.length}`, `one entry per event type (${log.dict.type.length})`));
  return mask;
}
