import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.ts';
import { DEFAULT_BUSINESS } from '../../src/scenario/defaults.ts';
import { smallScenarioYaml } from '../helpers.ts';

const withBusiness = (b: string) => smallScenarioYaml() + `\nbusiness: ${b}\n`;

describe('scenario business: section', () => {
  it('defaults when absent, marked as defaults', () => {
    expect(parseScenario(smallScenarioYaml(), 'small.yaml').business).toEqual({ ...DEFAULT_BUSINESS, source: 'defaults' });
  });

  it('fills what is missing and keeps what is given', () => {
    const s = parseScenario(
      withBusiness('{ sessionsPerMonth: 50000, margin: 0.4, incrementalityRange: [0.02, 0.2], currency: EUR, model: knn }'),
      'small.yaml',
    );
    expect(s.business).toEqual({
      ...DEFAULT_BUSINESS,
      sessionsPerMonth: 50000,
      margin: 0.4,
      incrementalityRange: [0.02, 0.2],
      currency: 'EUR',
      model: 'knn',
      source: 'scenario',
    });
  });

  it.each([
    ['{ margin: 1.5 }', 'small.yaml:11: business.margin is 1.5; expected a share between 0 and 1: contribution margin of revenue (default 0.3)'],
    [
      '{ sessionsPerMonth: 0 }',
      'small.yaml:11: business.sessionsPerMonth is 0; expected a positive number: sessions per month that could see recommendations (default 1000000)',
    ],
    ['{ incrementalityRange: [0.3, 0.1] }', 'small.yaml:11: business.incrementalityRange is [0.3,0.1]; expected [low, high] with low <= high'],
    ['{ model: knnn }', 'small.yaml:11: business.model is "knnn"; expected one of the scenario\'s models (pop, knn)'],
    ['{ exposur: 0.5 }', 'small.yaml:11: unknown key "exposur" in business; did you mean "exposure"?'],
    ['{ currency: "<b>" }', 'small.yaml:11: business.currency is "<b>"; expected letters or a currency sign, up to 12 characters, e.g. EUR or $ (default USD)'],
  ])('rejects %s', (b, message) => {
    expect(() => parseScenario(withBusiness(b), 'small.yaml')).toThrow(message);
  });
});
