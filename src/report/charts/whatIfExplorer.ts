// The charts of the what-if page (whatif.html): one control per swept setting (a Vega-Lite param bound to a
// slider over the index of the setting's value, or to a select for categories), and four views of the
// chosen grid point: served against offline with intervals, the gap split into its Shapley shares, identity
// resolution quality, and the money of each pipeline against the baseline. Every row of data carries the
// index of each setting's value (ix0, ix1, ...) and each view keeps the rows whose indices equal the params:
// the page shows a grid point's exact results and never anything between points. Scales are fixed over the
// whole grid so that moving a control moves the marks, not the axes.
import type { TopLevelSpec } from 'vega-lite';
import type { SweepAxis, SweepTable } from '../../results/sweep.ts';
import type { Interval } from '../../stats/bootstrap.ts';
import type { WhatIfDetail } from '../whatIfData.ts';
import { COLOR, topLevel, wrapText } from './theme.ts';

/** File stems of the page's charts (charts/<stem>.vl.json); PAGE is the combined spec the page draws. */
export const WHATIF_CHARTS = { served: 'whatif-served', gap: 'whatif-gap', identity: 'whatif-identity', money: 'whatif-money', page: 'whatif-page' } as const;

const VIEW_WIDTH = 470;
/** The views share nothing but the params: each has its own scales (offsets included) and legends. */
const INDEPENDENT = { scale: { x: 'independent', y: 'independent', yOffset: 'independent', color: 'independent' } };
const FACTOR_ORDER = ['staleness', 'identity', 'channels', 'model'];
const FACTOR_COLOR = ['#e45756', '#4c78a8', '#72b7b2', '#b279a2'];
const IDENTITY_MEASURES = [
  ['pairwisePrecision', 'pairwise precision'],
  ['pairwiseRecall', 'pairwise recall'],
  ['bcubedPrecision', 'B-cubed precision'],
  ['bcubedRecall', 'B-cubed recall'],
  ['coverage', 'coverage'],
] as const;

/** Pipeline colours of the identity view: other hues than the served view's offline blue and served orange. */
const IDENTITY_PALETTE = ['#9d9d9d', '#54a24b', '#b279a2', '#72b7b2', '#eeca3b', '#9d755d', '#ff9da6', '#e45756', '#4c78a8'];

/** How a setting is chosen on the page: a slider over ordered values, a select over categories. */
export type ControlKind = 'range' | 'select';

const STREAM_OR_DURATION = /^(stream|\d+(\.\d+)?(ms|s|m|h|d|w))$/;

/**
 * A slider for numbers and durations, and for a cadence list that mixes `stream` with durations (the sweep
 * keeps it as a category in the order given, which is the order a reader expects); a select otherwise.
 *
 * @example
 * controlKind({ kind: 'category', order: ['stream', '1h', '1d'] } as SweepAxis) // 'range'
 * controlKind({ kind: 'category', order: ['key', 'login', 'graph'] } as SweepAxis) // 'select'
 */
export function controlKind(axis: Pick<SweepAxis, 'kind' | 'order'>): ControlKind {
  if (axis.kind !== 'category') return 'range';
  return axis.order.every((v) => STREAM_OR_DURATION.test(v)) ? 'range' : 'select';
}

/** The param (signal) name of axis `k`. */
export const paramName = (k: number) => `ax${k}`;

/** `{ ix0: 2, ix1: 0 }`: the index of each axis's value, in the axis's plotting order. */
function indicesOf(t: SweepTable, settings: Record<string, string>): Record<string, number> {
  return Object.fromEntries(t.axes.map((a, k) => [`ix${k}`, a.order.indexOf(settings[a.path])]));
}

/** The row label of a model and pipeline: the pipeline alone when there is one model. */
function rowLabel(t: SweepTable, model: string, pipeline: string): string {
  return t.models.length > 1 ? `${model} · ${pipeline}` : pipeline;
}

/** Every row label in table order (models, then pipelines): one sort for every view. */
function labelsOf(t: SweepTable): string[] {
  return t.models.flatMap((m) => t.pipelines.map((p) => rowLabel(t, m, p)));
}

const num = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const iv = (i: Interval | null) => ({ mean: num(i?.mean), lo: num(i?.lo), hi: num(i?.hi) });

