// The documentation names source files to read; each named file must exist (a move or a rename that
// forgets the docs is caught here, not by a reader).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('paths the documentation names', () => {
  it.each(DOCS.map((d) => [d]))('%s names only source files that exist', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const named = [...new Set(text.match(/\bsrc\/[A-Za-z0-9_/.-]+\.(?:ts|mjs)\b/g) ?? [])];
    expect(named.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });
});
