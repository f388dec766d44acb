// One-dimensional minimization of a fit's error over log tau: a coarse grid (the error can have several
// local minima with noisy data), then golden-section search between the best grid point's neighbours.
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** The i-th of `grid` evenly spaced points from x0 to x1, as minimizeOnGrid evaluates them. */
export function gridPoint(x0: number, x1: number, grid: number, i: number): number {
  return x0 + i * ((x1 - x0) / (grid - 1));
}

/**
 * The x in [x0, x1] minimizing f: a `grid`-point scan, refined by golden-section search to width `tol`.
 * `atBound` is true when the minimum lies within 1e-3 of an end of the range (not identified there).
 * `fGrid`, when given, holds f at the grid points (gridPoint), e.g. computed for several fits in one pass.
 *
 * @example
 * minimizeOnGrid((x) => (x - 1) ** 2, 0, 3, 60, 1e-9).x; // ~1
 */
export function minimizeOnGrid(
  f: (x: number) => number,
  x0: number,
  x1: number,
  grid: number,
  tol: number,
  fGrid?: ArrayLike<number>,
): { x: number; atBound: boolean } {
  const step = (x1 - x0) / (grid - 1);
  let best = 0;
  let bestF = Infinity;
  for (let i = 0; i < grid; i++) {
    const v = fGrid ? fGrid[i] : f(gridPoint(x0, x1, grid, i));
    if (v < bestF) {
      bestF = v;
      best = i;
    }
  }
  let lo = x0 + Math.max(0, best - 1) * step;
  let hi = x0 + Math.min(grid - 1, best + 1) * step;
  let a = hi - GOLDEN * (hi - lo);
  let b = lo + GOLDEN * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let it = 0; it < 60 && hi - lo > tol; it++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - GOLDEN * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + GOLDEN * (hi - lo);
      fb = f(b);
    }
  }
  const x = (lo + hi) / 2;
  const edge = 1e-3;
  return { x, atBound: x - x0 < edge || x1 - x < edge };
}
