// The text summary `recgap run` prints has one identity line per pipeline (formatResolutionQuality).
import { describe, expect, it } from 'vitest';
import { ageLines, identityLines, summaryText } from '../../src/run/summary.ts';
import type { ResolutionQuality } from '../../src/identity/quality.ts';
import { loadFixture } from '../report/helpers.ts';

const q = (pairwisePrecision: number, pairwiseRecall: number, purity: number, coverage: number, keysPerPerson: number): ResolutionQuality => ({
  pairwisePrecision,
  pairwiseRecall,
  bcubedPrecision: pairwisePrecision,
  bcubedRecall: (1 + pairwiseRecall) / 2,
  purity,
  coverage,
  keysPerPerson,
  keys: 100,
  persons: 50,
  requests: 10,
  atMs: 0,
});

const QUALITY: Record<string, ResolutionQuality> = {
  'weekly-batch': q(1, 0, 1, 0.5, 2),
  'daily-stitched': q(0.998, 0.41234, 0.9991, 0.7125, 1.625),
  'desktop-silo': q(1, 0, 1, 0.5, 2),
  'streaming-oracle': { ...q(1, 1, 1, 1, 1), purity: NaN },
};

describe('identity lines of the run summary', () => {
  const results = loadFixture().results;
  results.results.forEach((x) => (x.identity = QUALITY[x.pipeline]));

  it('prints one aligned line per pipeline, in pipeline order', () => {
    expect(identityLines(results)).toEqual([
      '',
      'identity resolution against the true persons (pairwise and B-cubed over keys; purity, coverage per request):',
      '  weekly-batch      key     pairwise P 1.000 R 0.000  B3 P 1.000 R 0.500  purity 1.000  coverage 0.500  keys/person 2.00  unknown key 28.0%, served ndcg@10 pop 0.1206, knn 0.1094, ease 0.1094',
      '  daily-stitched    login   pairwise P 0.998 R 0.412  B3 P 0.998 R 0.706  purity 0.999  coverage 0.713  keys/person 1.63  unknown key 11.3%, served ndcg@10 pop 0.0903, knn 0.1373, ease 0.1406',
      '  desktop-silo      key     pairwise P 1.000 R 0.000  B3 P 1.000 R 0.500  purity 1.000  coverage 0.500  keys/person 2.00  unknown key 86.4%, served ndcg@10 pop 0.1192, knn 0.1021, ease 0.1021',
      '  streaming-oracle  oracle  pairwise P 1.000 R 1.000  B3 P 1.000 R 1.000  purity n/a  coverage 1.000  keys/person 1.00  unknown key 9.5%, served ndcg@10 pop 0.0756, knn 0.3233, ease 0.2454',
    ]);
  });

  it('sits between the signal-age lines and the pipeline comparisons', () => {
    const text = summaryText(results).split('\n');
    const head = text.indexOf('identity resolution against the true persons (pairwise and B-cubed over keys; purity, coverage per request):');
    expect(head).toBeGreaterThan(0);
    expect(text[head - 2]).toMatch(/^ {2}streaming-oracle +age p50 /);
    expect(text[head + 5]).toBe('');
    expect(text[head + 6]).toMatch(/^served ndcg@10 recovered against weekly-batch/);
  });

  it("ends each line with the unknown-key share and every model's served metric on those requests", () => {
    const withUnknown = structuredClone(results);
    withUnknown.results.forEach(
      (x, i) => (x.unknownKey = { share: x.pipeline === 'streaming-oracle' ? 0 : 0.127, requests: 13, frozen: 0.3, served: i / 100 }),
    );
    const lines = identityLines(withUnknown);
    const models = [...new Set(withUnknown.results.map((x) => x.model))];
    const served = (p: string) =>
      withUnknown.results
        .filter((x) => x.pipeline === p)
        .map((x) => `${x.model} ${x.unknownKey.served.toFixed(4)}`)
        .join(', ');
    expect(models.length).toBeGreaterThan(1);
    expect(lines[2]).toBe(
      `  weekly-batch      key     pairwise P 1.000 R 0.000  B3 P 1.000 R 0.500  purity 1.000  coverage 0.500  keys/person 2.00  unknown key 12.7%, served ndcg@10 ${served('weekly-batch')}`,
    );
    expect(lines[5]).toMatch(/keys\/person 1\.00 {2}unknown key 0\.0%, served ndcg@10 /);
  });

  it('is left out when no result carries resolution quality', () => {
    const bare = structuredClone(results);
    bare.results.forEach((x) => delete (x as Partial<typeof x>).identity);
    expect(identityLines(bare)).toEqual([]);
    expect(summaryText(bare)).not.toContain('identity resolution');
  });
});

describe('signal-age lines of the run summary', () => {
  it('split the served age into inactivity and the pipeline lag, with how each schedule was placed', () => {
    // The fixture pins its batch schedules; its numbers are the fixture's results.json rounded to minutes.
    expect(ageLines(loadFixture().results)).toEqual([
      '',
      "signal age of the served view = the person's inactivity (median 1d38m; 1.2% of requests without history) + the pipeline's lag:",
      '  weekly-batch      age p50 5d17h36m  lag p50 4d1h50m  p90 10d21h16m  empty served view 26.9%  (schedule pinned at 2024-01-01T00:00:00.000Z)',
      '  daily-stitched    age p50 1d16h52m  lag p50 0  p90 2d12h45m  empty served view 8.1%  (schedule pinned at 2024-01-01T00:00:00.000Z)',
      '  desktop-silo      age p50 14d9h51m  lag p50 12d20h5m  p90 21d19h48m  empty served view 85.3%  (schedule pinned at 2024-01-01T00:00:00.000Z)',
      '  streaming-oracle  age p50 1d38m  lag p50 0  p90 0  empty served view 0.0%',
    ]);
  });
});

describe('injected fragmentation in the summary', () => {
  it('says when the identity figures come from fragmentation injected into the log, and only then', () => {
    const results = structuredClone(loadFixture().results);
    expect(summaryText(results)).not.toContain('fragmentation was injected');
    results.log = { ...results.log, source: 'data', fragment: { sessions: 40, keysBefore: 10, keysAfter: 25, unknownPersonEvents: 0 } };
    expect(summaryText(results).split('\n')).toContain(
      'note: device fragmentation was injected into this log (10 keys became 25): the identity figures model a fragmentation the log itself does not show',
    );
  });
});
