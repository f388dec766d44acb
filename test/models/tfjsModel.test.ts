import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../../src/tf/backend.ts';
import { fileSaveHandler, fileLoadHandler } from '../../src/tf/fileIo.ts';
import { loadTfjsModel } from '../../src/models/tfjsModel.ts';
import { fitModel } from '../../src/models/fit.ts';
import { modelMsg } from '../../src/models/messages.ts';
import { logFromRows } from '../../src/log/eventLog.ts';
import { D, fitContext } from './fixtures.ts';

// Items a..e in the log; the external model knows e, c, a, z (output index order), z not in the log.
const log = logFromRows(['a', 'b', 'c', 'a', 'e', 'c', 'd'].map((item, i) => ({ t: (i + 1) * D, person: 'P', key: 'k', item, type: 'view' })));
const IDS = ['e', 'c', 'a', 'z'];
const profile = { events: Int32Array.of(0, 1, 2, 3, 4, 5), nowMs: 7 * D, requestId: 0 }; // a b c a e c
const made: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'recgap-tfjs-'));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Deterministic weights: value k / 10 for the k-th number, cycled through -0.5..0.5. */
function setWeights(model: tf.LayersModel): void {
  model.setWeights(
    model.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, (_, k) => ((k * 7) % 11) / 10 - 0.5),
        w.shape,
      ),
    ),
  );
}

async function saveWithIds(model: tf.LayersModel, ids: unknown): Promise<string> {
  const dir = tmp();
  await model.save(fileSaveHandler(dir));
  writeFileSync(join(dir, 'ids.json'), JSON.stringify(ids));
  return dir;
}

beforeAll(async () => {
  await initTf();
});

describe('external TensorFlow.js models', () => {
  it('round-trips a LayersModel through model.json + weights.bin without tfjs-node', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    setWeights(m);
    const dir = await saveWithIds(m, []);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths).toEqual(['weights.bin']);
    const back = await tf.loadLayersModel(fileLoadHandler(join(dir, 'model.json')));
    const x = tf.tensor2d([[1, 2, 3]]);
    expect((back.predict(x) as tf.Tensor).arraySync()).toEqual((m.predict(x) as tf.Tensor).arraySync());
    tf.dispose([x, m, back] as unknown as tf.Tensor[]);
  });

  it('sequence input: the last L items as model indices, left-padded with n, scores mapped to log items', async () => {
    const L = 4;
    const net = tf.sequential({
      layers: [tf.layers.embedding({ inputDim: IDS.length + 1, outputDim: 3, inputLength: L }), tf.layers.flatten(), tf.layers.dense({ units: IDS.length })],
    });
    setWeights(net);
    const dir = await saveWithIds(net, IDS);
    const before = tf.memory().numTensors;
    const model = await loadTfjsModel('ext', { path: join(dir, 'model.json'), input: 'sequence', sequenceLength: 99, itemIds: 'ids.json' }, log);
    const loadedTensors = tf.memory().numTensors;
    const out = new Float32Array(model.nItems);
    model.score(profile, out);
    expect(tf.memory().numTensors).toBe(loadedTensors);
    // Known items of a b c a e c, repeats collapsed, last 4: c a e c -> indices 1 2 0 1 (L fixed by the model).
    const expected = tf.tidy(() => (net.predict(tf.tensor2d([[1, 2, 0, 1]])) as tf.Tensor).dataSync());
    const logIndex = (id: string) => log.dict.item.indexOf(id);
    expect(out[logIndex('e')]).toBeCloseTo(expected[0], 5);
    expect(out[logIndex('c')]).toBeCloseTo(expected[1], 5);
    expect(out[logIndex('a')]).toBeCloseTo(expected[2], 5);
    expect(out[logIndex('b')]).toBe(-Infinity);
    expect(out[logIndex('d')]).toBe(-Infinity);
    // A short profile pads on the left with n = 4.
    model.score({ events: Int32Array.of(0), nowMs: D, requestId: 1 }, out);
    const short = tf.tidy(() => (net.predict(tf.tensor2d([[4, 4, 4, 2]])) as tf.Tensor).dataSync());
    expect(out[logIndex('a')]).toBeCloseTo(short[2], 5);
    model.dispose!();
    net.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('multihot input through the { type: tfjs } spec', async () => {
    const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [IDS.length], units: IDS.length })] });
    setWeights(net);
    const dir = await saveWithIds(net, IDS);
    const model = await fitModel(
      { name: 'ext', type: 'tfjs', path: join(dir, 'model.json'), input: 'multihot', sequenceLength: 20, itemIds: join(dir, 'ids.json') },
      fitContext(log, 10 * D),
    );
    const out = new Float32Array(model.nItems);
    model.scoreBatch!([profile], out);
    // Profile items a, b, c, e -> known e, c, a -> multi-hot [1, 1, 1, 0].
    const expected = tf.tidy(() => (net.predict(tf.tensor2d([[1, 1, 1, 0]])) as tf.Tensor).dataSync());
    expect(out[log.dict.item.indexOf('c')]).toBeCloseTo(expected[1], 5);
    model.dispose!();
    net.dispose();
  });

  it('loads a GraphModel (a hand-written graph: multi-hot x W) and scores with it', async () => {
    const w = Float32Array.from({ length: 16 }, (_, k) => ((k * 5) % 7) / 7);
    const dir = tmp();
    const dims = (...d: number[]) => ({ dim: d.map((size) => ({ size: String(size) })) });
    const graph = {
      format: 'graph-model',
      generatedBy: 'test',
      convertedBy: 'hand',
      modelTopology: {
        node: [
          { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dims(-1, 4) } } },
          { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(4, 4) } } } },
          { name: 'y', op: 'MatMul', input: ['x', 'w'], attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } } },
        ],
        library: {},
        versions: {},
      },
      weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [4, 4], dtype: 'float32' }] }],
    };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(graph));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(w.buffer));
    writeFileSync(join(dir, 'ids.json'), JSON.stringify(IDS));
    const model = await loadTfjsModel('graph', { path: join(dir, 'model.json'), input: 'multihot', sequenceLength: 20, itemIds: 'ids.json' }, log);
    const out = new Float32Array(model.nItems);
    model.score(profile, out);
    // Multi-hot [1, 1, 1, 0] (e, c, a known) times W: column j sums rows 0..2.
    for (const [j, id] of IDS.slice(0, 3).entries()) expect(out[log.dict.item.indexOf(id)]).toBeCloseTo(w[j] + w[4 + j] + w[8 + j], 5);
    model.dispose!();
  });

  it.each([
    ['an output that does not match the id list', 'sequence', IDS.slice(0, 3), () => modelMsg.tfjsOutputShape('ext', '[null,4]', 3)],
    ['a multi-hot input that does not match the id list', 'multihot', IDS.slice(0, 3), () => modelMsg.tfjsInputShape('ext', '[null,4]', 'multihot')],
    ['ids that are not a list', 'multihot', { a: 1 }, (dir: string) => modelMsg.itemIdsInvalid(join(dir, 'ids.json'))],
    ['no id the log knows', 'multihot', ['x', 'y', 'z', 'w'], (dir: string) => modelMsg.noKnownItems('ext', join(dir, 'ids.json'))],
  ] as const)('rejects %s', async (_, input, ids, message) => {
    const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4 })] });
    const dir = await saveWithIds(net, ids);
    net.dispose();
    await expect(loadTfjsModel('ext', { path: join(dir, 'model.json'), input, sequenceLength: 20, itemIds: 'ids.json' }, log)).rejects.toThrow(message(dir));
  });
});
