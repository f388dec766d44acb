import { describe, expect, it } from 'vitest';
import { isMetric, METRIC_COUNT, METRICS, metricColumn, metricKey, metricKeys, scoreRanking, tableColumn } from '../../src/eval/metrics.ts';
import { topK } from '../../src/util/topk.ts';
import { Rng } from '../../src/util/rng.ts';

const D2 = 1 / Math.log2(3); // discount at rank 2 = 0.6309297535714575
const D3 = 1 / Math.log2(4); // rank 3 = 0.5
const D4 = 1 / Math.log2(5); // rank 4 = 0.43067655807339306

/** Score one request and return [ndcg, hit, recall, mrr] per k. */
function score(ranking: number[], labels: number[], ks: number[], nItems = 20): number[][] {
  const mask = new Uint8Array(nItems);
  for (const l of labels) mask[l] = 1;
  const out = new Float64Array(ks.length * METRIC_COUNT);
  const written = scoreRanking(new Int32Array(ranking), ranking.length, mask, labels.length, ks, out, 0);
  expect(written).toBe(ks.length * 4);
  return ks.map((_, ki) => Array.from(out.subarray(ki * 4, ki * 4 + 4)));
}

describe('metric names', () => {
  it('has a type guard, keys and a documented column layout', () => {
    expect(METRICS).toEqual(['ndcg', 'hit', 'recall', 'mrr']);
    expect(isMetric('recall')).toBe(true);
    expect(isMetric('ndgc')).toBe(false);
    expect(isMetric(3)).toBe(false);
    expect(metricKey('ndcg', 10)).toBe('ndcg@10');
    expect(metricKeys([5, 10])).toEqual(['ndcg@5', 'hit@5', 'recall@5', 'mrr@5', 'ndcg@10', 'hit@10', 'recall@10', 'mrr@10']);
    expect(metricColumn([10, 20], 'hit', 20)).toBe(5);
    expect(() => metricColumn([10, 20], 'hit', 5)).toThrow('invalid k: 5; expected one of 10, 20');
  });
});