/** The datasets of the page, one row per point and thing shown, each with the point's value indices. */
export interface WhatIfDatasets {
  metrics: Array<Record<string, unknown>>;
  shares: Array<Record<string, unknown>>;
  identity: Array<Record<string, unknown>>;
  money: Array<Record<string, unknown>>;
}

/**
 * The page's data from the sweep table and each point's detail (shares and money), numbers as the grid
 * has them (NaN and Infinity as null).
 *
 * @example
 * whatIfDatasets(table, details).metrics.filter((r) => r.point === 3 && r.kind === 'served')
 */
export function whatIfDatasets(t: SweepTable, details: readonly WhatIfDetail[]): WhatIfDatasets {
  const label = (model: string, pipeline: string) => rowLabel(t, model, pipeline);
  const at = (point: number) => ({ point, ...indicesOf(t, t.points[point].settings) });
  const metrics = t.rows.flatMap((r) =>
    (['offline', 'served', 'gap'] as const).map((kind) => ({
      ...at(r.point),
      model: r.model,
      pipeline: r.pipeline,
      label: label(r.model, r.pipeline),
      kind,
      ...iv(kind === 'offline' ? r.frozen : kind === 'served' ? r.served : r.gap),
    })),
  );
  const identity = t.rows
    .filter((r) => r.identity && r.model === t.models[0])
    .flatMap((r) => IDENTITY_MEASURES.map(([k, name]) => ({ ...at(r.point), pipeline: r.pipeline, measure: name, value: num(r.identity![k]) })));
  const shares = details.flatMap((d) =>
    d.shares.map((s) => ({ ...at(d.point), label: label(s.model, s.pipeline), factor: s.factor, share: num(s.share.mean) })),
  );
  const money = details.flatMap((d) =>
    d.money.map((m) => ({
      ...at(d.point),
      label: label(m.model, m.pipeline),
      model: m.model,
      pipeline: m.pipeline,
      net: m.netPerMonth !== null,
      ...iv(m.netPerMonth ?? m.deltaRevenuePerMonth),
    })),
  );
  return { metrics, shares, identity, money };
}

/**
 * The params: one per axis, bound to a slider over the value's index or a select labelled with the values,
 * each starting at the index of its value in `initial`.
 *
 * @example
 * whatIfParams(table, table.points[0].settings)[0] // { name: 'ax0', value: 0, bind: { input: 'range', min: 0, max: 4, step: 1, name: 'refresh cadence (pipeline proposal) ' } }
 */
export function whatIfParams(t: SweepTable, initial: Record<string, string>): Array<Record<string, unknown>> {
  return t.axes.map((a, k) => {
    const value = Math.max(0, a.order.indexOf(initial[a.path]));
    const bind =
      controlKind(a) === 'range'
        ? { input: 'range', min: 0, max: a.order.length - 1, step: 1, name: `${a.label} ` }
        : { input: 'select', options: a.order.map((_, i) => i), labels: [...a.order], name: `${a.label} ` };
    return { name: paramName(k), value, bind };
  });
}

/** The filter keeping the rows of the chosen point. */
function chosen(t: SweepTable): { filter: string } {
  return { filter: t.axes.map((_, k) => `datum.ix${k} == ${paramName(k)}`).join(' && ') };
}

/** [min, max] over the values (and 0), widened by 5%: the fixed domain of a scale over the whole grid. */
function domainOf(values: ReadonlyArray<number | null | unknown>): [number, number] {
  const v = values.filter((x): x is number => typeof x === 'number');
  const lo = Math.min(0, ...v);
  const hi = Math.max(0, ...v);
  const pad = (hi - lo || 1) * 0.05;
  return [lo < 0 ? lo - pad : 0, hi + pad];
}

