// Durations are written with a unit (`7d`, `6h`, `30m`) and parsed once at the boundary into milliseconds.

export const MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export type DurationUnit = keyof typeof MS;

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;

/**
 * Parse a duration such as `7d`, `6h`, `1h30m` or `0` into milliseconds; returns undefined when malformed.
 *
 * @example
 * parseDurationMs('1d') // 86400000
 */
export function parseDurationMs(text: string | number): number | undefined {
  if (typeof text === 'number') return text === 0 ? 0 : undefined;
  const s = text.trim();
  if (s === '0') return 0;
  if (s.length === 0) return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * MS[m[2] as DurationUnit];
  }
  return total;
}

/** Format milliseconds compactly (`7d`, `6h`, `1h30m`, `0`). */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return '0';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const n = Math.floor(rest / MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * MS[unit];
    }
  }
  return sign + (out || `${ms}ms`);
}
