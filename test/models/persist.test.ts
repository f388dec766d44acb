import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../../src/tf/backend.ts';
import { saveModel, loadModel, readSaved } from '../../src/models/persist.ts';
import { fitEase, EASE_DEFAULTS } from '../../src/models/ease.ts';
import { fitMf, MF_DEFAULTS } from '../../src/models/mf.ts';
import { fitGru4Rec, GRU_DEFAULTS } from '../../src/models/gru4rec.ts';
import { fitPopularity } from '../../src/models/popularity.ts';
import { fitItemKnn } from '../../src/models/itemknn.ts';
import { fitRandom } from '../../src/models/random.ts';
import { fitModel } from '../../src/models/fit.ts';
import { modelMsg } from '../../src/models/messages.ts';
import { logFromRows } from '../../src/log/eventLog.ts';
import type { Model } from '../../src/models/model.ts';
import { D, clusterLog, fitContext, profilesAt, scoreBatch, scoreEach } from './fixtures.ts';

const log = clusterLog(5);
const ctx = () => fitContext(log, 14 * D);
const profiles = profilesAt(log, 16 * D);
const made: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'recgap-model-'));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

beforeAll(async () => {
  await initTf();
});

const fitted: Array<[string, () => Model]> = [
  ['popularity', () => fitPopularity('pop', ctx())],
  ['itemknn', () => fitItemKnn('knn', ctx(), { neighbors: 10, halfLifeMs: 3 * D, shrink: 2, typeWeights: { purchase: 3 } })],
  ['ease', () => fitEase('ease', ctx(), EASE_DEFAULTS)],
  ['mf', () => fitMf('mf', ctx(), { ...MF_DEFAULTS, factors: 8, epochs: 2, batchSize: 256, negatives: 16 })],
  ['gru4rec', () => fitGru4Rec('gru', ctx(), { ...GRU_DEFAULTS, factors: 8, epochs: 1, batchSize: 256, negatives: 16, sequenceLength: 4 })],
];

describe.each(fitted)('saveModel / loadModel: %s', (type, fit) => {
  it('writes model.json + weights.bin and reloads to identical scores', async () => {
    const model = fit();
    const dir = tmp();
    saveModel(model, dir);
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
    expect(existsSync(join(dir, 'weights.bin'))).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.modelType).toBe(type);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const before = tf.memory().numTensors;
    const loaded = await loadModel(dir, log);
    expect(loaded.type).toBe(type);
    expect(scoreEach(loaded, profiles)).toEqual(scoreEach(model, profiles));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('maps items by id when the log orders them differently, and marks unknown items -Infinity', async () => {
    const model = fit();
    const dir = tmp();
    saveModel(model, dir);
    // The same events with item ids renamed for one item and the dictionary order reversed.
    const rows = Array.from({ length: log.length }, (_, e) => ({
      t: log.tsMs[e],
      person: log.dict.person[log.person[e]],
      key: log.dict.key[log.key[e]],
      item: log.dict.item[log.item[e]],
      type: log.dict.type[log.type[e]],
    }));
    const other = logFromRows([{ t: -1, person: 'X', key: 'x', item: 'new-item', type: 'view' }, ...rows.reverse().sort((a, b) => a.t - b.t)]);
    const loaded = await loadModel(dir, other, 'renamed');
    expect(loaded.name).toBe('renamed');
    // Person P0's profile in both logs, by the same event content.
    const t = 16 * D;
    const pa = profiles[0];
    const p0 = other.dict.person.indexOf('P0');
    const pb = { events: Int32Array.from([...Array(other.length).keys()].filter((e) => other.person[e] === p0 && other.tsMs[e] < t)), nowMs: t, requestId: 0 };
    const a = new Float32Array(model.nItems);
    const b = new Float32Array(loaded.nItems);
    model.score(pa, a);
    loaded.score(pb, b);
    log.dict.item.forEach((id, i) => expect(b[other.dict.item.indexOf(id)]).toBeCloseTo(a[i], 5));
    expect(b[other.dict.item.indexOf('new-item')]).toBe(-Infinity);
  });
});

describe('saved models: errors and the scenario spec', () => {
  it('refuses models that have no saved form', () => {
    expect(() => saveModel(fitRandom('rnd', ctx()), tmp())).toThrow(modelMsg.cannotSave('rnd', 'random'));
  });

  it('keeps recency-popularity and the item-kNN settings through a reload', async () => {
    const dir = tmp();
    saveModel(fitPopularity('recent', ctx(), 2 * D), dir);
    expect((await loadModel(dir, log)).type).toBe('recency-popularity');
    const knn = tmp();
    saveModel(fitItemKnn('knn', ctx(), { neighbors: 7, halfLifeMs: 3 * D, shrink: 2, typeWeights: { purchase: 3 } }), knn);
    expect(readSaved(knn).config).toEqual({ neighbors: 7, halfLifeMs: 3 * D, shrink: 2, typeWeights: { view: 1, cart: 2, purchase: 3 } });
  });

  it('names a missing folder, a wrong format and truncated weights', () => {
    const dir = tmp();
    expect(() => readSaved(dir)).toThrow(modelMsg.savedNotFound(dir));
    saveModel(fitEase('ease', ctx(), EASE_DEFAULTS), dir);
    const bin = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), bin.subarray(0, 100));
    expect(() => readSaved(dir)).toThrow(modelMsg.savedWrongSize(join(dir, 'weights.bin'), bin.byteLength, 100));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...json, format: 'other/1' }));
    expect(() => readSaved(dir)).toThrow(/not a saved recgap model: format is "other\/1"/);
  });

  it('{ type: saved, path } loads through fitModel under the scenario name', async () => {
    const model = fitEase('ease', ctx(), EASE_DEFAULTS);
    const dir = tmp();
    saveModel(model, dir);
    const loaded = await fitModel({ name: 'prod-ease', type: 'saved', path: dir }, ctx());
    expect(loaded.name).toBe('prod-ease');
    expect(scoreBatch(loaded, profiles)).toEqual(scoreBatch(model, profiles));
  });
});
