// Identity: what fragmentation does to counting (measured visitors, buyers and conversion rate by key vs
// by person) and how much of a person's history each pipeline's served view covers.
import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../../results/results.ts';
import { measuredVsTrue } from '../roi.ts';
import { fmtCount, fmtMetric, fmtNumber, r6 } from '../format.ts';
import { COLOR, topLevel } from './theme.ts';

const MEASURED = 'measured (device keys)';
const TRUE = 'true (persons)';

/**
 * Left: measured (by key) vs true (by person) visitors, buyers and conversions per visitor after the split.
 * Right: per pipeline, the served view's share of the frozen history and the share of requests with any signal.
 *
 * @example
 * identityChart(results)
 */
export function identityChart(results: Results): TopLevelSpec {
  const mt = measuredVsTrue(results);
  const c = results.counts;
  const count = (measure: string, how: string, value: number) => ({ measure, how, value, label: fmtCount(value) });
  const rate = (measure: string, how: string, value: number) => ({ measure, how, value: r6(value), label: fmtMetric(value, 3) });
  const counting = [
    count('visitors', MEASURED, mt.visitorsMeasured),
    count('visitors', TRUE, mt.visitorsTrue),
    count('buyers', MEASURED, c.testConvertingKeys),
    count('buyers', TRUE, c.testConvertingPersons),
    rate('conversions per visitor', MEASURED, mt.conversionRateMeasured),
    rate('conversions per visitor', TRUE, mt.conversionRateTrue),
  ];
  const frozenEvents = results.frozen.meanViewEvents;
  const coverage: Array<Record<string, unknown>> = [];
  for (const p of results.pipelines) {
    coverage.push({ pipeline: p.name, measure: 'history in the served view', share: r6(frozenEvents ? p.meanViewEvents / frozenEvents : null) });
    coverage.push({ pipeline: p.name, measure: 'requests with any signal', share: r6(1 - p.signalAge.emptyShare) });
  }
  const how = { field: 'how', type: 'nominal', title: null, scale: { domain: [MEASURED, TRUE], range: [COLOR.served, COLOR.frozen] } };
  return topLevel(
    {
      hconcat: [
        {
          data: { values: counting },
          facet: { column: { field: 'measure', type: 'nominal', title: null, sort: ['visitors', 'buyers', 'conversions per visitor'] } },
          spec: {
            width: 90,
            height: 200,
            layer: [
              {
                mark: 'bar',
                encoding: {
                  x: { field: 'how', type: 'nominal', axis: null, sort: [MEASURED, TRUE] },
                  y: { field: 'value', type: 'quantitative', title: null },
                  color: how,
                },
              },
              {
                mark: { type: 'text', dy: -6, fontSize: 10 },
                encoding: {
                  x: { field: 'how', type: 'nominal', sort: [MEASURED, TRUE] },
                  y: { field: 'value', type: 'quantitative' },
                  text: { field: 'label' },
                },
              },
            ],
          },
          resolve: { scale: { y: 'independent' } },
        },
        {
          data: { values: coverage },
          width: 240,
          height: { step: 16 },
          encoding: {
            y: { field: 'pipeline', type: 'nominal', sort: results.pipelines.map((p) => p.name), title: null },
            yOffset: { field: 'measure', type: 'nominal', sort: ['history in the served view', 'requests with any signal'] },
          },
          layer: [
            {
              mark: 'bar',
              encoding: {
                x: { field: 'share', type: 'quantitative', title: 'share of the offline view', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
                color: {
                  field: 'measure',
                  type: 'nominal',
                  title: null,
                  sort: ['history in the served view', 'requests with any signal'],
                  scale: { range: ['#72b7b2', '#b279a2'] },
                },
              },
            },
            {
              mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 },
              encoding: { x: { field: 'share', type: 'quantitative' }, text: { field: 'share', type: 'quantitative', format: '.0%' } },
            },
          ],
        },
      ],
      resolve: { scale: { color: 'independent' } },
    },
    {
      title: 'Identity: fragmentation inflates visitors and hides history',
      subtitle: [
        `After the split: ${fmtCount(mt.visitorsMeasured)} device keys for ${fmtCount(mt.visitorsTrue)} persons (${fmtNumber(mt.visitorsMeasured / mt.visitorsTrue, 2)} keys per person; ${fmtNumber(c.keys / c.persons, 2)} over the whole log).`,
        'Right: events in each served view relative to the offline view (mean), and requests with a non-empty served view.',
      ],
    },
  );
}
