// Conversion delay against the label window: the share of conversions an offline window of each length
// captures (audit check 04, data.captured), with the window the evaluation uses marked.
import type { TopLevelSpec } from 'vega-lite';
import { MS } from '../../util/duration.ts';
import { fmtAge, fmtPct, r6 } from '../format.ts';
import { COLOR, topLevel, WIDTH } from './theme.ts';

/** What the chart needs from check 04 (`data` of the audit's CheckResult with id '04'). */
export interface WindowData {
  windowMs: number;
  conversions: number;
  captured: Array<{ windowMs: number; share: number | null; firstTouchShare: number | null }>;
  delayMs?: { p50: number | null; p90: number | null } | null;
}

/**
 * Read check 04's data from an audit report (`{ checks: [...] }`, as `recgap audit --json` prints it).
 * Returns null when the report has no usable check 04.
 *
 * @example
 * windowDataOf(JSON.parse(readFileSync('audit.json', 'utf8')))
 */
export function windowDataOf(audit: unknown): WindowData | null {
  const d = check04(audit)?.data;
  if (!d || !Array.isArray(d.captured) || typeof d.windowMs !== 'number') return null;
  const captured = (d.captured as Array<Record<string, unknown>>)
    .filter((x) => typeof x.windowMs === 'number')
    .map((x) => ({ windowMs: x.windowMs as number, share: num(x.share), firstTouchShare: num(x.firstTouchShare) }));
  if (!captured.length) return null;
  const delay = d.delayMs as { p50?: unknown; p90?: unknown } | undefined;
  return {
    windowMs: d.windowMs,
    conversions: typeof d.conversions === 'number' ? d.conversions : 0,
    captured,
    delayMs: delay ? { p50: num(delay.p50), p90: num(delay.p90) } : null,
  };
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/**
 * Why check 04 of an audit report could not measure the delays (its `unknown` reason), or null.
 *
 * @example
 * windowUnknownReason({ checks: [{ id: '04', verdict: 'unknown', reason: 'unknown: ...' }] }) // 'unknown: ...'
 */
export function windowUnknownReason(audit: unknown): string | null {
  const c = check04(audit);
  return c?.verdict === 'unknown' && typeof c.reason === 'string' ? c.reason : null;
}

function check04(audit: unknown): { verdict?: unknown; reason?: unknown; data?: Record<string, unknown> } | undefined {
  const checks = (audit as { checks?: unknown })?.checks;
  if (!Array.isArray(checks)) return undefined;
  return checks.find((x) => (x as { id?: unknown })?.id === '04');
}

/**
 * Share of conversions captured by a label window of each length (last touch and first touch), log x.
 *
 * @example
 * conversionDelayChart(windowDataOf(audit)!)
 */
export function conversionDelayChart(w: WindowData): TopLevelSpec {
  const rows: Array<Record<string, unknown>> = [];
  for (const c of w.captured) {
    rows.push({ days: r6(c.windowMs / MS.d), window: fmtAge(c.windowMs), anchor: 'from the last touch', share: r6(c.share) });
    rows.push({ days: r6(c.windowMs / MS.d), window: fmtAge(c.windowMs), anchor: 'from the first touch', share: r6(c.firstTouchShare) });
  }
  const atW = w.captured.find((c) => c.windowMs === w.windowMs)?.share ?? null;
  const days = w.captured.map((c) => c.windowMs / MS.d);
  // Ticks at the measured windows, labelled as durations (1h, 6h, 1d, ...); the domain hugs them.
  const x = {
    field: 'days',
    type: 'quantitative',
    scale: { type: 'log', domain: [r6(Math.min(...days) / 1.3), r6(Math.max(...days) * 1.3)], nice: false },
    title: 'label window W (log scale)',
    axis: { values: days.map(r6), labelExpr: "datum.value < 1 ? format(datum.value * 24, '.0f') + 'h' : format(datum.value, '.0f') + 'd'", grid: true },
  };
  return topLevel(
    {
      width: WIDTH,
      height: 220,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'share', type: 'quantitative', title: 'conversions captured', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
            color: {
              field: 'anchor',
              type: 'nominal',
              title: 'delay measured',
              sort: ['from the last touch', 'from the first touch'],
              scale: { range: [COLOR.frozen, COLOR.neutral] },
            },
          },
        },
        {
          data: { values: [{ days: r6(w.windowMs / MS.d), label: `W = ${fmtAge(w.windowMs)}: ${fmtPct(atW, 0)} captured` }] },
          layer: [
            { mark: { type: 'rule', color: COLOR.loss, strokeDash: [4, 3] }, encoding: { x } },
            {
              mark: { type: 'text', align: 'left', dx: 4, dy: -4, color: COLOR.loss, fontSize: 11 },
              encoding: { x, y: { datum: 0.05 }, text: { field: 'label' } },
            },
          ],
        },
      ],
    },
    {
      title: 'Conversion delay vs the label window',
      subtitle: [
        `${w.conversions.toLocaleString('en-US')} conversions; median delay ${fmtAge(w.delayMs?.p50)} from the last touch (90th percentile ${fmtAge(w.delayMs?.p90)}).`,
        'Conversions later than W are missing from the offline labels (audit check 04).',
      ],
    },
  );
}
