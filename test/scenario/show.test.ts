// How values appear in scenario messages (src/errors.ts `show`): one short line, as the user wrote them.
import { describe, expect, it } from 'vitest';
import { show } from '../../src/errors.ts';

describe('show', () => {
  it.each([
    ['text, quoted', 'x', '"x"'],
    ['nothing for a missing value', undefined, 'nothing'],
    ['YAML spellings of non-finite numbers (JSON would say null)', Infinity, '.inf'],
    ['-.inf', -Infinity, '-.inf'],
    ['.nan, also inside lists and mappings', { a: [1, NaN] }, '{"a":[1,.nan]}'],
    ['large numbers in exponent form', 1e300, '1e+300'],
    ['a Buffer through its toJSON', Buffer.from('hi'), '{"type":"Buffer","data":[104,105]}'],
    ['long lists cut at 60 characters', Array(100).fill(0.01), `[${Array(100).fill('0.01').join(',')}`.slice(0, 57) + '...'],
    ['long text cut at 80 characters', 'x'.repeat(300), `"${'x'.repeat(75)}..."`],
  ])('%s', (_label, value, text) => {
    expect(show(value)).toBe(text);
  });

  it('cuts a cycle instead of throwing', () => {
    const a: unknown[] = [1];
    a.push(a);
    expect(show(a)).toBe('[1,...]');
  });
});
