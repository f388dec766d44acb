// CSV fields: RFC 4180 quoting, and formula text from a log's ids neutralised for spreadsheets (OWASP).
import { describe, expect, it } from 'vitest';
import { csvField } from '../../src/log/csv.ts';

describe('csvField', () => {
  it.each([
    ['p123', 'p123'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['-12.5', '-12.5'],
    ['+7', '+7'],
    ['-1e-3', '-1e-3'],
    ['', ''],
  ])('%j -> %j', (input, output) => {
    expect(csvField(input)).toBe(output);
  });
});