describe('scoreRanking on hand-computed requests', () => {
  it('labels {2, 7}, ranking [5, 2, 9, 7] at K = 2 and K = 4', () => {
    const [k2, k4] = score([5, 2, 9, 7], [2, 7], [2, 4]);
    // K=2: one hit at rank 2. DCG = 1/log2(3); IDCG = 1 + 1/log2(3) (min(2, |L|=2) = 2 ideal ranks).
    // NDCG = 0.6309 / 1.6309 = 0.38685; HR = 1; Recall = 1 / min(2, 2) = 0.5; MRR = 1/2.
    expect(k2[0]).toBeCloseTo(D2 / (1 + D2), 12);
    expect(k2[0]).toBeCloseTo(0.386853, 6);
    expect(k2.slice(1)).toEqual([1, 0.5, 0.5]);
    // K=4: hits at ranks 2 and 4. DCG = 0.6309 + 0.4307 = 1.0616; IDCG still 1.6309 -> 0.65092.
    // Recall = 2 / min(4, 2) = 1; MRR = 1/2 (first hit at rank 2).
    expect(k4[0]).toBeCloseTo((D2 + D4) / (1 + D2), 12);
    expect(k4[0]).toBeCloseTo(0.650921, 6);
    expect(k4.slice(1)).toEqual([1, 1, 0.5]);
  });

  it('more labels than K: recall and the ideal DCG use min(K, |L|)', () => {
    // L = {0..4} (|L| = 5), ranking [1, 8, 3].
    const [k2, k3] = score([1, 8, 3], [0, 1, 2, 3, 4], [2, 3]);
    // K=2: hit at rank 1 only. DCG = 1; IDCG = 1 + 0.6309 = 1.6309 -> 0.61315. Recall = 1/min(2,5) = 0.5. MRR = 1.
    expect(k2[0]).toBeCloseTo(1 / (1 + D2), 12);
    expect(k2.slice(1)).toEqual([1, 0.5, 1]);
    // K=3: hits at ranks 1 and 3. DCG = 1 + 0.5 = 1.5; IDCG = 1 + 0.6309 + 0.5 = 2.1309 -> 0.70392.
    // Recall = 2/min(3,5) = 2/3. MRR = 1.
    expect(k3[0]).toBeCloseTo(1.5 / (1 + D2 + D3), 12);
    expect(k3[0]).toBeCloseTo(0.703918, 6);
    expect(k3[1]).toBe(1);
    expect(k3[2]).toBeCloseTo(2 / 3, 15);
    expect(k3[3]).toBe(1);
  });

  it('no hits gives zeros', () => {
    // L = {9}; ranking [1, 2, 3] contains no label at any rank.
    expect(score([1, 2, 3], [9], [1, 3])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('a ranking shorter than K: the single label at rank 1 is a perfect score', () => {
    // L = {4}, ranking [4] only. NDCG = 1/1; HR = 1; Recall = 1/min(10, 1) = 1; MRR = 1.
    expect(score([4], [4], [10])).toEqual([[1, 1, 1, 1]]);
  });

  it('writes NaN when the request has no labels', () => {
    expect(score([1, 2], [], [5])[0].every(Number.isNaN)).toBe(true);
  });

  it('writes at out[offset + ki * 4 + mi] and leaves other slots alone', () => {
    const mask = new Uint8Array(10);
    mask[3] = 1;
    const ks = [1, 2];
    const out = new Float64Array(3 + 8 + 2).fill(-7);
    // L = {3}, ranking [0, 3]: K=1 misses; K=2 hits at rank 2: NDCG = 0.6309/1, recall 1, MRR 0.5.
    scoreRanking(new Int32Array([0, 3]), 2, mask, 1, ks, out, 3);
    expect(Array.from(out.subarray(0, 3))).toEqual([-7, -7, -7]);
    expect(Array.from(out.subarray(3, 7))).toEqual([0, 0, 0, 0]);
    expect(out[3 + metricColumn(ks, 'ndcg', 2)]).toBeCloseTo(D2, 15);
    expect(out[3 + metricColumn(ks, 'recall', 2)]).toBe(1);
    expect(out[3 + metricColumn(ks, 'mrr', 2)]).toBe(0.5);
    expect(Array.from(out.subarray(11))).toEqual([-7, -7]);
  });

  it('cutoffs beyond the precomputed discount table agree with the formula', () => {
    const n = 3000;
    const ranking = Array.from({ length: n }, (_, i) => i);
    const [row] = score(ranking, [1500, 2500], [2000], n);
    const dcg = 1 / Math.log2(1502);
    expect(row[0]).toBeCloseTo(dcg / (1 + D2), 14);
    expect(row.slice(1)).toEqual([1, 0.5, 1 / 1501]);
  });

  it('tableColumn extracts one metric per request', () => {
    const table = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(tableColumn(table, 2, 4, 1))).toEqual([2, 6]);
  });
});

/** 1 - C(I - L, K) / C(I, K), with the ratio as the product prod_{j<K} (I - L - j) / (I - j): no huge factorials. */
function randomHitRate(nItems: number, nLabels: number, k: number): number {
  let noHit = 1;
  for (let j = 0; j < k; j++) noHit *= Math.max(0, nItems - nLabels - j) / (nItems - j);
  return 1 - noHit;
}

describe('invariant 7: a random ranker', () => {
  it('has HR@K within 3 standard errors of 1 - C(I - |L|, K) / C(I, K)', () => {
    const rng = Rng.fromSeed(2024).fork('random-ranker');
    const nItems = 400;
    const ks = [5, 20];
    const R = 20_000;
    const scores = new Float64Array(nItems);
    const ranked = new Int32Array(20);
    const mask = new Uint8Array(nItems);
    const out = new Float64Array(R * ks.length * METRIC_COUNT);
    const expected = ks.map(() => ({ p: 0, v: 0 }));
    const expectedRecall = ks.map(() => 0);
    const labels: number[] = [];
    for (let r = 0; r < R; r++) {
      // |L| varies per request (1..6); the expectation is the mean of per-request probabilities.
      const nLabels = 1 + rng.int(6);
      labels.length = 0;
      while (labels.length < nLabels) {
        const item = rng.int(nItems);
        if (!mask[item]) {
          mask[item] = 1;
          labels.push(item);
        }
      }
      // Independent uniform scores = a uniformly random permutation (float ties have probability ~1e-5).
      for (let i = 0; i < nItems; i++) scores[i] = rng.float();
      const n = topK(scores, 20, ranked);
      scoreRanking(ranked, n, mask, nLabels, ks, out, r * ks.length * METRIC_COUNT);
      for (const l of labels) mask[l] = 0;
      ks.forEach((k, ki) => {
        const p = randomHitRate(nItems, nLabels, k);
        expected[ki].p += p / R;
        expected[ki].v += (p * (1 - p)) / (R * R);
        // E[hits] = K |L| / I, so E[Recall@K] = K |L| / (I min(K, |L|)).
        expectedRecall[ki] += (k * nLabels) / (nItems * Math.min(k, nLabels)) / R;
      });
    }
    const stride = ks.length * METRIC_COUNT;
    ks.forEach((k, ki) => {
      const hr = tableColumn(out, R, stride, metricColumn(ks, 'hit', k));
      const mean = hr.reduce((a, b) => a + b, 0) / R;
      const se = Math.sqrt(expected[ki].v);
      expect(Math.abs(mean - expected[ki].p)).toBeLessThan(3 * se);
      const recall = tableColumn(out, R, stride, metricColumn(ks, 'recall', k));
      const recallMean = recall.reduce((a, b) => a + b, 0) / R;
      const recallSe = Math.sqrt(recall.reduce((a, x) => a + (x - recallMean) ** 2, 0) / (R - 1) / R);
      expect(Math.abs(recallMean - expectedRecall[ki])).toBeLessThan(3 * recallSe);
    });
    // Sanity on the formula itself: I = 10, |L| = 2, K = 3: 1 - C(8,3)/C(10,3) = 1 - 56/120.
    expect(randomHitRate(10, 2, 3)).toBeCloseTo(1 - 56 / 120, 15);
  });
});
