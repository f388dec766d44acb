// Issue #8 item 4, statically: no code path evaluates user text. The source tree has no eval, no Function
// constructor, no custom YAML tags, and no expression evaluation (mathjs only parses business.value, whose tree is
// checked against a whitelist and evaluated by recgap's own code);
// both YAML entry points parse with the core schema. A new use of any of these should be a deliberate change here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const FILES = [...sources('src'), ...sources('bin')];
/** Code without comments, so a comment that names a construct does not count as a use. */
const code = (file: string) =>
  readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('no evaluation of user text in src/ and bin/', () => {
  it('finds the source files', () => expect(FILES.length).toBeGreaterThan(100));

  it.each([
    ['eval(', /(^|[^\w.])eval\s*\(/],
    ['new Function', /new\s+Function\s*\(/],
    ['Function(', /(^|[^\w.])Function\s*\(/],
    ['customTags', /customTags/],
    ['vm.runIn*', /\brunIn(New|This)?Context\b|\bnew\s+(vm\.)?Script\s*\(/],
  ])('no %s', (_name, pattern) => {
    expect(FILES.filter((f) => pattern.test(code(f)))).toEqual([]);
  });

  it('mathjs is loaded in one module, which only parses (business.value) and never evaluates or compiles', () => {
    const users = FILES.filter((f) => /['"]mathjs['"]/.test(code(f)));
    expect(users).toEqual(['src/scenario/formula.ts']);
    const text = code('src/scenario/formula.ts');
    expect(text).toMatch(/\{\s*parse\s*\}\s*=\s*createRequire\(import\.meta\.url\)\('mathjs'\)/);
    expect(text).not.toMatch(/\b(evaluate|compile)\s*\(/);
  });

  it('both YAML entry points use the core schema (no tags beyond it, so !!js/* cannot construct anything)', () => {
    const yamlUsers = FILES.filter((f) => /from\s+['"]yaml['"]/.test(code(f)));
    // src/scenario/yaml.ts parses scenario files and --set values; load.ts only counts lines; calibrate's
    // twinYaml.ts writes the twin scenario with the Document API and parses nothing.
    expect(yamlUsers.sort()).toEqual(['src/calibrate/twinYaml.ts', 'src/scenario/load.ts', 'src/scenario/yaml.ts']);
    expect(code('src/calibrate/twinYaml.ts')).not.toMatch(/\b(parseDocument|parseAllDocuments|parse)\s*\(/);
    expect(code('src/scenario/load.ts')).toMatch(/import\s*\{\s*LineCounter\s*\}\s*from\s*'yaml'/);
    const text = code('src/scenario/yaml.ts');
    const calls = text.match(/\b(parseDocument|parseAllDocuments|parse)\s*\([^;]*\)/g) ?? [];
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call, call).toContain("schema: 'core'");
  });
});
