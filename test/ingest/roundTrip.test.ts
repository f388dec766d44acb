// A world written by `recgap generate` (writeLogCsv, canonical header) reads back to the same events: the
// canonical header maps itself and every field survives, string for string.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/readLog.ts';
import { writeLogCsv } from '../../src/log/writeCsv.ts';
import { Rng } from '../../src/util/rng.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { DEFAULT_WORLD } from '../../src/scenario/worldSpec.ts';
import { dataSpec, decode } from './helpers.ts';

describe('round trip through the canonical CSV', () => {
  it('a generated world reads back event for event', async () => {
    const world = generateWorld({ ...DEFAULT_WORLD, persons: 300, items: 200, categories: 8 }, Rng.fromSeed(3));
    const file = join(mkdtempSync(join(tmpdir(), 'recgap-ingest-')), 'world.csv');
    writeLogCsv(world.log, file);
    const { log, report } = await readLog(dataSpec(file, 'csv'));
    expect(report).toMatchObject({ rows: world.log.length, loaded: world.log.length, dropped: [], timeUnit: 'ms' });

    const before = decode(world.log);
    const after = decode(log);
    expect(after.length).toBe(before.length);
    // Session ids are renumbered (dense, by first appearance): compare them as a one-to-one relabelling.
    const relabel = new Map<number, number>();
    for (let i = 0; i < before.length; i++) {
      const [t, person, key, login, channel, session, item, type, value] = before[i];
      const got = after[i];
      expect([got[0], got[1], got[2], got[3], got[4], got[6], got[7]]).toEqual([t, person, key, login, channel, item, type]);
      expect(got[8]).toBeCloseTo(value, 4);
      if (!relabel.has(session)) relabel.set(session, got[5]);
      expect(got[5]).toBe(relabel.get(session));
    }
    expect(new Set(relabel.values()).size).toBe(relabel.size);
  });
});
