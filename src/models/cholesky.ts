// Dense symmetric positive definite inverse in Float64 (Cholesky), for EASE's closed form. TensorFlow.js
// has no linear solver, and its float32 would blur the small off-diagonal weights EASE is made of.

/**
 * Invert the n x n symmetric positive definite matrix `a` (row-major; only its lower triangle is read)
 * by Cholesky: A = L L^T, U = L^-T (row c of U is column c of L^-1), A^-1 = U U^T. Then call
 * `emit(i, j, p)` for every i <= j with p = (A^-1)_ij, row by row, after filling `diag` with (A^-1)_ii.
 *
 * `a` is overwritten: L in its lower triangle, U in its strict upper triangle (U's diagonal, 1/L_ii, is
 * kept apart). Cost n^3 flops (Cholesky, triangular inverse and product: n^3/3 each), all as dot
 * products over contiguous row segments, in 4 x 2 register blocks so each streamed row serves several
 * sums. Throws a RangeError when `a` is not positive definite.
 *
 * @example
 * const a = Float64Array.of(4, 2, 2, 3);      // [[4, 2], [2, 3]]
 * const inv = new Float64Array(4);
 * invertSpd(a, 2, (i, j, p) => { inv[i * 2 + j] = p; inv[j * 2 + i] = p; }); // [[0.375, -0.25], [-0.25, 0.5]]
 */
export function invertSpd(a: Float64Array, n: number, emit: (i: number, j: number, p: number) => void, diag: Float64Array = new Float64Array(n)): void {
  cholesky(a, n);
  const uDiag = upperInverse(a, n);
  // (A^-1)_ij = sum over k >= j of U_ik U_jk (i <= j): U_ij U_jj + dot of the row suffixes after j.
  for (let i = 0; i < n; i++) diag[i] = uDiag[i] * uDiag[i] + dot(a, i * n + i + 1, i * n + i + 1, n - i - 1);
  const s = new Float64Array(8);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    for (let x = i; x < i + 4; x++) {
      emit(x, x, diag[x]);
      for (let j = x + 1; j < i + 4; j++) emit(x, j, a[x * n + j] * uDiag[j] + dot(a, x * n + j + 1, j * n + j + 1, n - j - 1));
    }
    let j = i + 4;
    for (; j + 2 <= n; j += 2) {
      // Both columns j and j + 1: suffixes from j + 2, plus the terms at k = j + 1.
      dot4x2(a, i * n, n, j * n, (j + 1) * n, j + 2, n, s);
      for (let q = 0; q < 4; q++) {
        const rq = (i + q) * n;
        const t = a[rq + j + 1];
        emit(i + q, j, a[rq + j] * uDiag[j] + a[j * n + j + 1] * t + s[q]);
        emit(i + q, j + 1, t * uDiag[j + 1] + s[4 + q]);
      }
    }
    for (; j < n; j++) for (let q = 0; q < 4; q++) emit(i + q, j, a[(i + q) * n + j] * uDiag[j] + dot(a, (i + q) * n + j + 1, j * n + j + 1, n - j - 1));
  }
  for (; i < n; i++) {
    emit(i, i, diag[i]);
    for (let j = i + 1; j < n; j++) emit(i, j, a[i * n + j] * uDiag[j] + dot(a, i * n + j + 1, j * n + j + 1, n - j - 1));
  }
}

/**
 * In-place Cholesky of the lower triangle (row-oriented, four rows at a time).
 *
 * @example
 * const a = Float64Array.of(4, 2, 2, 3);
 * cholesky(a, 2); // lower triangle: L = [[2, 0], [1, sqrt(2)]]
 */
