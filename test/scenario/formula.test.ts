// business.value: a formula parsed by mathjs, checked against a whitelist, evaluated by recgap itself.
import { describe, expect, it } from 'vitest';
import { evaluateFormula, parseFormula } from '../../src/scenario/formula.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { smallScenarioYaml } from '../helpers.ts';
import { valuePerOrder } from '../../src/report/business.ts';

const NAMES = ['aov', 'margin', 'shipping'];

describe('parseFormula', () => {
  it.each([
    ['aov * margin - shipping', 50 * 0.3 - 4],
    ['(aov - shipping) * margin', (50 - 4) * 0.3],
    ['-shipping + aov / 2', -4 + 25],
    ['aov * 0.25', 12.5],
  ])('%s evaluates by hand', (text, expected) => {
    const parsed = parseFormula(text, NAMES);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(evaluateFormula(parsed.formula, { aov: 50, margin: 0.3, shipping: 4 })).toBeCloseTo(expected, 12);
  });

  it.each([
    ['cos(aov)', 'cos(...) is not allowed: use numbers, aov, margin, shipping, + - * / and parentheses'],
    ['aov ^ 2', 'the operator ^ is not allowed: use numbers, aov, margin, shipping, + - * / and parentheses'],
    ['tax * aov', 'tax is not a known quantity: use numbers, aov, margin, shipping, + - * / and parentheses'],
    ['x = 1', 'an assignment is not allowed: use numbers, aov, margin, shipping, + - * / and parentheses'],
    ['import("fs")', 'import(...) is not allowed: use numbers, aov, margin, shipping, + - * / and parentheses'],
    ['[1, 2]', 'an array is not allowed: use numbers, aov, margin, shipping, + - * / and parentheses'],
    ['"text"', 'text is not a number'],
  ])('%s is refused: %s', (text, error) => {
    expect(parseFormula(text, NAMES)).toEqual({ error });
  });
});

describe('business.value in a scenario', () => {
  const withValue = (business: string) => `${smallScenarioYaml()}\nbusiness: ${business}\n`;

  it('prices an order with the formula and the named quantities', () => {
    const s = parseScenario(withValue('{ averageOrderValue: 80, margin: 0.25, value: "aov * margin - shipping", quantities: { shipping: 5 } }'), 'v.yaml');
    expect(s.business.value?.text).toBe('aov * margin - shipping');
    expect(valuePerOrder(s.business)).toBe(15);
    expect(valuePerOrder(parseScenario(withValue('{ averageOrderValue: 80, margin: 0.25 }'), 'v.yaml').business)).toBe(20);
  });

  it('refuses a formula outside the whitelist in one line naming the key', () => {
    expect(() => parseScenario(withValue('{ value: "cos(aov)" }'), 'v.yaml')).toThrow(
      'v.yaml:11: business.value is "cos(aov)"; expected a formula over numbers, aov, margin and business.quantities (cos(...) is not allowed: use numbers, aov, margin, + - * / and parentheses)',
    );
  });
});
