// Golden files for chart specs: test/report/golden/NAME.vl.json, numbers rounded to 4 significant digits
// (specs hold no times or paths). On a mismatch the new spec is written beside the golden for review.
import { expect } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));

/** Strip what may vary without meaning: numbers rounded to 4 significant digits. */
function normalize(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toPrecision(4)) : String(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

/** Compare with golden/NAME.vl.json; on mismatch write NAME-changed.vl.json beside it and fail. */
export function expectGolden(name: string, spec: TopLevelSpec): void {
  const text = JSON.stringify(normalize(spec), null, 2) + '\n';
  const file = `${GOLDEN}${name}.vl.json`;
  const changed = `${GOLDEN}${name}-changed.vl.json`;
  if (!existsSync(file)) {
    writeFileSync(file, text);
    expect.fail(`no golden file for ${name}: wrote ${file}; review it and run the tests again`);
  }
  if (readFileSync(file, 'utf8') !== text) {
    writeFileSync(changed, text);
    expect.fail(`chart ${name} differs from its golden file; the new spec is in ${changed} (diff it, and replace the golden if the change is intended)`);
  }
  rmSync(changed, { force: true });
}