export function cholesky(a: Float64Array, n: number): void {
  const s = new Float64Array(8);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = i * n;
    // Columns left of the block: L_xj = (A_xj - L_x[0..j) . L_j[0..j)) / L_jj, for the four rows x.
    let j = 0;
    for (; j + 2 <= i; j += 2) {
      const rj = j * n;
      const rk = rj + n;
      dot4x2(a, r0, n, rj, rk, 0, j, s);
      const ljj = a[rj + j];
      const lkj = a[rk + j];
      const lkk = a[rk + j + 1];
      for (let q = 0; q < 4; q++) {
        const rq = r0 + q * n;
        const v = (a[rq + j] - s[q]) / ljj;
        a[rq + j] = v;
        // Column j + 1 also needs the k = j term, just computed.
        a[rq + j + 1] = (a[rq + j + 1] - s[4 + q] - v * lkj) / lkk;
      }
    }
    for (; j < i; j++) for (let q = 0; q < 4; q++) choleskyEntry(a, n, i + q, j);
    for (let x = i; x < i + 4; x++) for (let jj = i; jj <= x; jj++) choleskyEntry(a, n, x, jj);
  }
  for (; i < n; i++) for (let j = 0; j <= i; j++) choleskyEntry(a, n, i, j);
}

function choleskyEntry(a: Float64Array, n: number, i: number, j: number): void {
  const s = a[i * n + j] - dot(a, i * n, j * n, j);
  if (i === j) {
    if (!(s > 0)) throw new RangeError(`matrix is not positive definite (pivot ${i} is ${s})`);
    a[i * n + i] = Math.sqrt(s);
  } else a[i * n + j] = s / a[j * n + j];
}

/**
 * From L (lower triangle of a), write U = L^-T into the strict upper triangle; returns U's diagonal.
 * Row c of U is x = L^-1 e_c: x_c = 1 / L_cc, x_i = -(sum over c <= k < i of L_ik x_k) / L_ii. Two rows
 * c, c + 1 at a time share each streamed row of L.
 */
function upperInverse(a: Float64Array, n: number): Float64Array {
  const uDiag = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let c = 0;
  for (; c + 2 <= n; c += 2) {
    x[c] = 1 / a[c * n + c];
    y[c] = 0;
    y[c + 1] = 1 / a[(c + 1) * n + c + 1];
    x[c + 1] = -(a[(c + 1) * n + c] * x[c]) / a[(c + 1) * n + c + 1];
    for (let i = c + 2; i < n; i++) {
      const ri = i * n;
      let s0 = a[ri + c] * x[c];
      let s1 = 0;
      for (let k = c + 1; k < i; k++) {
        const l = a[ri + k];
        s0 += l * x[k];
        s1 += l * y[k];
      }
      const d = a[ri + i];
      x[i] = -s0 / d;
      y[i] = -s1 / d;
    }
    uDiag[c] = x[c];
    uDiag[c + 1] = y[c + 1];
    for (let i = c + 1; i < n; i++) a[c * n + i] = x[i];
    for (let i = c + 2; i < n; i++) a[(c + 1) * n + i] = y[i];
  }
  for (; c < n; c++) {
    x[c] = 1 / a[c * n + c];
    for (let i = c + 1; i < n; i++) x[i] = -dotWith(a, i * n + c, x, c, i - c) / a[i * n + i];
    uDiag[c] = x[c];
    for (let i = c + 1; i < n; i++) a[c * n + i] = x[i];
  }
  return uDiag;
}

/** s[q] = a[r0 + q n + k] . a[p + k] and s[4 + q] = . a[p2 + k] over k in [k0, k1), for q = 0..3. */
function dot4x2(a: Float64Array, r0: number, n: number, p: number, p2: number, k0: number, k1: number, s: Float64Array): void {
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (let k = k0; k < k1; k++) {
    const l = a[p + k];
    const m = a[p2 + k];
    const x0 = a[r0 + k];
    const x1 = a[r1 + k];
    const x2 = a[r2 + k];
    const x3 = a[r3 + k];
    s0 += x0 * l;
    s1 += x1 * l;
    s2 += x2 * l;
    s3 += x3 * l;
    t0 += x0 * m;
    t1 += x1 * m;
    t2 += x2 * m;
    t3 += x3 * m;
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
  s[4] = t0;
  s[5] = t1;
  s[6] = t2;
  s[7] = t3;
}

function dot(a: Float64Array, ia: number, ib: number, len: number): number {
  let s = 0;
  for (let k = 0; k < len; k++) s += a[ia + k] * a[ib + k];
  return s;
}

function dotWith(a: Float64Array, ia: number, x: Float64Array, ix: number, len: number): number {
  let s = 0;
  for (let k = 0; k < len; k++) s += a[ia + k] * x[ix + k];
  return s;
}
