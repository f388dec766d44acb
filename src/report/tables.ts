// The report's tables as rows of cells, rendered to HTML or Markdown. A cell is plain text (escaped on
// output), a name from the scenario (escaped, shown as code), or a number already formatted.
import type { Results } from '../results/results.ts';
import { FACTORS } from '../pipeline/factors.ts';
import type { Roi } from './roi.ts';
import { FACTOR_LABEL } from './charts/decomposition.ts';
import { fmtAge, fmtCount, fmtInterval, fmtMetric, fmtMoney, fmtPct, fmtPp } from './format.ts';
import { escapeHtml, escapeMdText, mdCode } from './escape.ts';

export type Cell = string | { name: string; note?: string };

/** `0.0146 [0.0061, 0.0229]`: a value followed by its bracketed interval. */
const INTERVAL_TAIL = /^(.*\S) (\[[^\]]*\])$/;
export interface Table {
  head: string[];
  rows: Cell[][];
  /** Columns right-aligned (numbers). */
  numeric?: boolean[];
}

/** Frozen, served, gap and causes on the primary metric, per model x pipeline. */
export function gapTable(r: Results): Table {
  const metric = r.config.primaryMetric;
  const factors = FACTORS.filter((f) => r.pipelines.some((p) => p.factors.includes(f)));
  const head = [
    'model',
    'pipeline',
    `frozen ${metric}`,
    `served ${metric}`,
    'gap',
    'relative gap',
    ...factors.map((f) => FACTOR_LABEL[f] ?? f),
    'signal age p50',
  ];
  const rows = r.results.map((x) => {
    const m = x.metrics[metric];
    const shares = x.decomposition.byMetric[metric].shares;
    return [
      { name: x.model },
      { name: x.pipeline },
      fmtInterval(m.frozen),
      fmtInterval(m.served),
      fmtInterval(m.gap),
      fmtPct(m.relativeGap.mean),
      ...factors.map((f) => (shares[f] ? fmtInterval(shares[f]!) : '-')),
      fmtAge(x.signalAge.quantilesMs.p50),
    ];
  });
  return { head, rows, numeric: head.map((_, i) => i >= 2) };
}

/** Fitted relevance loss per model x pipeline (pipelines that differ from offline). */
export function ageFitTable(r: Results): Table {
  const rows = r.results
    .filter((x) => x.decomposition.factors.length && x.lagCurve.bins.some((b) => b.count > 0 && b.gap !== null && Math.abs(b.gap) > 5e-7))
    .map((x) => {
      const f = x.lagCurve.fit;
      return [
        { name: x.model },
        { name: x.pipeline },
        fmtMetric(f.lInf, 3),
        f.tauAtBound ? `${fmtAge(f.tauMs)} (at bound)` : fmtAge(f.tauMs),
        fmtMetric(f.rmse, 3),
        fmtCount(f.n),
        fmtPct(x.signalAge.emptyShare),
      ];
    });
  const head = ['model', 'pipeline', 'L∞ (loss at infinite lag)', 'τ', 'rmse', 'requests', 'empty served view'];
  return { head, rows, numeric: head.map((_, i) => i >= 2) };
}

/** Paired differences of each pipeline against the first. */
export function recoveryTable(r: Results): Table {
  // The baseline's name stays out of the header: headers are authored text, names are cells.
  const head = ['model', 'pipeline', 'baseline', `recovered ${r.config.primaryMetric}`, 'p', 'Holm-adjusted p'];
  const p = (x: number) => (Number.isFinite(x) ? x.toPrecision(2) : 'n/a');
  const rows = r.comparisons.map((c) => [{ name: c.model }, { name: c.pipeline }, { name: c.baseline }, fmtInterval(c.difference), p(c.pValue), p(c.pHolm)]);
  return { head, rows, numeric: head.map((_, i) => i >= 3) };
}

/** Money per model x pipeline against the baseline (print the assumptions next to it). */
export function roiTable(roi: Roi): Table {
  const cur = roi.business.currency;
  const money = (x: number) => fmtMoney(x, cur);
  const mi = (i: { mean: number; lo: number; hi: number }) => (Number.isFinite(i.lo) ? `${money(i.mean)} [${money(i.lo)}, ${money(i.hi)}]` : money(i.mean));
  const [lo, hi] = roi.business.incrementalityRange;
  const head = [
    'model',
    'pipeline',
    `Δ ${roi.hitKey.replace('hit', 'HR')}`,
    'Δ conversion rate',
    'extra orders / month',
    'Δ revenue after margin / month',
    `range (incrementality ${fmtPct(lo, 0)}-${fmtPct(hi, 0)})`,
    'CAC vs baseline',
    'marketing spend equivalent / month',
  ];
  const rows = roi.rows.map((x) =>
    x.isBaseline
      ? [{ name: x.model }, { name: x.pipeline }, 'baseline', '', '', '', '', '', '']
      : [
          { name: x.model },
          x.ceiling ? { name: x.pipeline, note: '(ceiling: true person, not an option)' } : { name: x.pipeline },
          fmtInterval(x.deltaHit),
          fmtPp(x.deltaConversionRate.mean),
          fmtCount(x.deltaOrdersPerMonth.mean),
          mi(x.deltaRevenuePerMonth),
          `${money(x.revenueRange[0])} to ${money(x.revenueRange[1])}`,
          x.ceiling ? '' : `${x.cacRatio > 1 ? '+' : ''}${fmtPct(x.cacRatio - 1, 1)}`,
          x.ceiling ? '' : money(x.spendEquivalentPerMonth),
        ],
  );
  return { head, rows, numeric: head.map((_, i) => i >= 2) };
}