/** Served against offline for every model and pipeline at the point, with their intervals. */
function servedView(t: SweepTable, d: WhatIfDatasets, dataOf: (name: keyof WhatIfDatasets) => unknown): Record<string, unknown> {
  const rows = d.metrics.filter((r) => r.kind !== 'gap');
  const x = { type: 'quantitative', title: t.metric, scale: { domain: domainOf(rows.flatMap((r) => [r.lo, r.hi, r.mean])) } };
  const color = { field: 'kind', type: 'nominal', title: null, scale: { domain: ['offline', 'served'], range: [COLOR.frozen, COLOR.served] } };
  const y = { field: 'label', type: 'nominal', title: null, sort: labelsOf(t) };
  const yOffset = { field: 'kind', type: 'nominal', sort: ['offline', 'served'] };
  return {
    data: dataOf('metrics'),
    transform: [chosen(t), { filter: "datum.kind != 'gap'" }],
    title: { text: `Served ${t.metric} against offline`, subtitle: 'bars: bootstrap intervals' },
    width: VIEW_WIDTH,
    height: { step: 18 },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, yOffset, x: { field: 'lo', ...x }, x2: { field: 'hi' }, color } },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { y, yOffset, x: { field: 'mean', ...x }, color } },
      {
        mark: { type: 'text', align: 'left', dx: 8, fontSize: 10 },
        encoding: { y, yOffset, x: { field: 'hi', ...x }, text: { field: 'mean', format: '.4f' } },
      },
    ],
  };
}

/** The gap at the point split into its Shapley shares (stacked), with the gap and its interval over them. */
function gapView(t: SweepTable, d: WhatIfDatasets, dataOf: (name: keyof WhatIfDatasets) => unknown): Record<string, unknown> {
  const gaps = d.metrics.filter((r) => r.kind === 'gap');
  // The stacks reach the sum of the positive shares to the right and of the negative ones to the left.
  const stacks = new Map<string, [number, number]>();
  for (const r of d.shares) {
    const k = `${r.point}\u0000${r.label}`;
    const [neg, pos] = stacks.get(k) ?? [0, 0];
    const v = typeof r.share === 'number' ? r.share : 0;
    stacks.set(k, v < 0 ? [neg + v, pos] : [neg, pos + v]);
  }
  const extent = [...gaps.flatMap((r) => [r.lo, r.hi]), ...[...stacks.values()].flat()];
  const x = { type: 'quantitative', title: `gap in ${t.metric} (offline − served)`, scale: { domain: domainOf(extent) } };
  const y = { field: 'label', type: 'nominal', title: null, sort: labelsOf(t) };
  return {
    title: { text: 'The gap and its causes', subtitle: 'stacked: Shapley share of each factor (they sum to the gap); black: the gap with its interval' },
    width: VIEW_WIDTH,
    height: { step: 30 },
    layer: [
      {
        data: dataOf('shares'),
        transform: [chosen(t), { filter: 'isValid(datum.share)' }],
        mark: { type: 'bar', height: 14 },
        encoding: {
          y,
          x: { field: 'share', aggregate: 'sum', stack: 'zero', ...x },
          color: { field: 'factor', type: 'nominal', title: 'cause', scale: { domain: FACTOR_ORDER, range: FACTOR_COLOR } },
          order: { field: 'factor', sort: 'ascending' },
        },
      },
      {
        data: dataOf('metrics'),
        transform: [chosen(t), { filter: "datum.kind == 'gap'" }],
        layer: [
          { mark: { type: 'rule', color: 'black', strokeWidth: 1.5 }, encoding: { y, x: { field: 'lo', ...x }, x2: { field: 'hi' } } },
          { mark: { type: 'tick', color: 'black', thickness: 2, size: 20 }, encoding: { y, x: { field: 'mean', ...x } } },
        ],
      },
    ],
  };
}

/** Identity resolution quality of each pipeline at the point (the same for every model). */
function identityView(t: SweepTable, dataOf: (name: keyof WhatIfDatasets) => unknown): Record<string, unknown> {
  return {
    data: dataOf('identity'),
    transform: [chosen(t)],
    title: { text: 'Identity resolution against the true persons', subtitle: 'pairwise and B-cubed, per pipeline' },
    width: VIEW_WIDTH,
    // With an offset per pipeline the step is one pipeline's bar.
    height: { step: t.pipelines.length > 1 ? 11 : 20 },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'measure', type: 'nominal', title: null, sort: IDENTITY_MEASURES.map(([, n]) => n) },
      yOffset: { field: 'pipeline', type: 'nominal', sort: t.pipelines },
      x: { field: 'value', type: 'quantitative', title: 'share', scale: { domain: [0, 1] } },
      color: {
        field: 'pipeline',
        type: 'nominal',
        title: 'pipeline',
        sort: t.pipelines,
        scale: { domain: [...t.pipelines], range: IDENTITY_PALETTE },
      },
    },
  };
}

