// The layers of src/ point downwards: each folder may import only from the folders listed for it (its own
// files always). The table is the architecture; a new arrow between folders is a deliberate edit here.
// Type-only imports count too: a type two folders share lives in the lower one.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const SRC = join(ROOT, 'src');

/** Lowest first; `errors` is src/errors.ts, `index` src/index.ts (the library's entry). */
const LAYERS: Array<[string, string[]]> = [
  ['errors', []],
  ['util', []],
  ['stats', ['util']],
  ['log', ['util']],
  ['scenario', ['errors', 'util']],
  ['world', ['errors', 'util', 'log', 'scenario']],
  ['ingest', ['errors', 'util', 'log', 'scenario']],
  ['tf', ['errors']],
  ['identity', ['util', 'log', 'scenario']],
  ['pipeline', ['errors', 'util', 'log', 'scenario', 'identity']],
  ['models', ['errors', 'util', 'log', 'scenario', 'tf']],
  ['eval', ['errors', 'util', 'stats', 'log', 'scenario', 'pipeline', 'models']],
  ['results', ['errors', 'stats', 'log', 'scenario', 'world', 'ingest', 'identity', 'pipeline', 'eval']],
  ['run', ['errors', 'util', 'stats', 'log', 'scenario', 'world', 'ingest', 'tf', 'identity', 'pipeline', 'models', 'eval', 'results']],
  ['audit', ['errors', 'util', 'stats', 'log', 'scenario', 'pipeline']],
  ['calibrate', ['errors', 'util', 'stats', 'log', 'scenario', 'world', 'ingest', 'run', 'audit']],
  ['report', ['errors', 'util', 'stats', 'log', 'scenario', 'pipeline', 'identity', 'eval', 'results', 'run', 'audit']],
  [
    'jobs',
    [
      'errors',
      'util',
      'stats',
      'log',
      'scenario',
      'world',
      'ingest',
      'tf',
      'identity',
      'pipeline',
      'models',
      'eval',
      'results',
      'run',
      'audit',
      'calibrate',
      'report',
    ],
  ],
  ['cli', ['errors', 'util', 'scenario', 'results', 'run', 'jobs']],
];
// src/index.ts, the library's public surface, re-exports from every layer below the CLI.
LAYERS.push(['index', LAYERS.map(([f]) => f).filter((f) => f !== 'cli')]);
const ALLOWED = new Map(LAYERS.map(([f, deps]) => [f, new Set(deps)]));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The layer of a path under src/: its first folder, or the file's own name for files at the top. */
function layerOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.(ts|mjs)$/, '');
}

/** Relative module specifiers of static imports, type imports, re-exports and dynamic imports. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) out.push(m[1] ?? m[2]);
  return out;
}

describe('src/ layers', () => {
  const files = sources(SRC);

  it('knows every folder of src/', () => {
    const layers = new Set(files.map(layerOf));
    expect([...layers].filter((l) => !ALLOWED.has(l))).toEqual([]);
  });

  it('has no import that points to a folder its table entry does not list', () => {
    const bad: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const spec of imports(file)) {
        const to = layerOf(normalize(join(dirname(file), spec)));
        if (to !== from && !ALLOWED.get(from)!.has(to)) bad.push(`${relative(ROOT, file)} imports ${spec} (${from} -> ${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('lists each folder only above the folders it may import (no cycle in the table)', () => {
    const rank = new Map(LAYERS.map(([f], i) => [f, i]));
    for (const [f, deps] of LAYERS) for (const d of deps) expect(rank.get(d)!, `${f} -> ${d}`).toBeLessThan(rank.get(f)!);
  });

  it('finds the imports it checks (the scan is not empty)', () => {
    const all = files.flatMap(imports);
    expect(all.length).toBeGreaterThan(500);
    expect(all).toContain('../results/results.ts');
  });
});
