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
    // A candidate run whose models are named differently: only --match can pair them.
    await runJob({ scenario: { ...smallScenario({ models: '[ { name: cand, type: itemknn, neighbors: 5 } ]' }), name: 'd' }, outDir: out });
  });

  it('pairs differently named models with --match, and refuses with one line when nothing pairs', () => {
    const rep = compareRuns(join(out, 'a'), join(out, 'd'), { replicates: 200, match: [['knn', 'cand']] });
    expect(rep.paired).toBe(true);
    expect(rep.rows.map((r) => `${r.model}>${r.modelB}/${r.view}`)).toEqual([
      'knn>cand/frozen',
      'knn>cand/weekly-batch',
      'knn>cand/daily-stitched',
      'knn>cand/streaming-oracle',
    ]);
    // cand is b's knn (5 neighbours) under another name: the same differences as comparing a with b.
    const same = compareRuns(join(out, 'a'), join(out, 'b'), { replicates: 200 }).rows.filter((r) => r.model === 'knn');
    expect(rep.rows.map((r) => r.difference)).toEqual(same.map((r) => r.difference));
    expect(compareText(rep)).toContain('knn vs cand');
    expect(() => compareRuns(join(out, 'a'), join(out, 'd'))).toThrow(
      `nothing to compare: no model name is in both runs (${join(out, 'a')}: pop, knn; ${join(out, 'd')}: cand); pair them with --match A=B, e.g. --match pop=cand`,
    );
    expect(() => compareRuns(join(out, 'a'), join(out, 'd'), { match: [['knn', 'nope']] })).toThrow(
      `--match: ${join(out, 'd')} has no model "nope"; it has cand`,
    );
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
