// Writing an output folder: what the safety of results/output.ts costs. The workload is the quickstart run's
// folder (the file sizes of `npx recgap run`: 31 files, 8.6 MB, requests.csv 5.2 MB and knn's weights 2.4 MB),
// written over its previous version again and again. `safe` is the writer every command uses (claim: lock,
// leftovers, marker check; files synced to disk; two renames); `plain` is the same rename dance without the
// lock, the checks or fsync, as recgap wrote before. Reported, not asserted.
//   node --import tsx bench/output.ts [repeats]
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeAtomically, type OutputFile } from '../src/results/output.ts';

const repeats = Number(process.argv[2] ?? 20);

/** Deterministic bytes (a repeating pattern: the file system does not compress). */
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const files: OutputFile[] = [
  { name: 'results.json', content: bytes(80_014, 1) },
  { name: 'requests.csv', content: bytes(5_229_761, 2) },
  { name: 'report.html', content: bytes(170_461, 3) },
  { name: 'summary.md', content: bytes(7_720, 4) },
  { name: 'audit.json', content: bytes(2_500, 5) },
  { name: 'models/pop/model.json', content: bytes(23_126, 6) },
  { name: 'models/pop/weights.bin', content: bytes(12_000, 7) },
  { name: 'models/knn/model.json', content: bytes(23_317, 8) },
  { name: 'models/knn/weights.bin', content: bytes(2_412_000, 9) },
  ...Array.from({ length: 22 }, (_, i) => ({ name: `charts/c${i}.${['svg', 'png', 'vl.json'][i % 3]}`, content: bytes(41_000, 10 + i) })),
];
const total = files.reduce((s, f) => s + f.content.length, 0);

/** The writer before issue 17: temporary folder, rename the old one away, rename in, remove the old one. */
function plain(outDir: string, name: string): void {
  const target = join(outDir, name);
  const tmp = join(outDir, `.${name}.tmp-${process.pid}`);
  const old = join(outDir, `.${name}.old-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  for (const f of files) {
    mkdirSync(dirname(join(tmp, f.name)), { recursive: true });
    writeFileSync(join(tmp, f.name), f.content);
  }
  try {
    renameSync(target, old);
  } catch {
    // first write
  }
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
}

function time(label: string, write: (outDir: string) => void): void {
  const outDir = mkdtempSync(join(tmpdir(), 'recgap-bench-output-'));
  write(outDir); // the first write has nothing to replace
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    write(outDir);
    ms.push(performance.now() - t0);
  }
  rmSync(outDir, { recursive: true, force: true });
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1);
  console.log(`${label.padEnd(6)} median ${q(0.5)} ms  p10 ${q(0.1)}  p90 ${q(0.9)}  (${repeats} replacements)`);
}

console.log(`replacing a ${files.length}-file, ${(total / 1e6).toFixed(1)} MB output folder`);
time('plain', (d) => plain(d, 'quickstart'));
time('safe', (d) => writeAtomically(d, 'quickstart', files));