/** Money per month of each pipeline against the baseline: net of business.costs where given. */
function moneyView(
  t: SweepTable,
  d: WhatIfDatasets,
  details: readonly WhatIfDetail[],
  dataOf: (name: keyof WhatIfDatasets) => unknown,
): Record<string, unknown> {
  const first = details[0];
  const net = d.money.some((r) => r.net);
  const x = {
    type: 'quantitative',
    title: `${first?.currency ?? ''} per month, ${net ? 'net of costs' : 'before costs'}`,
    axis: { format: '~s' },
    scale: { domain: domainOf(d.money.flatMap((r) => [r.lo, r.hi, r.mean])) },
  };
  const y = { field: 'label', type: 'nominal', title: null, sort: labelsOf(t) };
  const assumptions = first?.businessSource === 'defaults' ? 'default business assumptions (the scenario has none)' : "the scenario's business assumptions";
  return {
    data: dataOf('money'),
    transform: [chosen(t)],
    title: { text: `Money against ${first?.baseline ?? 'the baseline'}`, subtitle: wrapText(`per month, from ${assumptions}; bars: intervals`, 70) },
    width: VIEW_WIDTH,
    height: { step: 30 },
    layer: [
      { data: { values: [{}] }, mark: { type: 'rule', color: '#777777', strokeDash: [2, 2] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      {
        mark: { type: 'bar', height: 14 },
        encoding: {
          y,
          x: { field: 'mean', ...x },
          color: { condition: { test: 'datum.mean < 0', value: COLOR.loss }, value: COLOR.gain },
        },
      },
      { mark: { type: 'rule', color: 'black' }, encoding: { y, x: { field: 'lo', ...x }, x2: { field: 'hi' } } },
    ],
  };
}

/** One chart of the page as a standalone Vega-Lite spec (its own data and the same params), for charts/. */
function standalone(params: Array<Record<string, unknown>>, view: Record<string, unknown>, d: WhatIfDatasets): TopLevelSpec {
  const { title, ...body } = view as { title: { text: string; subtitle?: string | string[] } };
  return topLevel(
    { params, datasets: d, ...body },
    { title: title.text, subtitle: Array.isArray(title.subtitle) ? title.subtitle : title.subtitle ? [title.subtitle] : [] },
  );
}

/**
 * The page's specs: the combined one it draws (`page`) and each view on its own, all with the same params.
 *
 * @example
 * const specs = whatIfSpecs(table, details, table.points[0].settings);
 * specs.page.params // [{ name: 'ax0', value: 0, bind: { input: 'range', ... } }, ...]
 */
export function whatIfSpecs(
  t: SweepTable,
  details: readonly WhatIfDetail[],
  initial: Record<string, string>,
): Record<keyof typeof WHATIF_CHARTS, TopLevelSpec> {
  const d = whatIfDatasets(t, details);
  const params = whatIfParams(t, initial);
  const dataOf = (name: keyof WhatIfDatasets) => ({ name });
  const views = {
    served: servedView(t, d, dataOf),
    gap: gapView(t, d, dataOf),
    identity: identityView(t, dataOf),
    money: moneyView(t, d, details, dataOf),
  };
  const hasMoney = d.money.length > 0;
  const hasIdentity = d.identity.length > 0;
  const page = topLevel(
    {
      params,
      datasets: d,
      vconcat: [
        { hconcat: [views.served, views.gap], resolve: INDEPENDENT },
        ...(hasIdentity || hasMoney ? [{ hconcat: [...(hasIdentity ? [views.identity] : []), ...(hasMoney ? [views.money] : [])], resolve: INDEPENDENT }] : []),
      ],
      resolve: INDEPENDENT,
    },
    { title: [] },
  );
  // The page has its own heading: the combined spec draws no title.
  delete (page as { title?: unknown }).title;
  return {
    served: standalone(params, views.served, d),
    gap: standalone(params, views.gap, d),
    identity: standalone(params, views.identity, d),
    money: standalone(params, views.money, d),
    page,
  };
}
