// eval.sample: a person-hash sample of the requests. Whole persons are kept or dropped, samples nest,
// the per-request rows of sampled persons are those of the full run, and the bad values are refused.
import { describe, expect, it } from 'vitest';
import { runSmall } from '../helpers.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { smallScenarioYaml } from '../helpers.ts';
import { sampleRequests } from '../../src/eval/partition.ts';

describe('eval.sample', () => {
  it('keeps whole persons, nests, and reproduces the full run row by row for the persons it keeps', async () => {
    const full = await runSmall({ persons: 800 });
    const third = await runSmall({ persons: 800, eval: '{ k: [10, 20], window: 5d, positives: [purchase], bootstrap: 200, sample: "30%" }' });
    const req = full.requests;
    const names = full.log.dict.person;
    const s30 = sampleRequests(req, names, 0.3);
    const s10 = sampleRequests(req, names, 0.1);
    expect(third.results.config.sample).toBe(0.3);
    expect(third.results.config.sampledFrom).toBe(req.length);
    expect(third.results.counts.requests).toBe(s30.length);
    expect(third.results.counts.requestPersons).toBe(new Set(s30.person).size);
    expect(s30.length / req.length).toBeGreaterThan(0.2);
    expect(s30.length / req.length).toBeLessThan(0.4);
    // Whole persons: every request of a sampled person is in, and 10% is inside 30%.
    const in30 = new Set(s30.person);
    let ofSampled = 0;
    for (let r = 0; r < req.length; r++) if (in30.has(req.person[r])) ofSampled++;
    expect(ofSampled).toBe(s30.length);
    for (const p of s10.person) expect(in30.has(p)).toBe(true);
    // Rows of the sample equal the full run's rows of the same requests (same session starts).
    const rowOf = new Map<number, number>();
    for (let r = 0; r < req.length; r++) rowOf.set(req.session[r], r);
    const cols = full.sources[0].metrics[0].length / req.length;
    for (let j = 0; j < third.requests.length; j++) {
      const r = rowOf.get(third.requests.session[j])!;
      for (let s = 0; s < full.sources.length; s++) {
        expect(third.sources[s].metrics[1].subarray(j * cols, (j + 1) * cols)).toEqual(full.sources[s].metrics[1].subarray(r * cols, (r + 1) * cols));
      }
    }
    expect(sampleRequests(req, names, 1)).toBe(req);
  });

  it.each([
    ['0', 'small.yaml:5: eval.sample is 0; expected'],
    ['"0%"', 'small.yaml:5: eval.sample is "0%"; expected'],
    ['1.5', 'small.yaml:5: eval.sample is 1.5; expected'],
    ['"ten"', 'small.yaml:5: eval.sample is "ten"; expected'],
  ])('refuses sample %s', (value, start) => {
    const yaml = smallScenarioYaml({ eval: `{ k: [10], window: 5d, positives: [purchase], bootstrap: 200, sample: ${value} }` });
    expect(() => parseScenario(yaml, 'small.yaml')).toThrow(start);
  });
});
