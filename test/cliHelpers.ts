// Running the CLI's main() inside the test process: the same code the binary runs (bin/recgap.js adds only
// the TypeScript loader and a last-resort error handler), without a second of start-up per call.
import { vi } from 'vitest';

/** The CLI's main() in this process (no start-up cost), from `cwd`, with what it writes captured. */
export async function inProcess(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const { main } = await import('../src/cli/main.ts');
  const out = { stdout: '', stderr: '' };
  const keep = process.cwd();
  const spies = (['stdout', 'stderr'] as const).map((s) =>
    vi.spyOn(process[s], 'write').mockImplementation((chunk: string | Uint8Array) => {
      out[s] += String(chunk);
      return true;
    }),
  );
  process.chdir(cwd);
  try {
    const status = await main(args);
    return { status, ...out };
  } finally {
    process.chdir(keep);
    spies.forEach((x) => x.mockRestore());
  }
}
