// Issue 17 item 2: a crash at any point of writing an output folder leaves the old or the new output, and the
// next command cleans up after it. For every step of the write, a child process is killed (SIGKILL, nothing
// runs after it) right there; then the target must hold the complete old or the complete new content (or, in
// the instant between the two renames, the old one parked where the next claim restores it), and the next
// write must succeed and leave nothing behind: no temporary folder, no parked folder, no lock.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimOutput, OUTPUT_MARKER, WRITE_STEPS, writeAtomically, type WriteStep } from '../../src/results/output.ts';

const CHILD = resolve(import.meta.dirname, 'fixtures/writeChild.ts');
const root = mkdtempSync(join(tmpdir(), 'recgap-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files = (tag: string) => [
  { name: 'a.txt', content: tag },
  { name: 'b/c.txt', content: tag },
];

/** The tag of a complete output folder (both files agree, the marker lists exactly them), else what is wrong. */
function contentOf(dir: string): string {
  if (!existsSync(dir)) return 'missing';
  const a = readFileSync(join(dir, 'a.txt'), 'utf8');
  const c = readFileSync(join(dir, 'b/c.txt'), 'utf8');
  const marker = JSON.parse(readFileSync(join(dir, OUTPUT_MARKER), 'utf8'));
  if (a !== c || JSON.stringify(marker.files) !== JSON.stringify(['a.txt', 'b/c.txt'])) return 'incomplete';
  return a;
}

/** What the target holds right after the kill: the old output until the first rename, the new one after the second. */
const AFTER_KILL: Record<WriteStep, string> = {
  locked: 'old',
  'tmp-created': 'old',
  'file-written': 'old',
  'files-written': 'old',
  'target-moved': 'missing', // parked as .x.old-PID: restored by the next claim
  'target-replaced': 'new',
  'old-removed': 'new',
  unlocked: 'new',
};

describe('a writer killed at each step of the write', () => {
  it('covers every step', () => {
    expect(Object.keys(AFTER_KILL)).toEqual([...WRITE_STEPS]);
  });

  it.each(WRITE_STEPS.map((s) => [s]))('killed at %s: the old or the new output survives, and the next write cleans up', (step) => {
    const out = join(root, step);
    writeAtomically(out, 'x', files('old'));
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, out, 'x', 'new', step], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal).toBe('SIGKILL');
    expect(contentOf(join(out, 'x'))).toBe(AFTER_KILL[step]);
    if (step === 'target-moved') expect(contentOf(join(out, `.x.old-${child.pid}`))).toBe('old');

    // The next claim (any command writing x, or recgap report on it) recovers first.
    claimOutput({ outDir: out, name: 'x', kind: 'run' }).release();
    expect(contentOf(join(out, 'x'))).toBe(AFTER_KILL[step] === 'missing' ? 'old' : AFTER_KILL[step]);
    expect(readdirSync(out)).toEqual(['x']);

    writeAtomically(out, 'x', files('next'));
    expect(contentOf(join(out, 'x'))).toBe('next');
    expect(readdirSync(out)).toEqual(['x']);
  });
});
