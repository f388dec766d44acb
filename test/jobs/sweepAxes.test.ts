// A sweep's axes in words, their order, and the folder names of grid points.
import { describe, expect, it } from 'vitest';
import { axisKind, axisLabel, describeAxis, pointSlug } from '../../src/jobs/sweepAxes.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const quickstart = loadScenario('scenarios/quickstart.yaml');
const identity = loadScenario('scenarios/identity.yaml');

describe('axis labels', () => {
  it.each([
    ['pipelines.0.refresh', quickstart, 'refresh cadence (pipeline weekly-batch)'],
    ['pipelines.0.refresh', identity, 'refresh cadence (pipeline keys)'],
    ['pipelines.1.latency', quickstart, 'refresh latency (pipeline daily-stitched)'],
    ['pipelines.0.identity', quickstart, 'identity resolver (pipeline weekly-batch)'],
    ['pipelines.2.graph.threshold', identity, 'graph match threshold (pipeline graph)'],
    ['pipelines.1.login.sessionStitch', identity, 'login session stitching (pipeline logins)'],
    ['pipelines.0.retrain', quickstart, 'model retrain cadence (pipeline weekly-batch)'],
    ['pipelines.0.graph.newOption', identity, 'graph new option (pipeline keys)'],
    ['pipelines.7.refresh', quickstart, 'refresh cadence (pipeline #7)'],
    ['models.1.neighbors', quickstart, 'neighbours (model knn)'],
    ['models.0.halfLife', quickstart, 'half-life (model pop)'],
    ['world.identity.loginRate.app', quickstart, 'login rate on app'],
    ['world.identity.loginRate', quickstart, 'login rate'],
    ['world.identity.channelMix.mweb', quickstart, 'channel share of mweb'],
    ['world.drift.kappa', quickstart, 'drift rate (kappa)'],
    ['world.persons', quickstart, 'persons'],
    ['eval.window', quickstart, 'label window W'],
    ['train.until', quickstart, 'train/test split'],
    ['seed', quickstart, 'seed'],
    ['world.activity.diurnal', quickstart, 'diurnal (world activity)'],
    ['world.signals.homeIpLifetime', quickstart, 'home ip lifetime (world signals)'],
    ['description', quickstart, 'description'],
  ])('%s in %s reads "%s"', (path, scenario, label) => {
    expect(axisLabel(path, scenario)).toBe(label);
  });
});

describe('axis order', () => {
  it.each([
    [['1h', '1d', '7d'], 'duration'],
    [['0', '1h', '6h'], 'duration'],
    [['0.5', '0.85', '0.97'], 'number'],
    [['2000', '20000', '1e5'], 'number'],
    [['60%', '70%'], 'number'],
    [['key', 'login', 'graph', 'oracle'], 'category'],
    [['stream', '1h', '1d'], 'category'],
    [['true', 'false'], 'category'],
  ])('%j is a %s axis', (values, kind) => {
    expect(axisKind(values)).toBe(kind);
  });

  it('orders numbers and durations naturally and keeps categories as given', () => {
    expect(describeAxis({ path: 'pipelines.0.refresh', values: ['7d', '1h', '1d', '12h'] }, quickstart)).toEqual({
      path: 'pipelines.0.refresh',
      label: 'refresh cadence (pipeline weekly-batch)',
      kind: 'duration',
      values: ['7d', '1h', '1d', '12h'],
      order: ['1h', '12h', '1d', '7d'],
    });
    expect(describeAxis({ path: 'world.persons', values: ['20000', '2000', '5000'] }, quickstart).order).toEqual(['2000', '5000', '20000']);
    expect(describeAxis({ path: 'train.until', values: ['80%', '0.6', '70%'] }, quickstart).order).toEqual(['0.6', '70%', '80%']);
    expect(describeAxis({ path: 'pipelines.0.refresh', values: ['stream', '7d', '1d'] }, quickstart).order).toEqual(['stream', '7d', '1d']);
  });
});

describe('point folders', () => {
  it.each([
    [0, ['1h'], 3, '0-1h'],
    [3, ['1d', '0.85'], 12, '03-1d_0.85'],
    [11, ['7d', '0.97'], 12, '11-7d_0.97'],
    [0, ['"a,b"', '../x'], 2, '0-a-b_.-x'],
    [1, ['/', '..'], 2, '1-x_.'],
    [7, ['[1, 2]'], 200, '007-1-2'],
  ])('point %i with %j of %i is %s', (index, values, points, slug) => {
    expect(pointSlug(index, values, points)).toBe(slug);
  });

  it('is always one safe path segment', () => {
    for (const v of ['../../etc', 'a/b\\c', '..', '.', ' ', 'é ü', 'x'.repeat(300), 'CON', 'a\nb']) {
      const slug = pointSlug(5, [v, v], 10);
      expect(slug).toMatch(/^[0-9]+-[A-Za-z0-9._-]+$/);
      expect(slug.length).toBeLessThanOrEqual(120);
      expect(slug.startsWith('5-')).toBe(true);
    }
  });
});
