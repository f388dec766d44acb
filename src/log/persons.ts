// Evaluation needs a person for every event (labels and the frozen view are per person). Events whose
// person is unknown (anonymous sessions in real logs) are attributed to their key as a stand-in person.
import { NONE, type EventLog } from './eventLog.ts';

/**
 * Fill unknown persons with one stand-in person per key (named `key:<key>`). Returns the log itself when
 * every person is known.
 *
 * @example
 * const { log: complete, standIns } = fillUnknownPersons(log);
 */
export function fillUnknownPersons(log: EventLog): { log: EventLog; standIns: number; anonymousEvents: number } {
  let anonymous = 0;
  for (let i = 0; i < log.length; i++) if (log.person[i] === NONE) anonymous++;
  if (anonymous === 0) return { log, standIns: 0, anonymousEvents: 0 };
  const names = [...log.dict.person];
  const standIn = new Int32Array(log.dict.key.length).fill(NONE);
  const person = new Int32Array(log.person);
  for (let i = 0; i < log.length; i++) {
    if (person[i] !== NONE) continue;
    const k = log.key[i];
    if (standIn[k] === NONE) {
      standIn[k] = names.length;
      names.push(`key:${log.dict.key[k]}`);
    }
    person[i] = standIn[k];
  }
  return { log: { ...log, person, dict: { ...log.dict, person: names } }, standIns: names.length - log.dict.person.length, anonymousEvents: anonymous };
}

/**
 * Whether some known person has events on two or more keys: the log shows device fragmentation.
 *
 * @example
 * hasMultiKeyPersons(onlineRetailLog) // false: customers are their own keys
 */
export function hasMultiKeyPersons(log: EventLog): boolean {
  const keyOf = new Int32Array(log.dict.person.length).fill(-1);
  for (let e = 0; e < log.length; e++) {
    const p = log.person[e];
    if (p < 0) continue;
    if (keyOf[p] < 0) keyOf[p] = log.key[e];
    else if (keyOf[p] !== log.key[e]) return true;
  }
  return false;
}
