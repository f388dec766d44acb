// The shipped Python examples as `command` models. popularity.py reproduces the built-in popularity model
// exactly: the same frozen and served numbers, intervals and decompositions, with JSON and with f32 answers, in
// one thread or in worker threads (each starting its own process). cooccurrence.py reads the profile, so
// stale and fragmented served views cost it something, as they cost item-kNN.
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../../src/scenario/load.ts';
import { runScenario } from '../../../src/run/run.ts';
import type { Results } from '../../../src/results/results.ts';
import { silentReporter } from '../../../src/util/progress.ts';
import { smallScenarioYaml } from '../../helpers.ts';

const EXAMPLE = fileURLToPath(new URL('../../../examples/models/popularity.py', import.meta.url));
const COOCCURRENCE = fileURLToPath(new URL('../../../examples/models/cooccurrence.py', import.meta.url));
const python = spawnSync('python3', ['--version']).status === 0;
const root = mkdtempSync(join(tmpdir(), 'recgap-python-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A model's result rows (per pipeline) without its name, to compare with another model's. */
const rowsOf = (r: Results, model: string) => r.results.filter((x) => x.model === model).map(({ model: _, ...rest }) => rest);

describe('examples/models/popularity.py', () => {
  it.skipIf(!python)(
    python ? 'reproduces the built-in popularity metrics exactly, with JSON and f32 answers, in one thread and in two' : 'SKIPPED: python3 is not on PATH',
    async () => {
      // The scenario's folder holds the script: the command names it relative to there (the process's cwd).
      copyFileSync(EXAMPLE, join(root, 'popularity.py'));
      const models =
        '[ { name: pop, type: popularity }, { name: cand, type: command, command: [python3, popularity.py] }, { name: cand32, type: command, command: [python3, popularity.py, --f32] } ]';
      writeFileSync(join(root, 's.yaml'), smallScenarioYaml({ persons: 800, models }));
      const scenario = loadScenario(join(root, 's.yaml'));
      const run = await runScenario(scenario, { reporter: silentReporter() });
      const one = run.results;
      const pop = rowsOf(one, 'pop');
      expect(pop.length).toBe(3);
      expect(pop[0].metrics['ndcg@10'].frozen.mean).toBeGreaterThan(0);
      expect(rowsOf(one, 'cand')).toEqual(pop);
      expect(rowsOf(one, 'cand32')).toEqual(pop);
      // Paired model differences: exactly zero under every view.
      const diffs = one.modelRanking.differences.filter((c) => c.a === 'pop');
      expect(diffs.length).toBe(8);
      for (const d of diffs) expect([d.difference.mean, d.difference.lo, d.difference.hi]).toEqual([0, 0, 0]);
      expect(one.models.map((m) => [m.name, m.type])).toEqual([
        ['pop', 'popularity'],
        ['cand', 'command'],
        ['cand32', 'command'],
      ]);

      const two = (await runScenario(scenario, { reporter: silentReporter(), workers: 2 })).results;
      expect(rowsOf(two, 'cand')).toEqual(pop);
      expect(rowsOf(two, 'cand32')).toEqual(pop);
      // The training files are gone with their models.
      const files = run.models.flatMap((m) => (m.trainFile ? [m.trainFile] : []));
      expect(files.length).toBe(2);
      expect(files.filter(existsSync)).toEqual([]);
    },
  );

  it.skipIf(!python)(
    python ? 'cooccurrence.py beats popularity offline and loses some of it when served weekly from single keys' : 'SKIPPED: python3 is not on PATH',
    async () => {
      const models = `[ { name: pop, type: popularity }, { name: cooc, type: command, command: [python3, ${COOCCURRENCE}, --f32] } ]`;
      writeFileSync(join(root, 'c.yaml'), smallScenarioYaml({ persons: 800, models }));
      const { results } = await runScenario(loadScenario(join(root, 'c.yaml')), { reporter: silentReporter() });
      const weekly = (model: string) => results.results.find((r) => r.model === model && r.pipeline === 'weekly-batch')!.metrics['ndcg@10'];
      expect(weekly('cooc').frozen.mean).toBeGreaterThan(weekly('pop').frozen.mean);
      expect(weekly('cooc').gap.mean).toBeGreaterThan(0);
    },
  );
});
