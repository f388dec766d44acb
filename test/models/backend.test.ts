import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTf, tfRuntime } from '../../src/tf/backend.ts';
import { scatterAdd } from '../../src/tf/kernels/segmentSum.ts';
import { gatherRows } from '../../src/tf/kernels/gather.ts';
import { sliceInto } from '../../src/tf/kernels/slice.ts';
import { transposeInto } from '../../src/tf/kernels/transpose.ts';
import { tfGuard, TfError, shortDetail } from '../../src/tf/errors.ts';
import { tfMsg } from '../../src/tf/messages.ts';
import { rowSum, total, sumSquares } from '../../src/tf/reduce.ts';
import { embeddingBag } from '../../src/tf/embeddingBag.ts';
import { Adam } from '../../src/tf/adam.ts';

// d/dT sum_r c_r T[ids_r] for T = [[1, 2], [3, 4], [5, 6]], ids = [0, 2, 0, 1, 2, 2], c_r = r + 1 (both
// columns): row 0 collects c_0 + c_2 = 1 + 3, row 1 c_3 = 4, row 2 c_1 + c_4 + c_5 = 2 + 5 + 6.
const EXPECTED_GRAD = [
  [4, 4],
  [4, 4],
  [13, 13],
];
function embeddingGradient(): number[][] {
  return tf.tidy(() => {
    const table = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const ids = tf.tensor1d([0, 2, 0, 1, 2, 2], 'int32');
    const c = tf.tensor2d([1, 2, 3, 4, 5, 6], [6, 1]);
    return tf
      .grad((t: tf.Tensor) => tf.gather(t, ids).mul(c).sum())(table)
      .arraySync() as number[][];
  });
}

describe('initTf', () => {
  it('reports the backend that is active, and is idempotent', async () => {
    const rt = await initTf();
    expect(tf.getBackend()).toBe(rt.backend);
    // tfjs-node cannot install here; elsewhere it would win.
    expect(['tensorflow', 'wasm']).toContain(rt.backend);
    expect(rt.threads).toBeGreaterThanOrEqual(1);
    expect(await initTf()).toBe(rt);
    expect(tfRuntime()).toBe(rt);
  });

  it('silences the cpu banner and removes the wasm glue process listeners', async () => {
    await initTf({ backend: 'wasm' });
    expect(tf.env().getBool('PROD')).toBe(true);
    // vitest's own listeners stay; none added by the glue (it rethrows everything as exit code 7).
    const src = process.listeners('uncaughtException').map((l) => l.toString());
    expect(src.some((s) => s.includes('ExitStatus'))).toBe(false);
  });

  it('rejects an unknown backend name', async () => {
    await expect(initTf({ backend: 'webgpu' as never })).rejects.toThrow(tfMsg.unknownBackend('webgpu'));
  });

  it.each(['wasm', 'cpu'] as const)('trains an embedding on %s: the gradient of tf.gather matches a hand computation', async (backend) => {
    const rt = await initTf({ backend });
    expect(rt.backend).toBe(backend);
    expect(tf.getBackend()).toBe(backend);
    expect(embeddingGradient()).toEqual(EXPECTED_GRAD);
    await initTf({ backend: 'wasm' });
  });

  it('computes transposed matMuls, slices and splits like the cpu backend', async () => {
    const run = () =>
      tf.tidy(() => {
        const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
        const b = tf.tensor2d([1, 0, 2, 1, 0, 3], [3, 2]);
        const x3 = tf.tensor3d([...Array(24).keys()], [2, 3, 4]);
        return [
          tf.matMul(a, a, false, true),
          tf.matMul(a, a, true, false),
          tf.matMul(b, a, true, true),
          x3.slice([1, 1, 1], [1, 2, 2]),
          ...tf.split(x3, [1, 3], 2),
          x3.transpose([2, 0, 1]),
          x3.transpose([0, 2, 1]),
          x3.sum(0),
        ].map((t) => t.arraySync());
      });
    await initTf({ backend: 'cpu' });
    const reference = run();
    await initTf({ backend: 'wasm' });
    expect(run()).toEqual(reference);
  });
});

