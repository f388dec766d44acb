// The package's own version, read from its package.json at run time: src/util/ (a checkout) and dist/util/
// (the installed package) are both two folders below the package root, so one relative URL serves both.
import { readFileSync } from 'node:fs';

/**
 * The version field of recgap's package.json.
 *
 * @example
 * packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
