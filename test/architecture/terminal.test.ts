// Issue 17 item 8: the CLI prints only through src/util/terminal.ts (which escapes control characters), and the
// progress reporter writes only escaped text besides its own redraw codes (test/util/terminal.test.ts). A module
// that wrote to stdout or stderr itself could pass an id's ESC sequence to the terminal; this keeps that out.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Code without comments, so an example in a doc comment does not count. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

/** Writing to the process's streams, or printing with console. */
const PRINTS = /process\.(stdout|stderr)\.write|console\.(log|error|warn|info|debug)\s*\(/;

/** The only modules that may: the escaping writer, and the reporter's default sink (its text is escaped piece by piece). */
const ALLOWED = ['src/util/terminal.ts', 'src/util/progress.ts'];

describe('printing goes through the escaping writer', () => {
  it('no module in src/ writes to stdout or stderr but terminal.ts and the reporter', () => {
    const offenders = sources(join(ROOT, 'src'))
      .map((f) => relative(ROOT, f))
      .filter((f) => !ALLOWED.includes(f) && PRINTS.test(code(readFileSync(join(ROOT, f), 'utf8'))));
    expect(offenders).toEqual([]);
  });

  it('the checks still see what they check: the allowed modules do print, and main.ts prints through terminal()', () => {
    for (const f of ALLOWED) expect(PRINTS.test(code(readFileSync(join(ROOT, f), 'utf8')))).toBe(true);
    expect(readFileSync(join(ROOT, 'src/cli/main.ts'), 'utf8')).toMatch(/const term = terminal\(\);/);
  });
});
