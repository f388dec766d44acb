// How many devices persons have, from how many keys a log shows per person. Keys outnumber devices (web cookies
// churn and expire) and undercount them (a person with few sessions never uses every device), so the device
// mix is not read off the key counts. But persons draw their device count independently of everything else, so
// the keys-per-person histogram of a world is a mixture: sum over j of P(j devices) times the histogram of a
// world where everyone has j devices. Those columns are simulated with the twin's own behaviour and identity
// settings (deviceColumns in calibrate.ts); the mix is the least-squares fit on the simplex.

/**
 * The device mix for a keys-per-person `histogram` of `persons` persons: the fewest device counts whose mixture
 * fits about as well as more would. Each extra device count must lower the fit's chi-square (bins weighted by
 * their binomial variance) by more than 2, Akaike's price of a parameter; otherwise sampling noise in the
 * histogram buys weight on four or five devices that the log gives no reason for.
 *
 * @example
 * deviceMix(columns, sourceHistogram, 2500) // [0.31, 0.44, 0.25]
 */
export function deviceMix(columns: readonly (readonly number[])[], histogram: readonly number[], persons: number): number[] {
  const variance = histogram.map((h) => Math.max(h * (1 - h), 1 / persons) / persons);
  const chi2 = (w: readonly number[]) => histogram.reduce((a, h, i) => a + (w.reduce((f, wj, j) => f + wj * columns[j][i], 0) - h) ** 2 / variance[i], 0);
  const fits = columns.map((_, j) => simplexLeastSquares(columns.slice(0, j + 1), histogram));
  const scores = fits.map((w, j) => chi2(w) + 2 * j);
  return fits[scores.indexOf(Math.min(...scores))];
}

/**
 * Weights w >= 0 with sum 1 minimising || sum_j w_j columns[j] - target ||^2. Exact: every support (subset of
 * columns, at most 2^8) is solved as an equality-constrained least-squares problem, and the best feasible one
 * (all weights >= 0) wins.
 *
 * @example
 * simplexLeastSquares([[1, 0], [0, 1]], [0.3, 0.7]) // [0.3, 0.7]
 */
export function simplexLeastSquares(columns: readonly (readonly number[])[], target: readonly number[]): number[] {
  const J = columns.length;
  let best: number[] = [];
  let bestError = Infinity;
  for (let mask = 1; mask < 1 << J; mask++) {
    const support = [...Array(J).keys()].filter((j) => mask & (1 << j));
    const w = constrainedSolve(
      support.map((j) => columns[j]),
      target,
    );
    if (w === null || w.some((x) => x < -1e-12)) continue;
    const error = residual(
      support.map((j) => columns[j]),
      w,
      target,
    );
    if (error < bestError - 1e-15) {
      bestError = error;
      best = new Array<number>(J).fill(0);
      support.forEach((j, i) => (best[j] = Math.max(0, w[i])));
    }
  }
  const total = best.reduce((a, b) => a + b, 0);
  return best.map((x) => x / total);
}

/** Minimise ||A w - t||^2 subject to sum w = 1: the KKT system [A'A 1; 1' 0] [w; l] = [A't; 1]. */
function constrainedSolve(cols: readonly (readonly number[])[], t: readonly number[]): number[] | null {
  const k = cols.length;
  const n = k + 1;
  const m: number[][] = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) m[a][b] = dot(cols[a], cols[b]);
    m[a][k] = 1;
    m[k][a] = 1;
    m[a][n] = dot(cols[a], t);
  }
  m[k][n] = 1;
  const x = gaussSolve(m);
  return x === null ? null : x.slice(0, k);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function residual(cols: readonly (readonly number[])[], w: readonly number[], t: readonly number[]): number {
  let e = 0;
  for (let i = 0; i < t.length; i++) {
    let fit = 0;
    for (let j = 0; j < cols.length; j++) fit += w[j] * cols[j][i];
    e += (fit - t[i]) ** 2;
  }
  return e;
}

/** Gaussian elimination with partial pivoting on an augmented n x (n + 1) matrix; null when singular. */
function gaussSolve(m: number[][]): number[] | null {
  const n = m.length;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    if (Math.abs(m[pivot][c]) < 1e-14) return null;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, r) => row[n] / row[r]);
}
