import { describe, expect, it } from 'vitest';
import { parseRequestColumns } from '../../src/report/requestColumns.ts';
import { hashString } from '../../src/util/hash.ts';

describe('parseRequestColumns', () => {
  it('reads the person column and the asked-for numeric columns, with RFC 4180 quoting', () => {
    const csv = 'request,person,"a,b.x.hit@10",other\r\n0,"p,1",1,9\r\n1,"say ""hi""",0,9\r\n2,p3,,9\r\n';
    const t = parseRequestColumns(csv, ['a,b.x.hit@10', 'missing']);
    expect(t.length).toBe(3);
    expect([...t.cluster]).toEqual(['p,1', 'say "hi"', 'p3'].map((p) => hashString(p) >>> 1));
    expect([...t.columns.keys()]).toEqual(['a,b.x.hit@10']);
    expect([...t.columns.get('a,b.x.hit@10')!]).toEqual([1, 0, NaN]);
  });

  it('handles a file without a trailing newline and an empty file', () => {
    expect(parseRequestColumns('person,v\np1,0.5', ['v']).columns.get('v')).toEqual(Float64Array.of(0.5));
    expect(parseRequestColumns('', ['v']).length).toBe(0);
  });

  it('fails on a table without persons', () => {
    expect(() => parseRequestColumns('a,b\n1,2\n', ['a'])).toThrow('requests.csv has no person column');
  });
});
