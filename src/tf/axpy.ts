// y += a x over a row of typed arrays: the inner loop of every sparse product here (embedding bags,
// EASE's row combinations, mf's fold-in), unrolled because V8 does not.

/**
 * y[yo + c] += a x[xo + c] for c < len, unrolled by four (measured 2x faster than the plain loop).
 *
 * @example
 * axpy(2, Float32Array.of(1, 2), 0, y, 0, 2); // y[0] += 2, y[1] += 4
 */
export function axpy(a: number, x: Float32Array, xo: number, y: Float32Array, yo: number, len: number): void {
  let c = 0;
  for (; c + 4 <= len; c += 4) {
    y[yo + c] += a * x[xo + c];
    y[yo + c + 1] += a * x[xo + c + 1];
    y[yo + c + 2] += a * x[xo + c + 2];
    y[yo + c + 3] += a * x[xo + c + 3];
  }
  for (; c < len; c++) y[yo + c] += a * x[xo + c];
}
