// Writing a run's output atomically: everything goes into a temporary folder beside the target, which
// replaces the previous output only once complete. A failed run leaves the previous report intact.
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface OutputFile {
  name: string;
  content: string | Uint8Array;
}

/**
 * Write `files` into `outDir/name` atomically and return the final folder.
 * `name` must already be a safe single path segment (the scenario schema guarantees it).
 *
 * @example
 * writeAtomically('reports', 'quickstart', [{ name: 'results.json', content: json }]);
 */
export function writeAtomically(outDir: string, name: string, files: readonly OutputFile[]): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`unsafe output name ${JSON.stringify(name)}`);
  const root = resolve(outDir);
  mkdirSync(root, { recursive: true });
  const target = join(root, name);
  const tmp = join(root, `.${name}.tmp-${process.pid}`);
  const old = join(root, `.${name}.old-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    for (const f of files) {
      const path = join(tmp, f.name);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, f.content);
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(target) && existsSync(old)) renameSync(old, target);
    throw e;
  }
  return target;
}
