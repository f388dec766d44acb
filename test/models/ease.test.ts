import { describe, expect, it } from 'vitest';
import { invertSpd, cholesky } from '../../src/models/cholesky.ts';
import { fitEase, EASE_DEFAULTS, EASE_MAX_ITEMS } from '../../src/models/ease.ts';
import { modelMsg } from '../../src/models/messages.ts';
import { logFromRows } from '../../src/log/eventLog.ts';
import { Rng } from '../../src/util/rng.ts';
import { D, HAND_TRAIN, fitContext, clusterLog, profilesAt, scoreEach, scoreBatch } from './fixtures.ts';

/** Reference inverse: Gauss-Jordan with partial pivoting on a copy. */
function gaussJordan(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    for (let k = 0; k < n; k++) {
      [m[c * n + k], m[p * n + k]] = [m[p * n + k], m[c * n + k]];
      [inv[c * n + k], inv[p * n + k]] = [inv[p * n + k], inv[c * n + k]];
    }
    const d = m[c * n + c];
    for (let k = 0; k < n; k++) {
      m[c * n + k] /= d;
      inv[c * n + k] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let k = 0; k < n; k++) {
        m[r * n + k] -= f * m[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return inv;
}

function randomSpd(n: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const x = Float64Array.from({ length: 2 * n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < 2 * n; k++) a[i * n + j] += x[k * n + i] * x[k * n + j];
  for (let i = 0; i < n; i++) a[i * n + i] += 1;
  return a;
}

describe('invertSpd', () => {
  it('inverts [[4, 2], [2, 3]] exactly', () => {
    const inv = new Float64Array(4);
    invertSpd(Float64Array.of(4, 2, 2, 3), 2, (i, j, p) => {
      inv[i * 2 + j] = p;
      inv[j * 2 + i] = p;
    });
    [0.375, -0.25, -0.25, 0.5].forEach((v, i) => expect(inv[i]).toBeCloseTo(v, 14));
  });

  // Sizes around the 4 x 2 blocking: remainders 0..3 rows and odd column counts.
  it.each([1, 2, 3, 4, 5, 6, 7, 9, 13])('matches Gauss-Jordan on a random %i x %i SPD matrix', (n) => {
    const a = randomSpd(n, n);
    const ref = gaussJordan(a, n);
    const got = new Float64Array(n * n);
    const diag = new Float64Array(n);
    let calls = 0;
    invertSpd(
      Float64Array.from(a),
      n,
      (i, j, p) => {
        expect(i).toBeLessThanOrEqual(j);
        got[i * n + j] = p;
        got[j * n + i] = p;
        calls++;
      },
      diag,
    );
    expect(calls).toBe((n * (n + 1)) / 2);
    for (let k = 0; k < n * n; k++) expect(got[k]).toBeCloseTo(ref[k], 10);
    for (let i = 0; i < n; i++) expect(diag[i]).toBeCloseTo(ref[i * n + i], 10);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite \(pivot 1/);
  });
});

// HAND_TRAIN (P0 {a, b}, P1 {a, b, c}, P2 {c, d}; a=0 .. d=3), then P0 buys d on day 20.
const rows = [...HAND_TRAIN, { t: 20 * D, person: 'P0', key: 'k0', item: 'd', type: 'purchase' }];
const log = logFromRows(rows);
const G = [
  [2, 2, 1, 0],
  [2, 2, 1, 0],
  [1, 1, 2, 1],
  [0, 0, 1, 1],
];

describe('ease', () => {
  it('fits B = I - P diag(1/diag P), P = (X^T X + lambda I)^-1, and scores x B', () => {
    const lambda = 1;
    const ease = fitEase('ease', fitContext(log, 10 * D), { ...EASE_DEFAULTS, lambda });
    const a = Float64Array.from(G.flat().map((v, k) => v + (k % 5 === 0 ? lambda : 0)));
    const p = gaussJordan(a, 4);
    const b = (i: number, j: number) => (i === j ? 0 : -p[i * 4 + j] / p[j * 4 + j]);
    // Profile {a, c} (events 0 and 5), binary weights; plus the popularity prior 1e-6 * degree / 2.
    const out = new Float32Array(4);
    ease.score({ events: Int32Array.of(0, 5), nowMs: 4 * D, requestId: 0 }, out);
    const deg = [2, 2, 2, 1];
    for (let j = 0; j < 4; j++) expect(out[j]).toBeCloseTo(b(0, j) + b(2, j) + (1e-6 * deg[j]) / 2, 6);
    expect(ease.dependsOn).toBe('events');
  });

  it('scales the default lambda to the data and weights profile items by recency', () => {
    const ctx = fitContext(log, 10 * D);
    // Mean persons per item = (2 + 2 + 2 + 1) / 4; lambda = 0.5 x that.
    const byDefault = fitEase('e', ctx, EASE_DEFAULTS).toSaved!().config as { lambda: number };
    expect(byDefault.lambda).toBe(Math.max(1, 0.5 * 1.75));
    const flat = fitEase('e', ctx, { ...EASE_DEFAULTS, lambda: 2 });
    const decayed = fitEase('e', ctx, { ...EASE_DEFAULTS, lambda: 2, halfLifeMs: 0.1 * D });
    // Events 1 (b at 1.1d) and 5 (c at 3d): c is newest (weight 1), b is 19 half-lives older.
    const profile = { events: Int32Array.of(1, 5), nowMs: 4 * D, requestId: 0 };
    const f = new Float32Array(4);
    const r = new Float32Array(4);
    flat.score(profile, f);
    decayed.score(profile, r);
    const onlyC = new Float32Array(4);
    flat.score({ events: Int32Array.of(5), nowMs: 4 * D, requestId: 0 }, onlyC);
    for (let j = 0; j < 4; j++) expect(r[j]).toBeCloseTo(onlyC[j] + (f[j] - onlyC[j]) * 2 ** -19, 6);
  });

  it('scoreBatch equals score, row by row', () => {
    const l = clusterLog(3);
    const ease = fitEase('ease', fitContext(l, 14 * D), EASE_DEFAULTS);
    const profiles = profilesAt(l, 16 * D);
    expect(scoreBatch(ease, profiles)).toEqual(scoreEach(ease, profiles));
  });

  it(`refuses more than ${EASE_MAX_ITEMS.toLocaleString('en-US')} items with a message that says why`, () => {
    const many = logFromRows(Array.from({ length: EASE_MAX_ITEMS + 1 }, (_, i) => ({ t: i, person: 'p', key: 'k', item: `i${i}`, type: 'view' })));
    expect(() => fitEase('big', fitContext(many, 1e9), EASE_DEFAULTS)).toThrow(modelMsg.tooManyItemsForEase('big', EASE_MAX_ITEMS + 1, EASE_MAX_ITEMS));
  });
});
