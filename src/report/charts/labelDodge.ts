// Labels at the end of lines move apart vertically until none overlaps, keeping their order: a slope
// chart whose lines end close together (two item-kNN versions at 0.344 and 0.355) stays readable.

/**
 * New positions (same units as `values`) at least `minGap` apart on an axis of `lengthPx` pixels that shows
 * [domainLo, domainHi], as close to the originals as the spacing allows and inside the domain.
 *
 * @example
 * dodgeLabels([0.35, 0.345, 0.1], [0, 0.4], 240, 12) // [0.3575, 0.3375, 0.1]
 */
export function dodgeLabels(values: readonly number[], domain: readonly [number, number], lengthPx: number, minGapPx: number): number[] {
  const [lo, hi] = domain;
  const span = hi - lo || 1;
  const gap = (minGapPx / lengthPx) * span;
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  // Top-down: each label at most its value and at least one gap below the previous; then, if the stack ran
  // past the bottom, push it back up from the bottom; a cluster centres on its values (one pass each way).
  const pos = order.map((i) => values[i]);
  for (let j = 1; j < pos.length; j++) pos[j] = Math.min(pos[j], pos[j - 1] - gap);
  for (let j = pos.length - 1; j >= 0; j--) {
    const floor = j === pos.length - 1 ? lo : pos[j + 1] + gap;
    pos[j] = Math.max(pos[j], floor);
  }
  centreClusters(
    pos,
    order.map((i) => values[i]),
    gap,
    lo,
    hi,
  );
  const out = new Array<number>(values.length);
  order.forEach((i, j) => {
    out[i] = pos[j];
  });
  return out;
}

/** Shift each run of touching labels so its mean position equals its values' mean, within the domain. */
function centreClusters(pos: number[], want: readonly number[], gap: number, lo: number, hi: number): void {
  let start = 0;
  for (let j = 1; j <= pos.length; j++) {
    if (j < pos.length && pos[j - 1] - pos[j] <= gap * 1.0001) continue;
    let shift = 0;
    for (let k = start; k < j; k++) shift += want[k] - pos[k];
    shift /= j - start;
    // Stay inside the domain and clear of the neighbours on either side.
    const above = start > 0 ? pos[start - 1] - gap : hi;
    const below = j < pos.length ? pos[j] + gap : lo;
    shift = Math.min(shift, above - pos[start], hi - pos[start]);
    shift = Math.max(shift, below - pos[j - 1], lo - pos[j - 1]);
    for (let k = start; k < j; k++) pos[k] += shift;
    start = j;
  }
}
