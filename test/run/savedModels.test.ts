// Fitted models land under the run's output (models/<name>/) and a later scenario reloads them by a path
// relative to its own file: the reloaded models score every request exactly as the originals did.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../src/jobs/runJob.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { smallScenarioYaml } from '../helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'recgap-saved-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fitted models in the run output', () => {
  it('writes models/<name>/ for every saveable model and reloads them to identical per-request metrics', async () => {
    const models = '[ { name: pop, type: popularity }, { name: knn, type: itemknn }, { name: ease, type: ease }, { name: rnd, type: random } ]';
    writeFileSync(join(root, 'first.yaml'), smallScenarioYaml({ persons: 600, models }).replace('name: small', 'name: first'));
    const first = await runJob({ scenario: loadScenario(join(root, 'first.yaml')), outDir: join(root, 'runs') });
    for (const m of ['pop', 'knn', 'ease']) {
      expect(existsSync(join(first.dir, 'models', m, 'model.json'))).toBe(true);
      expect(existsSync(join(first.dir, 'models', m, 'weights.bin'))).toBe(true);
    }
    expect(existsSync(join(first.dir, 'models', 'rnd'))).toBe(false);
    const written = JSON.parse(readFileSync(join(first.dir, 'results.json'), 'utf8'));
    expect(written.models).toEqual([
      { name: 'pop', type: 'popularity', saved: 'models/pop' },
      { name: 'knn', type: 'itemknn', saved: 'models/knn' },
      { name: 'ease', type: 'ease', saved: 'models/ease' },
      { name: 'rnd', type: 'random', saved: null },
    ]);

    // A second scenario in another folder names the saved models relative to itself.
    const saved =
      '[ { name: pop, type: saved, path: ../runs/first/models/pop }, { name: knn, type: saved, path: ../runs/first/models/knn }, { name: ease, type: saved, path: ../runs/first/models/ease } ]';
    const dir2 = mkdtempSync(join(root, 'later-'));
    writeFileSync(join(dir2, 'second.yaml'), smallScenarioYaml({ persons: 600, models: saved }).replace('name: small', 'name: second'));
    const second = await runJob({ scenario: loadScenario(join(dir2, 'second.yaml')), outDir: join(root, 'runs') });
    const byName = (run: typeof first.run, name: string) => run!.results.results.filter((r) => r.model === name);
    for (const m of ['pop', 'knn', 'ease']) expect(byName(second.run, m)).toEqual(byName(first.run, m));
    // Reloaded models are saved again under the second run.
    expect(existsSync(join(second.dir, 'models', 'knn', 'model.json'))).toBe(true);
  });

  it('names a saved-model path that does not exist, resolved beside the scenario', () => {
    const dir = mkdtempSync(join(root, 'missing-'));
    writeFileSync(join(dir, 's.yaml'), smallScenarioYaml({ models: '[ { name: old, type: saved, path: nowhere/knn } ]' }));
    expect(loadScenario(join(dir, 's.yaml')).models[0]).toMatchObject({ type: 'saved', path: join(dir, 'nowhere', 'knn') });
  });
});
