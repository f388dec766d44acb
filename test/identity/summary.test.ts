// The text summary `recgap run` prints has one identity line per pipeline (formatResolutionQuality).
import { describe, expect, it } from 'vitest';
import { identityLines, summaryText } from '../../src/run/summary.ts';
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
      '  weekly-batch      key     pairwise P 1.000 R 0.000  B3 P 1.000 R 0.500  purity 1.000  coverage 0.500  keys/person 2.00',
      '  daily-stitched    login   pairwise P 0.998 R 0.412  B3 P 0.998 R 0.706  purity 0.999  coverage 0.713  keys/person 1.63',
      '  desktop-silo      key     pairwise P 1.000 R 0.000  B3 P 1.000 R 0.500  purity 1.000  coverage 0.500  keys/person 2.00',
      '  streaming-oracle  oracle  pairwise P 1.000 R 1.000  B3 P 1.000 R 1.000  purity n/a  coverage 1.000  keys/person 1.00',
    ]);
  });

  it('sits between the gap table and the pipeline comparisons', () => {
    const text = summaryText(results).split('\n');
    const head = text.indexOf('identity resolution against the true persons (pairwise and B-cubed over keys; purity, coverage per request):');
    expect(head).toBeGreaterThan(0);
    expect(text[head - 2]).toMatch(/^ease +streaming-oracle /);
    expect(text[head + 5]).toBe('');
    expect(text[head + 6]).toMatch(/^served ndcg@10 recovered against weekly-batch/);
  });

  it('ends each line with the unknown-key share and every model\'s served metric on those requests', () => {
    const withUnknown = structuredClone(results);
    withUnknown.results.forEach((x, i) => (x.unknownKey = { share: x.pipeline === 'streaming-oracle' ? 0 : 0.127, requests: 13, frozen: 0.3, served: i / 100 }));
    const lines = identityLines(withUnknown);
    const models = [...new Set(withUnknown.results.map((x) => x.model))];
    const served = (p: string) => withUnknown.results.filter((x) => x.pipeline === p).map((x) => `${x.model} ${x.unknownKey.served.toFixed(4)}`).join(', ');
    expect(models.length).toBeGreaterThan(1);
    expect(lines[2]).toBe(`  weekly-batch      key     pairwise P 1.000 R 0.000  B3 P 1.000 R 0.500  purity 1.000  coverage 0.500  keys/person 2.00  unknown key 12.7%, served ndcg@10 ${served('weekly-batch')}`);
    expect(lines[5]).toMatch(/keys\/person 1\.00  unknown key 0\.0%, served ndcg@10 /);
  });

  it('is left out when no result carries resolution quality', () => {
    const bare = structuredClone(results);
    bare.results.forEach((x) => delete (x as Partial<typeof x>).identity);
    expect(identityLines(bare)).toEqual([]);
    expect(summaryText(bare)).not.toContain('identity resolution');
  });
});