describe('kernel loops', () => {
  it('scatterAdd sums rows into segments and drops out-of-range ids', () => {
    const out = new Float32Array(4);
    scatterAdd(Float32Array.of(1, 2, 3, 4, 5, 6), Int32Array.of(1, 0, 5), 2, 2, out);
    expect([...out]).toEqual([3, 4, 1, 2]);
  });

  it('gatherRows copies rows and names a bad index', () => {
    const out = new Float32Array(4);
    gatherRows(Float32Array.of(1, 2, 3, 4, 5, 6), 3, Int32Array.of(2, 0), 2, out);
    expect([...out]).toEqual([5, 6, 1, 2]);
    expect(() => gatherRows(Float32Array.of(1, 2), 1, Int32Array.of(1), 2, out)).toThrow('GatherV2: the index value 1 is not in [0, 0]');
  });

  it('sliceInto and transposeInto match index arithmetic', () => {
    const x = Float32Array.from({ length: 24 }, (_, i) => i); // 2 x 3 x 4
    const s = new Float32Array(4);
    sliceInto(x, [2, 3, 4], [1, 1, 2], [1, 2, 2], s);
    expect([...s]).toEqual([18, 19, 22, 23]);
    const t = new Float32Array(24);
    transposeInto(x, [2, 3, 4], [2, 0, 1], t); // out[k][i][j] = x[i][j][k]
    expect(t[1 * 6 + 1 * 3 + 2]).toBe(x[1 * 12 + 2 * 4 + 1]);
    const t2 = new Float32Array(6);
    transposeInto(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0], t2);
    expect([...t2]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

describe('tf helpers', () => {
  it('rowSum, total and sumSquares', async () => {
    await initTf();
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(rowSum(x).arraySync()).toEqual([[3], [7]]);
    expect(total(x).arraySync()).toBe(10);
    expect(sumSquares(x).arraySync()).toBe(30);
    x.dispose();
  });

  it('embeddingBag pools weighted rows and back-propagates to them', async () => {
    await initTf();
    const before = tf.memory().numTensors;
    const table = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const ids = Int32Array.of(0, 2, 1, 0);
    const w = Float32Array.of(0.5, 0.5, 2, 0); // bag 0: mean of rows 0 and 2; bag 1: 2 x row 1 (pad)
    expect(tf.tidy(() => embeddingBag(table, ids, w, 2, 2).arraySync())).toEqual([
      [3, 4],
      [6, 8],
    ]);
    const g = tf.grad((t: tf.Tensor) => embeddingBag(t as tf.Tensor2D, ids, w, 2, 2).sum())(table);
    expect(g.arraySync()).toEqual([
      [0.5, 0.5],
      [2, 2],
      [0.5, 0.5],
    ]);
    tf.dispose([table, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Adam minimizes a quadratic and frees everything it made', async () => {
    await initTf();
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d([3, -2])));
    const adam = new Adam([w], { learningRate: 0.1 });
    let loss = Infinity;
    for (let i = 0; i < 300; i++) loss = adam.step(() => w.square().sum() as tf.Scalar);
    expect(loss).toBeLessThan(1e-3);
    adam.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('tfGuard', () => {
  it('turns a failure into one short line naming what failed and the backend', () => {
    const huge = new Error('x'.repeat(5000));
    expect(() =>
      tfGuard('fitting mf', 'wasm', () => {
        throw huge;
      }),
    ).toThrow(TfError);
    expect(() =>
      tfGuard('fitting mf', 'wasm', () => {
        throw huge;
      }),
    ).toThrow(tfMsg.failed('fitting mf', 'wasm', shortDetail(huge)));
    expect(shortDetail(huge).length).toBeLessThanOrEqual(200);
    expect(tfGuard('x', 'wasm', () => 3)).toBe(3);
  });
});
