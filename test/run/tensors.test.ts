// TensorFlow.js memory across runs: an external tfjs model (which holds its weights as tensors) is
// loaded for a run and again on every retrain cut, and the run releases all of it; a sweep over several
// points ends with the tensor count it started with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../../src/tf/backend.ts';
import { fileSaveHandler } from '../../src/tf/fileIo.ts';
import { loadLog } from '../../src/run/loadLog.ts';
import { runScenario } from '../../src/run/run.ts';
import { runSweep } from '../../src/jobs/sweep.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { silentReporter } from '../../src/util/progress.ts';
import { smallScenarioYaml } from '../helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'recgap-tensors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = join(root, 's.yaml');

beforeAll(async () => {
  await initTf();
  // A multi-hot dense model over the small world's items, saved beside the scenario.
  writeFileSync(file, smallScenarioYaml({ persons: 400, models: '[ { name: pop, type: popularity } ]' }));
  const { log } = await loadLog(loadScenario(file), silentReporter());
  const n = log.dict.item.length;
  const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [n], units: n, kernelInitializer: 'glorotUniform' })] });
  await net.save(fileSaveHandler(join(root, 'ext')));
  writeFileSync(join(root, 'ext', 'ids.json'), JSON.stringify(log.dict.item));
  net.dispose();
  const pipelines = [
    '  - { name: weekly, refresh: 7d, latency: 6h, identity: key }',
    '  - { name: retrained, refresh: 1d, latency: 1h, identity: login, retrain: 7d }',
  ].join('\n');
  writeFileSync(
    file,
    smallScenarioYaml({
      persons: 400,
      models: '[ { name: ext, type: tfjs, path: ext/model.json, input: multihot }, { name: mf, type: mf, factors: 4, epochs: 1 } ]',
      pipelines,
    }),
  );
});

describe('TensorFlow.js tensors', () => {
  it('a run with an external model and retraining leaves the tensor count unchanged', async () => {
    const scenario = loadScenario(file);
    const before = tf.memory().numTensors;
    const run = await runScenario(scenario, { reporter: silentReporter() });
    expect(run.results.pipelines[1].retrain).toBe('7d');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a sweep over three points leaves the tensor count unchanged', async () => {
    const before = tf.memory().numTensors;
    await runSweep({ scenarioFile: file, sets: ['eval.window=3d,4d,5d'], outDir: join(root, 'sweeps') });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a pipeline-only sweep keeps its fitted models through every point, then releases them once', async () => {
    const before = tf.memory().numTensors;
    // The first point fits ext and mf (tensors held), the others reuse them; every retrain cut is released as it goes.
    const { table } = await runSweep({ scenarioFile: file, sets: ['pipelines.0.refresh=1d,7d', 'pipelines.1.retrain=7d,14d'], outDir: join(root, 'sweeps') });
    expect(table.points).toHaveLength(4);
    expect(table.rows.every((r) => Number.isFinite(r.served.mean))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
