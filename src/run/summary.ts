// The readable summary printed after a run: for the primary metric, frozen vs served per model and
// pipeline with intervals, the gap and its causes, the signal age production serves, and how well each
// pipeline's identity resolution matches the true persons.
import { formatDurationMs } from '../util/duration.ts';
import type { Interval } from '../stats/bootstrap.ts';
import { FACTORS } from '../pipeline/factors.ts';
import { formatResolutionQuality } from '../identity/quality.ts';
import type { Results } from '../results/results.ts';

const n = (x: number) => x.toLocaleString('en-US');
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
const ci = (i: Interval) => (Number.isFinite(i.lo) ? `${f(i.mean)} [${f(i.lo)}, ${f(i.hi)}]` : f(i.mean));
const neg = (i: Interval): Interval => ({ mean: -i.mean, lo: -i.hi, hi: -i.lo });
const pval = (x: number) => (Number.isFinite(x) ? x.toPrecision(2) : 'n/a');
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const age = (ms: number) => (Number.isFinite(ms) ? formatDurationMs(Math.round(ms / 60_000) * 60_000) : 'n/a');

/**
 * Plain-text summary of a run.
 *
 * @example
 * console.log(summaryText(results));
 */
export function summaryText(r: Results): string {
  const c = r.counts;
  const cfg = r.config;
  const metric = cfg.primaryMetric;
  const lines: string[] = [];
  lines.push(`${r.scenario.name}: ${n(c.events)} events, ${n(c.persons)} persons, ${n(c.keys)} keys, ${n(c.items)} items; split at ${cfg.until}`);
  lines.push(
    `${n(c.requests)} requests from ${n(c.requestPersons)} persons (of ${n(c.candidates)} session starts: ${n(c.censored)} censored, ${n(c.noLabels)} without labels); K = ${cfg.ks.join(', ')}, W = ${cfg.window}, positives ${cfg.positives.join(', ')}`,
  );
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (r.log.fragment)
    lines.push(
      `note: device fragmentation was injected into this log (${n(r.log.fragment.keysBefore)} keys became ${n(r.log.fragment.keysAfter)}): the identity figures model a fragmentation the log itself does not show`,
    );
  lines.push(
    `${metric}, mean [${Math.round(cfg.level * 100)}% person-clustered bootstrap, ${cfg.bootstrap} replicates]; gap = frozen - served; shares are Shapley`,
  );
  lines.push('');
  // Factor columns for the causes that occur in this run (channels and model only when some pipeline has them).
  const factors = FACTORS.filter((fa) => fa === 'staleness' || fa === 'identity' || r.pipelines.some((p) => p.factors.includes(fa)));
  const header = ['model', 'pipeline', 'frozen', 'served', 'gap', 'rel. gap', ...factors, 'lag p50'];
  const lagOf = new Map(r.pipelines.map((p) => [p.name, p.lag]));
  const rows: string[][] = [header];
  for (const res of r.results) {
    const m = res.metrics[metric];
    const shares = res.decomposition.byMetric[metric].shares;
    rows.push([
      res.model,
      res.pipeline,
      ci(m.frozen),
      ci(m.served),
      ci(m.gap),
      pct(m.relativeGap.mean),
      ...factors.map((fa) => (shares[fa] ? f(shares[fa]!.mean) : '-')),
      age(lagOf.get(res.pipeline)?.quantilesMs.p50 ?? NaN),
    ]);
  }
  lines.push(...table(rows));
  lines.push(...ageLines(r));
  lines.push(...identityLines(r));
  if (r.comparisons.length) {
    lines.push('');
    lines.push(`served ${metric} recovered against ${r.comparisons[0].baseline} (paired; Holm-adjusted p):`);
    for (const cmp of r.comparisons) lines.push(`  ${cmp.model} ${cmp.pipeline}: ${ci(cmp.difference)}  p = ${pval(cmp.pHolm)}`);
  }
  const diffs = r.modelRanking.differences ?? [];
  if (diffs.length) {
    lines.push('');
    lines.push(`model differences (${metric}, a - b, paired; Holm-adjusted p):`);
    for (const x of diffs) lines.push(`  ${x.view}: ${x.a} - ${x.b} ${ci(x.difference)}  p = ${pval(x.pHolm)}`);
  }
  const rev = r.modelRanking.reversals;
  const claimed = rev.filter((x) => x.claimed);
  const ties = rev.filter((x) => !x.claimed);
  if (claimed.length) {
    lines.push('');
    lines.push(`rank reversals (ahead offline, behind served, both significant; ${metric}, paired, Holm-adjusted p):`);
    for (const x of claimed)
      lines.push(
        `  ${x.pipeline}: ${x.offlineWinner} beats ${x.servedWinner} offline by ${ci(x.frozenDifference)} (p = ${pval(x.frozenPHolm)}) but loses served by ${ci(neg(x.servedDifference))} (p = ${pval(x.pHolm)})`,
      );
  }
  if (ties.length) {
    lines.push('');
    lines.push(`order changes that are not reversals (a difference not significant on at least one side; ${metric}):`);
    for (const x of ties)
      lines.push(
        `  ${x.pipeline}: ${x.offlineWinner} vs ${x.servedWinner}: offline ${ci(x.frozenDifference)} (p = ${pval(x.frozenPHolm)}), served ${ci(x.servedDifference)} (p = ${pval(x.pHolm)})`,
      );
  }
  return lines.join('\n');
}

