// Fixtures for report tests: the committed small run (results.json, requests.csv with the columns the
// report reads, audit.json with check 04), and renaming helpers that plant hostile names.
import { readFileSync } from 'node:fs';
import type { Results } from '../../src/results/results.ts';
import { resultsFromJson } from '../../src/results/json.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);

export interface Fixture {
  results: Results;
  requestsCsv: string;
  audit: unknown;
}

/** The committed fixture, parsed the way `recgap report` reads a run folder. */
export function loadFixture(): Fixture {
  return {
    results: resultsFromJson(readFileSync(new URL('results.json', FIXTURES), 'utf8')),
    requestsCsv: readFileSync(new URL('requests.csv', FIXTURES), 'utf8'),
    audit: JSON.parse(readFileSync(new URL('audit.json', FIXTURES), 'utf8')),
  };
}

export const HOSTILE = '<script>alert(1)</script>';
export const HOSTILE_MODEL = 'k"n&n<img src=x onerror=alert(2)>';

/**
 * Rename pipelines and models everywhere they appear in results and in requests.csv's header.
 *
 * @example
 * renamed(loadFixture(), { pipelines: { 'weekly-batch': HOSTILE } })
 */
export function renamed(f: Fixture, map: { pipelines?: Record<string, string>; models?: Record<string, string> }): Fixture {
  const p = (n: string) => map.pipelines?.[n] ?? n;
  const m = (n: string) => map.models?.[n] ?? n;
  const r = structuredClone(f.results);
  r.pipelines.forEach((x) => (x.name = p(x.name)));
  r.scenario.pipelines.forEach((x) => (x.name = p(x.name)));
  r.models.forEach((x) => (x.name = m(x.name)));
  r.scenario.models.forEach((x) => (x.name = m(x.name)));
  r.results.forEach((x) => ((x.pipeline = p(x.pipeline)), (x.model = m(x.model))));
  r.comparisons.forEach((x) => ((x.pipeline = p(x.pipeline)), (x.baseline = p(x.baseline)), (x.model = m(x.model))));
  const rk = r.modelRanking;
  rk.frozen.forEach((x) => (x.model = m(x.model)));
  rk.served = Object.fromEntries(Object.entries(rk.served).map(([k, v]) => [p(k), v.map((x) => ({ ...x, model: m(x.model) }))]));
  rk.reversals.forEach((x) => ((x.pipeline = p(x.pipeline)), (x.offlineWinner = m(x.offlineWinner)), (x.servedWinner = m(x.servedWinner))));
  const lines = f.requestsCsv.split('\n');
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  lines[0] = lines[0]
    .split(',')
    .map((col) => {
      const parts = col.split('.');
      if (parts.length < 3) return col;
      const metric = parts[parts.length - 1];
      const [model, pipeline] = [parts[0], parts.slice(1, -1).join('.')];
      return quote(`${m(model)}.${p(pipeline)}.${metric}`);
    })
    .join(',');
  return { ...f, results: r, requestsCsv: lines.join('\n') };
}
