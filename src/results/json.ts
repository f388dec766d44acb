// results.json as text and back: JSON has no NaN or Infinity, so they are written as null (the one JSON
// writer every output uses), and a reader turns the nulls that stand for undefined numbers back into NaN.
import { InputError } from '../errors.ts';
import { resultsMsg } from './messages.ts';
import { RESULTS_VERSION, type Results } from './results.ts';
import { resultsSchema } from './schema.ts';
import { checkUntrusted } from './untrusted.ts';

/**
 * JSON with NaN and Infinity written as null, indented, with a final newline: results.json, sweep.json,
 * audit.json.
 *
 * @example
 * jsonText({ a: NaN }) // '{\n  "a": null\n}\n'
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

/**
 * Parse results.json text for the report (the same path for a fresh run and a re-render, so both give
 * byte-identical files): nulls that stand for undefined numbers become NaN. `untrusted` (a file read back
 * from disk) validates every field against the results schema first.
 *
 * @example
 * const results = resultsFromJson(readFileSync('reports/quickstart/results.json', 'utf8'));
 */
export function resultsFromJson(text: string, file = 'results.json', opts: { untrusted?: boolean } = {}): Results {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputError(resultsMsg.resultsUnreadable(file, (e as Error).message));
  }
  const r = parsed as Partial<Results>;
  if (
    !r ||
    typeof r !== 'object' ||
    typeof r.version !== 'string' ||
    !r.version.startsWith('recgap.results/') ||
    !Array.isArray(r.results) ||
    !Array.isArray(r.pipelines)
  ) {
    throw new InputError(resultsMsg.resultsUnreadable(file, 'missing version, results or pipelines'));
  }
  if (r.version !== RESULTS_VERSION) throw new InputError(resultsMsg.resultsVersion(file, r.version, RESULTS_VERSION));
  // A file read back from disk is checked field by field first; a run's own fresh text needs no check.
  if (opts.untrusted) {
    const checked = checkUntrusted(resultsSchema, parsed);
    if (!checked.ok) throw new InputError(resultsMsg.resultsUnreadable(file, checked.problem));
  }
  return nullsToNaN(parsed) as Results;
}

function nullsToNaN(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(nullsToNaN);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = x === null && NUMERIC_NULLS.has(k) ? NaN : nullsToNaN(x);
    return o;
  }
  return v;
}
/** Keys whose null means an undefined number (not an absent object). */
const NUMERIC_NULLS = new Set([
  'mean',
  'lo',
  'hi',
  'p10',
  'p25',
  'p50',
  'p75',
  'p90',
  'meanMs',
  'emptyShare',
  'noHistoryShare',
  'meanViewEvents',
  'pValue',
  'pHolm',
  'lInf',
  'tauMs',
  'rmse',
  'loMs',
  'hiMs',
  'frozen',
  'served',
  'gap',
  'share',
]);
