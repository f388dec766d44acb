// Empty session fields in a log with a session column: those events get inactivity sessions per key, numbered
// after the file's own sessions; the others keep theirs.
import { describe, expect, it } from 'vitest';
import { cutMissingSessions } from '../../src/ingest/gapSessions.ts';
import { NONE } from '../../src/log/eventLog.ts';

describe('cutMissingSessions', () => {
  it('cuts per key at gaps of at least the session gap, after the largest file session', () => {
    const session = Int32Array.from([3, NONE, NONE, NONE, 0, NONE]);
    const key = Int32Array.from([0, 0, 1, 0, 1, 0]);
    const tsMs = Float64Array.from([0, 10, 20, 30, 35, 39]);
    expect(cutMissingSessions(session, key, tsMs, 2, 10)).toBe(4);
    // key 0: 10 opens 4, 30 is 20 later (a gap) opens 6, 39 joins it; key 1: 20 opens 5 (its 35 keeps session 0).
    expect(Array.from(session)).toEqual([3, 4, 5, 6, 0, 6]);
  });

  it('leaves a log without empty sessions untouched', () => {
    const session = Int32Array.from([0, 1]);
    expect(cutMissingSessions(session, Int32Array.from([0, 0]), Float64Array.from([0, 1]), 1, 10)).toBe(0);
    expect(Array.from(session)).toEqual([0, 1]);
  });
});
