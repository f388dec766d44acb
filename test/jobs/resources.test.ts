import { describe, expect, it } from 'vitest';
import { estimateMemory, guardMemory, BASE_BYTES } from '../../src/jobs/resources.ts';
import { smallScenario } from '../helpers.ts';
import { InputError } from '../../src/errors.ts';

describe('memory guard', () => {
  const s = smallScenario({ persons: 1000 });
  it('estimates events from the world and memory from events', () => {
    const w = s.world!;
    const est = estimateMemory(s);
    expect(est.events).toBe(Math.round(1000 * w.days * w.activity.sessionsPerDay * w.activity.viewsPerSession * 1.1));
    expect(est.bytes).toBeGreaterThan(BASE_BYTES);
    // Linear in persons.
    const big = estimateMemory(smallScenario({ persons: 100_000 }));
    expect((big.bytes - BASE_BYTES) / (est.bytes - BASE_BYTES)).toBeCloseTo(100, 5);
  });

  it('refuses a run that does not fit, with a clear message, unless forced', () => {
    const huge = smallScenario({ persons: 50_000_000 });
    expect(() => guardMemory(huge, false, 8 * 2 ** 30)).toThrow(InputError);
    expect(() => guardMemory(huge, false, 8 * 2 ** 30)).toThrow(
      /^this run needs about [\d.]+ GB \([\d,]+ events from 50,000,000 persons x 35 days\) but the machine has 8\.0 GB free; .* or pass --force$/,
    );
    expect(guardMemory(huge, true, 8 * 2 ** 30).events).toBeGreaterThan(1e9);
    expect(guardMemory(s, false, 8 * 2 ** 30).events).toBeLessThan(1e6);
  });
});
