// The per-request table (requests.csv): one row per evaluated request with every model's metrics under
// the frozen view and each pipeline's served view, plus the served signal age. Paired by construction.
import { metricKeys } from '../eval/metrics.ts';
import type { RunOutput } from './run.ts';

/**
 * Render the per-request table as CSV.
 *
 * @example
 * writeFileSync('requests.csv', requestTableCsv(run));
 */
export function requestTableCsv(run: RunOutput): string {
  const { requests: req, log, models, sources, plans } = run;
  const ks = run.results.config.ks;
  const keys = metricKeys(ks);
  const cols = keys.length;
  const views = [{ label: 'frozen', source: 0 }, ...plans.map((p) => ({ label: p.name, source: p.source }))];
  const header = ['request', 'time', 'person', 'key', 'session', 'labels'];
  for (const v of views.slice(1)) header.push(`age_ms.${v.label}`);
  for (const m of models) for (const v of views) for (const k of keys) header.push(`${m.name}.${v.label}.${k}`);
  const lines = [header.map(csvField).join(',')];
  for (let r = 0; r < req.length; r++) {
    const row: (string | number)[] = [r, req.tsMs[r], log.dict.person[req.person[r]], log.dict.key[req.key[r]], req.session[r], req.labelOffsets[r + 1] - req.labelOffsets[r]];
    for (const v of views.slice(1)) {
      const a = sources[v.source].ageMs[r];
      row.push(Number.isNaN(a) ? '' : a);
    }
    for (let m = 0; m < models.length; m++) {
      for (const v of views) {
        const t = sources[v.source].metrics[m];
        for (let c = 0; c < cols; c++) row.push(fmt(t[r * cols + c]));
      }
    }
    lines.push(row.map((x) => (typeof x === 'string' ? csvField(x) : String(x))).join(','));
  }
  return lines.join('\n') + '\n';
}

function fmt(x: number): string | number {
  if (Number.isNaN(x)) return '';
  return x === 0 || x === 1 ? x : Number(x.toPrecision(6));
}

/** Quote a CSV field when needed (RFC 4180). */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
