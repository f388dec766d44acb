// The charts of a run's report, in reading order. Each entry is a spec or, when its data is missing,
// a note saying why the chart is skipped and how to get it.
import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/results.ts';
import type { Roi } from '../roi.ts';
import { frozenServedChart } from './frozenServed.ts';
import { decompositionChart } from './decomposition.ts';
import { ageCurveChart } from './ageCurve.ts';
import { identityChart } from './identityChart.ts';
import { conversionDelayChart, type WindowData } from './conversionDelay.ts';
import { roiChart } from './roi.ts';
import { modelVersionsChart } from './modelVersions.ts';
import { reportMsg } from '../messages.ts';

export interface ChartEntry {
  /** File stem: charts/NAME.vl.json, .svg, .png. */
  name: string;
  spec: TopLevelSpec | null;
  /** Why the chart is missing (spec null). */
  note: string;
}

export interface ChartInput {
  results: Results;
  roi: Roi;
  window: WindowData | null;
  /** Check 04's `unknown` reason when it could not measure the delays (the chart's note then says it). */
  windowUnknown?: string | null;
}

/** Chart names in report order. */
export const RUN_CHARTS = ['frozen-vs-served', 'gap-decomposition', 'age-curve', 'identity', 'conversion-delay', 'roi', 'model-versions'] as const;
export type RunChartName = (typeof RUN_CHARTS)[number];

/**
 * Build every chart spec of a run report.
 *
 * @example
 * runCharts({ results, roi, window: null }).map((c) => c.name)
 */
export function runCharts(input: ChartInput): ChartEntry[] {
  const { results, roi, window } = input;
  const anyFactor = results.results.some((r) => r.decomposition.factors.length > 0);
  // The note is kept only when there is no spec (it says why the chart is missing).
  const entry = (name: RunChartName, spec: TopLevelSpec | null, note = ''): ChartEntry => ({ name, spec, note: spec ? '' : note });
  return [
    entry('frozen-vs-served', frozenServedChart(results)),
    anyFactor ? entry('gap-decomposition', decompositionChart(results)) : entry('gap-decomposition', null, reportMsg.noFactors()),
    anyFactor ? entry('age-curve', ageCurveChart(results), reportMsg.noLagData()) : entry('age-curve', null, reportMsg.noFactors()),
    entry('identity', identityChart(results)),
    window
      ? entry('conversion-delay', conversionDelayChart(window))
      : entry('conversion-delay', null, input.windowUnknown ? reportMsg.windowUnknown(input.windowUnknown) : reportMsg.noWindowData()),
    entry('roi', roiChart(roi)),
    results.models.length > 1 ? entry('model-versions', modelVersionsChart(results)) : entry('model-versions', null, reportMsg.oneModel()),
  ];
}
