// Fellegi-Sunter record linkage (Fellegi & Sunter, JASA 1969) with parameters from EM (Winkler 1988):
// a two-class mixture over comparison patterns with conditionally independent fields.
import { COMPARISON_FIELDS, FIELD_SLOTS, PATTERNS, patternLevel } from './compare.ts';

const F = COMPARISON_FIELDS.length;
/** Pseudo-count per level, so no level gets probability 0 (a log-weight of -infinity). */
const PSEUDO = 1;
/**
 * Starting m: agreement likelier among matches, ordered as the levels are (weakest to strongest). The
 * data moves it; the start only picks which mixture component is called "match".
 */
const M_START: readonly (readonly number[])[] = [
  [0.1, 0.1, 0.4, 0.4],
  // device: user agent (differs, family, same, unknown) x time (concurrent, far, sequential, interleaved)
  [0.001, 0.05, 0.1, 0.1, 0.001, 0.05, 0.1, 0.1, 0.001, 0.1, 0.2, 0.1, 0.001, 0.05, 0.1, 0.1],
  [0.2, 0.8],
  [0.1, 0.2, 0.3, 0.4],
];

export interface FsParameters {
  /** Share of matches among the candidate pairs. */
  lambda: number;
  /** m[f][l] = P(level l of field f | match); u likewise for non-matches. Missing slots excluded. */
  m: number[][];
  u: number[][];
  iterations: number;
}

/**
 * The EM fit on a histogram of comparison patterns.
 *
 * Model: a pair is a match with probability lambda; given its class, field levels are independent with
 * probabilities m (match) or u (non-match). E-step: g(p) = lambda M(p) / (lambda M(p) + (1 - lambda) U(p))
 * with M(p) = prod_f m_f(level_f(p)), missing fields skipped. M-step: lambda = sum c g / sum c,
 * m_f(l) = (sum over patterns at level l of c g + 1) / (sum of c g + L_f), u likewise with 1 - g.
 * u starts from the level frequencies of random key pairs (nearly all non-matches), m from M_START.
 *
 * @example
 * const fs = new FellegiSunter();
 * fs.start(randomPairHistogram);
 * fs.fit(candidateHistogram);
 * fs.posterior(pattern); // P(match | pattern)
 */
export class FellegiSunter {
  lambda = 0.1;
  readonly m: Float64Array[] = FIELD_SLOTS.map((s) => new Float64Array(s - 1));
  readonly u: Float64Array[] = FIELD_SLOTS.map((s) => new Float64Array(s - 1));
  iterations = 0;
  private readonly levels: Uint8Array;

  constructor() {
    this.levels = new Uint8Array(PATTERNS * F);
    for (let p = 0; p < PATTERNS; p++) for (let f = 0; f < F; f++) this.levels[p * F + f] = patternLevel(p, f);
  }

  /** Start from M_START and u = level frequencies in `randomHist` (pattern counts of random pairs). */
  start(randomHist: Float64Array): void {
    for (let f = 0; f < F; f++) {
      const L = FIELD_SLOTS[f] - 1;
      const counts = new Float64Array(L).fill(PSEUDO);
      for (let p = 0; p < PATTERNS; p++) {
        const l = this.levels[p * F + f];
        if (l < L) counts[l] += randomHist[p];
      }
      const total = counts.reduce((a, b) => a + b, 0);
      const mTotal = M_START[f].reduce((a, b) => a + b, 0);
      for (let l = 0; l < L; l++) {
        this.u[f][l] = counts[l] / total;
        this.m[f][l] = M_START[f][l] / mTotal;
      }
    }
    this.lambda = 0.1;
  }

  /**
   * Run EM from the current parameters until they move less than tol. `hist` counts candidate pairs per
   * pattern; `known` optionally adds pairs whose class the data states (g fixed at 1 or 0): keys sharing a
   * login, keys logged in as different logins. They anchor which component is "match".
   */
  fit(hist: Float64Array, known?: { match: Float64Array; nonMatch: Float64Array }, maxIterations = 500, tol = 1e-6): void {
    const sets: Array<{ h: Float64Array; g: number }> = [{ h: hist, g: NaN }];
    if (known) sets.push({ h: known.match, g: 1 }, { h: known.nonMatch, g: 0 });
    const used: Array<{ p: number; c: number; g: number }> = [];
    for (const { h, g } of sets) for (let p = 0; p < PATTERNS; p++) if (h[p] > 0) used.push({ p, c: h[p], g });
    const mAcc = FIELD_SLOTS.map((s) => new Float64Array(s - 1));
    const uAcc = FIELD_SLOTS.map((s) => new Float64Array(s - 1));
    let it = 0;
    for (; it < maxIterations; it++) {
      for (let f = 0; f < F; f++) {
        mAcc[f].fill(PSEUDO);
        uAcc[f].fill(PSEUDO);
      }
      let total = 0;
      let matched = 0;
      for (const { p, c, g: known } of used) {
        const g = known === known ? known : this.posterior(p);
        total += c;
        matched += c * g;
        for (let f = 0; f < F; f++) {
          const l = this.levels[p * F + f];
          if (l >= FIELD_SLOTS[f] - 1) continue;
          mAcc[f][l] += c * g;
          uAcc[f][l] += c * (1 - g);
        }
      }
      if (total === 0) break;
      let change = Math.abs(matched / total - this.lambda);
      this.lambda = Math.min(1 - 1e-9, Math.max(1e-9, matched / total));
      for (let f = 0; f < F; f++) {
        const mSum = mAcc[f].reduce((a, b) => a + b, 0);
        const uSum = uAcc[f].reduce((a, b) => a + b, 0);
        for (let l = 0; l < mAcc[f].length; l++) {
          const m = mAcc[f][l] / mSum;
          const u = uAcc[f][l] / uSum;
          change = Math.max(change, Math.abs(m - this.m[f][l]), Math.abs(u - this.u[f][l]));
          this.m[f][l] = m;
          this.u[f][l] = u;
        }
      }
      if (change < tol) break;
    }
    this.iterations = it + 1;
  }

  /** Match weight in bits: sum over present fields of log2(m / u). */
  weight(p: number): number {
    let w = 0;
    for (let f = 0; f < F; f++) {
      const l = this.levels[p * F + f];
      if (l < FIELD_SLOTS[f] - 1) w += Math.log2(this.m[f][l] / this.u[f][l]);
    }
    return w;
  }

  /** Posterior match probability of a pair with pattern p. */
  posterior(p: number): number {
    let M = this.lambda;
    let U = 1 - this.lambda;
    for (let f = 0; f < F; f++) {
      const l = this.levels[p * F + f];
      if (l >= FIELD_SLOTS[f] - 1) continue;
      M *= this.m[f][l];
      U *= this.u[f][l];
    }
    return M / (M + U);
  }

  parameters(): FsParameters {
    return { lambda: this.lambda, m: this.m.map((a) => [...a]), u: this.u.map((a) => [...a]), iterations: this.iterations };
  }
}
