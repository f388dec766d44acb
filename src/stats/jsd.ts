// The drift estimator's similarity: 1 - Jensen-Shannon divergence (base 2, so in [0, 1]) between two
// equal-size samples of labels (categories or items). Sparse: the cost is the sample size, not the alphabet.

/**
 * Reusable counting buffers for `sampleSimilarity`, one slot per label.
 *
 * @example
 * const counts = new LabelCounts(log.dict.item.length);
 */
export class LabelCounts {
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly touched: Int32Array;

  constructor(labels: number) {
    this.x = new Int32Array(labels);
    this.y = new Int32Array(labels);
    this.touched = new Int32Array(labels);
  }
}

/**
 * 1 - JSD between the label samples lab[p], lab[p + 2], ..., lab[p + 2(m - 1)] and the same stride from q
 * (stride 2 because a window's two halves interleave). Both samples have m labels, which is what makes the
 * estimator's noise floor exact: JSD of finite samples is biased upwards by an amount that depends only
 * on the two sample sizes (and the distributions), so comparisons of equal sizes share the same bias.
 *
 * With counts x, y (sum m each): JSD = 1/(2m) sum_c [x_c log2(2 x_c / (x_c + y_c)) + y_c log2(2 y_c / (x_c + y_c))],
 * a label seen on one side only contributing its count. For m = 1 this is 1 for equal labels, else 0.
 *
 * @example
 * sampleSimilarity(Int32Array.of(3, 3, 5, 3), 0, 1, 2, counts) // halves {3, 5} and {3, 3}: 1 - 0.311 = 0.689
 */
export function sampleSimilarity(lab: Int32Array, p: number, q: number, m: number, counts: LabelCounts): number {
  const { x, y, touched } = counts;
  let nt = 0;
  for (let j = 0; j < m; j++) {
    const c = lab[p + 2 * j];
    if (x[c] === 0) touched[nt++] = c;
    x[c]++;
  }
  for (let j = 0; j < m; j++) {
    const c = lab[q + 2 * j];
    if (x[c] === 0 && y[c] === 0) touched[nt++] = c;
    y[c]++;
  }
  let div = 0;
  for (let k = 0; k < nt; k++) {
    const c = touched[k];
    const a = x[c];
    const b = y[c];
    if (a === 0) div += b;
    else if (b === 0) div += a;
    else div += a * Math.log2((2 * a) / (a + b)) + b * Math.log2((2 * b) / (a + b));
    x[c] = 0;
    y[c] = 0;
  }
  return 1 - div / (2 * m);
}