/**
 * The served view's signal age split into the persons' own inactivity (the same for every pipeline) and
 * the pipeline's lag, one line per pipeline; medians over requests with history and a non-empty view.
 *
 * @example
 * ageLines(results) // ['', 'signal age = ...:', '  weekly-batch  age 5d14h  inactivity 1d2h  lag 3d1h  ...']
 */
export function ageLines(r: Results): string[] {
  const inact = r.frozen.inactivity;
  const nameW = Math.max(...r.pipelines.map((p) => p.name.length));
  return [
    '',
    `signal age of the served view = the person's inactivity (median ${age(inact.quantilesMs.p50)}; ${pct(inact.emptyShare)} of requests without history) + the pipeline's lag:`,
    ...r.pipelines.map(
      (p) =>
        `  ${p.name.padEnd(nameW)}  age p50 ${age(p.signalAge.quantilesMs.p50)}  lag p50 ${age(p.lag.quantilesMs.p50)}  p90 ${age(p.lag.quantilesMs.p90)}  empty served view ${pct(p.lag.emptyShare)}${scheduleText(p.schedule)}`,
    ),
  ];
}

function scheduleText(s: Results['pipelines'][number]['schedule']): string {
  if (!s) return '';
  return s.origin === 'averaged' ? `  (averaged over ${s.phases} schedule phases)` : `  (schedule pinned at ${s.at})`;
}

/**
 * One line per pipeline: its resolver's pairwise and B-cubed precision/recall, purity, coverage and keys per
 * person against the true persons (the same for every model, so taken from the first model's result),
 * then the share of requests whose key was unknown at the cut and each model's served metric on them.
 *
 * @example
 * identityLines(results) // ['', 'identity resolution against ...:', '  weekly-batch  key  pairwise P 1.000 R 0.000  ...  unknown key 12.7%: served knn 0.0000']
 */
export function identityLines(r: Results): string[] {
  const quality = r.pipelines.map((p) => ({ p, q: r.results.find((x) => x.pipeline === p.name)?.identity }));
  if (!quality.some((x) => x.q)) return [];
  const nameW = Math.max(...r.pipelines.map((p) => p.name.length));
  const idW = Math.max(...r.pipelines.map((p) => p.identity.length));
  const lines = quality
    .filter((x) => x.q)
    .map(({ p, q }) => `  ${formatResolutionQuality(p.name.padEnd(nameW), p.identity.padEnd(idW), q!)}${unknownKeyText(r, p.name)}`);
  return ['', 'identity resolution against the true persons (pairwise and B-cubed over keys; purity, coverage per request):', ...lines];
}

/** `  unknown key 12.7%, served ndcg@10 pop 0.0100, knn 0.2000` for a pipeline; empty for results without the numbers. */
function unknownKeyText(r: Results, pipeline: string): string {
  const rows = r.results.filter((x) => x.pipeline === pipeline && x.unknownKey);
  if (rows.length === 0) return '';
  if (rows[0].unknownKey.requests === 0) return '  unknown key 0.0%';
  return `  unknown key ${pct(rows[0].unknownKey.share)}, served ${r.config.primaryMetric} ${rows.map((x) => `${x.model} ${f(x.unknownKey.served)}`).join(', ')}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}
