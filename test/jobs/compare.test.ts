import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../src/jobs/runJob.ts';
import { compareRuns, compareText } from '../../src/jobs/compare.ts';
import { smallScenario } from '../helpers.ts';
import { InputError } from '../../src/errors.ts';

describe('compareRuns', () => {
  let out: string;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'recgap-compare-'));
    const models = (nbrs: number) => `[ { name: pop, type: popularity }, { name: knn, type: itemknn, neighbors: ${nbrs} } ]`;
    await runJob({ scenario: { ...smallScenario({ models: models(100) }), name: 'a' }, outDir: out });
    await runJob({ scenario: { ...smallScenario({ models: models(5) }), name: 'b' }, outDir: out });
    await runJob({ scenario: { ...smallScenario({ models: models(100), seed: 99 }), name: 'c' }, outDir: out });
  });

  it('pairs runs that share their requests and tests each difference', () => {
    const rep = compareRuns(join(out, 'a'), join(out, 'b'), { replicates: 200 });
    expect(rep.paired).toBe(true);
    expect(rep.metric).toBe('ndcg@10');
    expect(rep.rows.map((r) => `${r.model}/${r.view}`)).toEqual([
      'pop/frozen',
      'pop/weekly-batch',
      'pop/daily-stitched',
      'pop/streaming-oracle',
      'knn/frozen',
      'knn/weekly-batch',
      'knn/daily-stitched',
      'knn/streaming-oracle',
    ]);
    const pop = rep.rows[0];
    expect(pop.difference).toEqual({ mean: 0, lo: 0, hi: 0 }); // the same popularity model in both
    const knn = rep.rows[4];
    expect(knn.difference.mean).toBeCloseTo(knn.b - knn.a, 10);
    expect(knn.difference.mean).not.toBe(0);
    expect(knn.pHolm).not.toBeNull();
    expect(compareText(rep)).toContain('paired on the same requests');
  });

  it('says why runs on different requests cannot be paired', () => {
    const rep = compareRuns(join(out, 'a'), join(out, 'c'));
    expect(rep.paired).toBe(false);
    expect(rep.note).toMatch(/different/);
    expect(rep.rows[0].pValue).toBeNull();
  });

  it('rejects a folder that is not a run', () => {
    expect(() => compareRuns(out, join(out, 'a'))).toThrow(InputError);
    expect(() => compareRuns(join(out, 'a'), join(out, 'b'), { metric: 'auc' })).toThrow('metric "auc" is not in both runs');
  });
});