/** Counting visitors and conversions by key (measured) and by person (true). */
export function measuredTable(roi: Roi, r: Results): Table {
  const m = roi.measured;
  const c = r.counts;
  return {
    head: ['after the split', 'measured (device keys)', 'true (persons)', 'measured / true'],
    rows: [
      ['visitors', fmtCount(m.visitorsMeasured), fmtCount(m.visitorsTrue), fmtPct(m.visitorsMeasured / m.visitorsTrue, 0)],
      ['buyers', fmtCount(c.testConvertingKeys), fmtCount(c.testConvertingPersons), fmtPct(c.testConvertingKeys / c.testConvertingPersons, 0)],
      [
        'conversions per visitor',
        fmtMetric(m.conversionRateMeasured, 3),
        fmtMetric(m.conversionRateTrue, 3),
        fmtPct(m.conversionRateMeasured / m.conversionRateTrue, 0),
      ],
      ['share of visitors who buy', fmtPct(m.buyerShareMeasured), fmtPct(m.buyerShareTrue), fmtPct(m.buyerShareMeasured / m.buyerShareTrue, 0)],
    ],
    numeric: [false, true, true, true],
  };
}

/** Models ranked offline and under each pipeline. */
export function rankingTable(r: Results): Table {
  const views = ['offline (frozen)', ...r.pipelines.map((p) => p.name)];
  const rankOf = (list: Array<{ model: string; mean: number; rank: number }> | undefined, model: string) => {
    const x = list?.find((e) => e.model === model);
    return x ? `${x.rank}. ${fmtMetric(x.mean)}` : '-';
  };
  const rows = r.models.map(
    (m) => [{ name: m.name }, rankOf(r.modelRanking.frozen, m.name), ...r.pipelines.map((p) => rankOf(r.modelRanking.served[p.name], m.name))] as Cell[],
  );
  return { head: ['model', ...views], rows, numeric: [false, ...views.map(() => true)] };
}

/** Pipeline definitions. */
export function pipelineTable(r: Results): Table {
  return {
    head: ['pipeline', 'refresh', 'latency', 'identity', 'channels', 'retrain', 'causes of its gap', 'mean events in served view'],
    rows: r.pipelines.map((p) => [
      { name: p.name },
      p.refresh,
      fmtAge(p.latencyMs),
      p.identity,
      p.channels === 'all' ? 'all' : { name: p.channels.join(', ') },
      p.retrain ?? 'fitted once',
      p.factors.map((f) => FACTOR_LABEL[f] ?? f).join(', ') || 'none (equals offline)',
      `${fmtMetric(p.meanViewEvents, 1)} of ${fmtMetric(r.frozen.meanViewEvents, 1)}`,
    ]),
  };
}

/** Counts of the run. */
export function countsTable(r: Results): Table {
  const c = r.counts;
  const rows: Cell[][] = [
    ['events', fmtCount(c.events)],
    ['persons / device keys / items', `${fmtCount(c.persons)} / ${fmtCount(c.keys)} / ${fmtCount(c.items)}`],
    ['events before the split (training)', fmtCount(c.trainEvents)],
    ['session starts after the split', fmtCount(c.candidates)],
    ['dropped: label window past the end of the log', fmtCount(c.censored)],
    ['dropped: no positive event in the window', fmtCount(c.noLabels)],
    ['evaluated requests (persons)', `${fmtCount(c.requests)} (${fmtCount(c.requestPersons)})`],
    ['K, label window W, positives', `${r.config.ks.join(', ')}; ${r.config.window}; ${r.config.positives.join(', ')}`],
    ['train/test split', r.config.until],
    ['bootstrap', `${fmtCount(r.config.bootstrap)} replicates, ${Math.round(r.config.level * 100)}% intervals`],
    ['seed', String(r.scenario.seed)],
  ];
  return { head: ['', ''], rows, numeric: [false, false] };
}

/**
 * Render a table as HTML; every cell is escaped.
 *
 * @example
 * tableHtml({ head: ['a'], rows: [[{ name: '<x>' }]] }) // contains <code>&lt;x&gt;</code>
 */
export function tableHtml(t: Table, cls = ''): string {
  const cell = (c: Cell, i: number) => {
    if (typeof c !== 'string') return `<code>${escapeHtml(c.name)}</code>${c.note ? ` ${escapeHtml(c.note)}` : ''}`;
    // A number's interval goes on its own line under it, so interval columns stay narrow.
    const m = t.numeric?.[i] ? INTERVAL_TAIL.exec(c) : null;
    return m ? `${escapeHtml(m[1])}<span class="ci">${escapeHtml(m[2])}</span>` : escapeHtml(c);
  };
  const align = (i: number) => (t.numeric?.[i] ? ' class="num"' : '');
  const head = t.head.some((h) => h !== '') ? `<thead><tr>${t.head.map((h, i) => `<th${align(i)}>${escapeHtml(h)}</th>`).join('')}</tr></thead>` : '';
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${align(i)}>${cell(c, i)}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${escapeHtml(cls)}"` : ''}>${head}<tbody>\n${body}\n</tbody></table>`;
}

/**
 * Render a table as Markdown; names become code spans, text has pipes escaped.
 *
 * @example
 * tableMd({ head: ['a'], rows: [['1']] }) // '| a |\n| --- |\n| 1 |'
 */
export function tableMd(t: Table): string {
  const text = (s: string) => escapeMdText(s).replace(/\|/g, '\\|');
  const cell = (c: Cell) => (typeof c === 'string' ? text(c) : `${mdCode(c.name).replace(/\|/g, '\\|')}${c.note ? ` ${text(c.note)}` : ''}`);
  const head = `| ${t.head.map(text).join(' | ')} |`;
  const rule = `| ${t.head.map((_, i) => (t.numeric?.[i] ? '---:' : '---')).join(' | ')} |`;
  return [head, rule, ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}
