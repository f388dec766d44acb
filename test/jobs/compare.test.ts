import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../src/jobs/runJob.ts';
import { compareRuns, compareText } from '../../src/jobs/compare.ts';
import { smallScenario } from '../helpers.ts';
import { InputError } from '../../src/errors.ts';
import { jobMsg } from '../../src/jobs/messages.ts';
import { readResults } from '../../src/jobs/runFolder.ts';

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

  it('pairs differently named models with --match, and refuses with one line when nothing pairs', async () => {
    const rep = await compareRuns(join(out, 'a'), join(out, 'd'), { replicates: 200, match: [['knn', 'cand']] });
    expect(rep.paired).toBe(true);
    expect(rep.rows.map((r) => `${r.model}>${r.modelB}/${r.view}`)).toEqual([
      'knn>cand/frozen',
      'knn>cand/weekly-batch',
      'knn>cand/daily-stitched',
      'knn>cand/streaming-oracle',
    ]);
    // cand is b's knn (5 neighbours) under another name: the same differences as comparing a with b.
    const same = (await compareRuns(join(out, 'a'), join(out, 'b'), { replicates: 200 })).rows.filter((r) => r.model === 'knn');
    expect(rep.rows.map((r) => r.difference)).toEqual(same.map((r) => r.difference));
    expect(compareText(rep)).toContain('knn vs cand');
    await expect(compareRuns(join(out, 'a'), join(out, 'd'))).rejects.toThrow(
      `nothing to compare: no model name is in both runs (${join(out, 'a')}: pop, knn; ${join(out, 'd')}: cand); pair them with --match A=B, e.g. --match pop=cand`,
    );
    await expect(compareRuns(join(out, 'a'), join(out, 'd'), { match: [['knn', 'nope']] })).rejects.toThrow(
      `--match: ${join(out, 'd')} has no model "nope"; it has cand`,
    );
  });

  it('pairs runs that share their requests and tests each difference', async () => {
    const rep = await compareRuns(join(out, 'a'), join(out, 'b'), { replicates: 200 });
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

  it('says why runs on different requests cannot be paired', async () => {
    const rep = await compareRuns(join(out, 'a'), join(out, 'c'));
    expect(rep.paired).toBe(false);
    expect(rep.note).toMatch(/different/);
    expect(rep.rows[0].pValue).toBeNull();
  });

  it('rejects a folder that is not a run', async () => {
    await expect(compareRuns(out, join(out, 'a'))).rejects.toThrow(InputError);
    await expect(compareRuns(join(out, 'a'), join(out, 'b'), { metric: 'auc' })).rejects.toThrow('metric "auc" is not in both runs');
  });

  it("reads requests.parquet's full-precision values: each mean is results.json's (requests.csv would round to 6 digits)", async () => {
    const rep = await compareRuns(join(out, 'a'), join(out, 'b'), { replicates: 200 });
    const [a, b] = [readResults(join(out, 'a')), readResults(join(out, 'b'))];
    const meanOf = (r: typeof a, model: string, view: string) => {
      const rows = r.results.filter((x) => x.model === model && (view === 'frozen' || x.pipeline === view));
      return view === 'frozen' ? rows[0].metrics['ndcg@10'].frozen.mean : rows[0].metrics['ndcg@10'].served.mean;
    };
    expect(rep.rows).toHaveLength(8);
    for (const row of rep.rows) {
      expect(row.a).toBeCloseTo(meanOf(a, row.model, row.view), 12);
      expect(row.b).toBeCloseTo(meanOf(b, row.modelB, row.view), 12);
    }
  });

  it('names the missing requests.parquet of an older run folder and how to write it, and refuses an unreadable one', async () => {
    const old = join(out, 'old');
    cpSync(join(out, 'b'), old, { recursive: true });
    rmSync(join(old, 'requests.parquet'));
    await expect(compareRuns(join(out, 'a'), old)).rejects.toThrow(new InputError(jobMsg.requestsParquetMissing(join(old, 'requests.parquet'))));
    writeFileSync(join(old, 'requests.parquet'), 'request,person\n0,p1\n');
    const p = compareRuns(join(out, 'a'), old);
    await expect(p).rejects.toThrow(InputError);
    await expect(p).rejects.toThrow(`${join(old, 'requests.parquet')}: not a readable requests.parquet (`);
  });
});
