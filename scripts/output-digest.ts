// A digest of everything `recgap run` writes for the bundled scenarios, to show that a refactoring left
// behaviour unchanged: one line per file with its SHA-256 (results.json with its timings zeroed, the only
// part that varies between identical runs). Compare two digests with diff.
//   node --import tsx scripts/output-digest.ts [scenario ...] > digest.txt
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadScenario } from '../src/scenario/load.ts';
import { runJob } from '../src/jobs/runJob.ts';

const names = process.argv.slice(2);
const scenarios = names.length ? names : ['scenarios/quickstart.yaml', 'scenarios/control.yaml', 'scenarios/identity.yaml'];
const out = mkdtempSync(join(tmpdir(), 'recgap-digest-'));
try {
  for (const file of scenarios) {
    const { dir } = await runJob({ scenario: loadScenario(file), outDir: out });
    for (const path of walk(dir).sort()) {
      let bytes: Buffer | string = readFileSync(path);
      if (path.endsWith('results.json')) {
        const r = JSON.parse(bytes.toString('utf8'));
        r.runtime.timingsMs = {};
        bytes = JSON.stringify(r, null, 2);
      }
      console.log(`${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}  ${relative(out, path)}`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
