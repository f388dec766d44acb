// A sweep of the graph threshold end to end: every row carries its pipeline's resolution quality at that
// point, raising the threshold trades recall for precision, and the report draws the trade-off.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweep } from '../../src/jobs/sweep.ts';
import type { SweepTable } from '../../src/results/sweep.ts';
import { smallScenarioYaml } from '../helpers.ts';

describe('sweep of the graph threshold', () => {
  let dir: string;
  let table: SweepTable;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-idsweep-'));
    const pipelines = [
      '  - { name: keys, refresh: 1d, latency: 1h, identity: key }',
      '  - { name: graph, refresh: 1d, latency: 1h, identity: graph, graph: { threshold: 0.85 } }',
    ].join('\n');
    writeFileSync(
      join(dir, 's.yaml'),
      smallScenarioYaml({ persons: 600, models: '[ { name: knn, type: itemknn } ]', eval: '{ k: [10], window: 5d, bootstrap: 50 }', pipelines }),
    );
    ({ table } = await runSweep({ scenarioFile: join(dir, 's.yaml'), sets: ['pipelines.1.graph.threshold=0.3,0.99'], outDir: join(dir, 'out') }));
  }, 120_000);

  const at = (threshold: string, pipeline: string) =>
    table.rows.find((r) => r.settings['pipelines.1.graph.threshold'] === threshold && r.pipeline === pipeline)!;

  it("records each pipeline's resolution quality per grid point", () => {
    expect(table.version).toBe('recgap.sweep/3');
    for (const r of table.rows) {
      expect(r.identity).not.toBeNull();
      for (const v of Object.values(r.identity!)) expect(Number.isFinite(v)).toBe(true);
    }
    // Keys are never merged: precision 1 whatever the threshold, and the same recall at both points.
    expect(at('0.3', 'keys').identity).toEqual(at('0.99', 'keys').identity);
    expect(at('0.3', 'keys').identity!.pairwisePrecision).toBe(1);
  });

  it('trades recall for precision as the threshold rises', () => {
    const lo = at('0.3', 'graph').identity!;
    const hi = at('0.99', 'graph').identity!;
    expect(hi.pairwisePrecision).toBeGreaterThan(lo.pairwisePrecision);
    expect(hi.pairwiseRecall).toBeLessThan(lo.pairwiseRecall);
    expect(lo.pairwiseRecall).toBeGreaterThan(at('0.3', 'keys').identity!.pairwiseRecall);
  });

  it('writes the identity trade-off chart and the quality columns', () => {
    const d = join(dir, 'out/small-sweep');
    expect(
      readdirSync(join(d, 'charts'))
        .filter((f) => f.startsWith('identity-tradeoff'))
        .sort(),
    ).toEqual(['identity-tradeoff.png', 'identity-tradeoff.svg', 'identity-tradeoff.vl.json']);
    const csv = readFileSync(join(d, 'sweep.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split(','));
    const col = csv[0].indexOf('pairwise_precision');
    const graphHi = csv.find((c) => c[1] === '0.99' && c[3] === 'graph')!;
    expect(Number(graphHi[col])).toBeCloseTo(at('0.99', 'graph').identity!.pairwisePrecision, 6);
    expect(readFileSync(join(d, 'summary.md'), 'utf8')).toMatch(
      /- Identity: `knn` under `graph` serves 0\.\d{4} at pairwise precision \d\.\d{3} \/ recall \d\.\d{3} \(`graph match threshold \(pipeline graph\) = 0\.3`\)/,
    );
  });
});
