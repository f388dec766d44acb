// Model specs in scenario YAML: defaults filled in by normalization, invalid options rejected with the
// field named.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { parseScenario } from '../../src/scenario/load.ts';
import { smallScenarioYaml } from '../helpers.ts';
import { MS } from '../../src/util/duration.ts';

const models = (yaml: string) => parseScenario(smallScenarioYaml({ models: yaml }), 'small.yaml').models;

describe('model specs', () => {
  it('fills the defaults of ease, mf, gru4rec, saved and tfjs', () => {
    const [ease, mf, gru, saved, ext] = models(
      '[ { name: e, type: ease }, { name: m, type: mf }, { name: g, type: gru4rec }, { name: s, type: saved, path: models/e }, { name: t, type: tfjs, path: m/model.json, input: sequence } ]',
    );
    expect(ease).toEqual({ name: 'e', type: 'ease', lambda: null, halfLifeMs: 0 });
    expect(mf).toEqual({
      name: 'm',
      type: 'mf',
      factors: 32,
      epochs: 5,
      learningRate: 0.01,
      regularization: 1e-4,
      halfLifeMs: 7 * MS.d,
      history: 20,
      negatives: 64,
      batchSize: 1024,
    });
    expect(gru).toEqual({
      name: 'g',
      type: 'gru4rec',
      factors: 32,
      epochs: 3,
      learningRate: 0.01,
      sequenceLength: 10,
      negatives: 1024,
      batchSize: 512,
      samplesPerEpoch: 200_000,
    });
    // Paths are resolved beside the scenario file (here: small.yaml in the working directory).
    expect(saved).toEqual({ name: 's', type: 'saved', path: resolve('models/e') });
    expect(ext).toEqual({ name: 't', type: 'tfjs', path: resolve('m/model.json'), input: 'sequence', sequenceLength: 20, itemIds: 'ids.json' });
  });

  it('keeps given options, durations in milliseconds', () => {
    const [ease, mf] = models(
      '[ { name: e, type: ease, lambda: 250, halfLife: 2d }, { name: m, type: mf, factors: 16, epochs: 3, learningRate: 0.01, regularization: 0, halfLife: 12h } ]',
    );
    expect(ease).toMatchObject({ lambda: 250, halfLifeMs: 2 * MS.d });
    expect(mf).toMatchObject({ factors: 16, epochs: 3, learningRate: 0.01, regularization: 0, halfLifeMs: 12 * MS.h });
  });

  it.each([
    ['{ name: e, type: ease, lambda: 0 }', /models\.0\.lambda/],
    ['{ name: m, type: mf, factors: 0 }', /models\.0\.factors/],
    ['{ name: m, type: mf, epochs: 1.5 }', /models\.0\.epochs/],
    ['{ name: g, type: gru4rec, sequenceLength: 0 }', /models\.0\.sequenceLength/],
    ['{ name: t, type: tfjs, path: m.json, input: image }', /models\.0\.input/],
    ['{ name: t, type: tfjs, input: sequence }', /models\.0\.path/],
    ['{ name: s, type: saved }', /models\.0\.path/],
    ['{ name: m, type: mf, factor: 8 }', /unknown key "factor".*did you mean "factors"/],
  ])('rejects %s', (spec, message) => {
    expect(() => models(`[ ${spec} ]`)).toThrow(message);
  });
});
