// Category centroids: unit directions spread apart before scaling, so a taste built from a few
// favourite categories points at those categories rather than, by chance, at their neighbours.
import type { Rng } from '../util/rng.ts';

/** Norm of every category centroid; sets how sharply taste separates categories (see items.ts). */
export const CENTROID_NORM = 3;

/**
 * `count` unit vectors in R^dim (row-major, count x dim), pushed apart from a random start.
 *
 * Random directions in 16 dimensions have |cos| about 0.25, which lets a person's non-favourite
 * categories compete with their favourites; a few rounds of repulsion bring the worst pairs down
 * towards the Welch bound (exactly orthogonal when count <= dim).
 *
 * @example
 * const dirs = spreadDirections(30, 16, Rng.fromSeed(1).fork('items'));
 * dirs.length; // 480, each row of norm 1
 */
export function spreadDirections(count: number, dim: number, rng: Rng): Float64Array {
  const out = new Float64Array(count * dim);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  for (let c = 0; c < count; c++) normalizeRow(out, c, dim);
  if (count <= dim) return orthonormalize(out, count, dim);
  // Cost count^2 * dim per round; keep the total bounded for very large catalogues of categories.
  const rounds = Math.min(60, Math.floor(4e7 / (count * count * dim)));
  const push = new Float64Array(count * dim);
  const step = (0.5 * dim) / count;
  for (let r = 0; r < rounds; r++) {
    push.fill(0);
    for (let a = 0; a < count; a++) {
      for (let b = a + 1; b < count; b++) {
        let cos = 0;
        for (let j = 0; j < dim; j++) cos += out[a * dim + j] * out[b * dim + j];
        // Cubic weight: nearly parallel pairs move most, near-orthogonal pairs barely at all.
        const w = cos * cos * cos;
        for (let j = 0; j < dim; j++) {
          push[a * dim + j] -= w * out[b * dim + j];
          push[b * dim + j] -= w * out[a * dim + j];
        }
      }
    }
    // Each row is pushed by up to count - 1 others; scale the step so crowded spaces do not overshoot.
    for (let i = 0; i < out.length; i++) out[i] += step * push[i];
    for (let c = 0; c < count; c++) normalizeRow(out, c, dim);
  }
  return out;
}

/** Gram-Schmidt on the rows (count <= dim): exactly orthogonal unit directions. */
function orthonormalize(m: Float64Array, count: number, dim: number): Float64Array {
  for (let c = 0; c < count; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += m[c * dim + j] * m[p * dim + j];
      for (let j = 0; j < dim; j++) m[c * dim + j] -= dot * m[p * dim + j];
    }
    normalizeRow(m, c, dim);
  }
  return m;
}

function normalizeRow(m: Float64Array, row: number, dim: number): void {
  let s = 0;
  for (let j = 0; j < dim; j++) s += m[row * dim + j] * m[row * dim + j];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let j = 0; j < dim; j++) m[row * dim + j] *= inv;
}

/**
 * Largest |cos| between any two rows: how well `spreadDirections` separated them.
 *
 * @example
 * maxCoherence(spreadDirections(8, 16, rng), 8, 16); // 0 up to rounding: orthonormal
 */
export function maxCoherence(dirs: Float64Array, count: number, dim: number): number {
  let worst = 0;
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      let cos = 0;
      for (let j = 0; j < dim; j++) cos += dirs[a * dim + j] * dirs[b * dim + j];
      worst = Math.max(worst, Math.abs(cos));
    }
  }
  return worst;
}
