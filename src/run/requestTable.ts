// The per-request table (requests.csv): one row per evaluated request with every model's metrics under
// the frozen view and each pipeline's served view, plus the person's inactivity (the frozen view's age) and
// each pipeline's served signal age and lag. Paired by construction.
import { metricKeys } from '../eval/metrics.ts';
import type { RunOutput } from './run.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { Requests } from '../eval/requests.ts';
import type { SourceResult } from '../eval/replay.ts';
import type { PipelinePlan } from './assemble.ts';
import { pipelineLag } from '../eval/lag.ts';
import { spreadsheetField } from '../log/csv.ts';

/** The request columns of the table, with external person and key ids. */
export interface RequestRows {
  length: number;
  tsMs: Float64Array;
  /** Person index (the bootstrap's cluster); personIds[r] is its external id. */
  person: Int32Array;
  session: Int32Array;
  /** Number of labels per request. */
  labels: Int32Array;
  personIds: string[];
  keyIds: string[];
}

/**
 * The request columns of a run, with external ids.
 *
 * @example
 * const rows = requestRows(run.log, run.requests);
 */
export function requestRows(log: EventLog, req: Requests): RequestRows {
  const labels = new Int32Array(req.length);
  for (let r = 0; r < req.length; r++) labels[r] = req.labelOffsets[r + 1] - req.labelOffsets[r];
  return {
    length: req.length,
    tsMs: req.tsMs,
    person: req.person,
    session: req.session,
    labels,
    personIds: Array.from(req.person, (p) => log.dict.person[p]),
    keyIds: Array.from(req.key, (k) => log.dict.key[k]),
  };
}

/**
 * Render a run's per-request table as CSV.
 *
 * @example
 * writeFileSync('requests.csv', requestTableCsv(run));
 */
export function requestTableCsv(run: RunOutput): string {
  return requestsCsv(requestRows(run.log, run.requests), run.results.config.ks, run.models, run.sources, run.plans);
}

/**
 * The per-request table as CSV from its parts (a run's, or merged shards').
 *
 * @example
 * requestsCsv(rows, [10, 20], [{ name: 'knn' }], sources, plans);
 */
export function requestsCsv(
  rows: RequestRows,
  ks: readonly number[],
  models: ReadonlyArray<{ name: string }>,
  sources: readonly SourceResult[],
  plans: readonly PipelinePlan[],
): string {
  const keys = metricKeys(ks);
  const cols = keys.length;
  const views = [{ label: 'frozen', source: 0 }, ...plans.map((p) => ({ label: p.name, source: p.source }))];
  const header = ['request', 'time', 'person', 'key', 'session', 'labels', 'inactivity_ms'];
  for (const v of views.slice(1)) header.push(`age_ms.${v.label}`);
  for (const v of views.slice(1)) header.push(`lag_ms.${v.label}`);
  const lags = views.slice(1).map((v) => pipelineLag(sources[0].ageMs, sources[v.source].ageMs));
  for (const m of models) for (const v of views) for (const k of keys) header.push(`${m.name}.${v.label}.${k}`);
  const lines = [header.map(spreadsheetField).join(',')];
  for (let r = 0; r < rows.length; r++) {
    const inactivity = sources[0].ageMs[r];
    const row: (string | number)[] = [
      r,
      rows.tsMs[r],
      rows.personIds[r],
      rows.keyIds[r],
      rows.session[r],
      rows.labels[r],
      Number.isNaN(inactivity) ? '' : inactivity,
    ];
    for (const v of views.slice(1)) {
      const a = sources[v.source].ageMs[r];
      row.push(Number.isNaN(a) ? '' : a);
    }
    // Lag: empty when the person has no history, Infinity when the served view is empty.
    for (const lag of lags) row.push(Number.isNaN(lag[r]) ? '' : lag[r]);
    for (let m = 0; m < models.length; m++) {
      for (const v of views) {
        const t = sources[v.source].metrics[m];
        for (let c = 0; c < cols; c++) row.push(fmt(t[r * cols + c]));
      }
    }
    lines.push(row.map((x) => (typeof x === 'string' ? spreadsheetField(x) : String(x))).join(','));
  }
  return lines.join('\n') + '\n';
}

function fmt(x: number): string | number {
  if (Number.isNaN(x)) return '';
  return x === 0 || x === 1 ? x : Number(x.toPrecision(6));
}
