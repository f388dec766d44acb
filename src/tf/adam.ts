// Adam (Kingma & Ba, 2015) over a fixed list of variables. tf.train.adam (and every tf.train optimizer in
// 4.22) leaves one tensor behind per optimizer even after dispose(), so repeated fits would leak; this one
// owns exactly its moment variables and frees them.
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Minimize scalar losses over `vars` with Adam. Call `dispose()` when done (frees the moments only).
 *
 * @example
 * const adam = new Adam([w], { learningRate: 0.01 });
 * const loss = adam.step(() => w.square().sum() as tf.Scalar); // the loss before the update
 * adam.dispose();
 */
export class Adam {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(
    private readonly vars: readonly tf.Variable[],
    private readonly opts: AdamOptions,
  ) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
    // Variables survive tidy; the zero tensors they start from do not.
    this.m = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
    this.v = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  /** One update on the gradient of `loss`; returns the loss value. */
  step(loss: () => tf.Scalar): number {
    const { value, grads } = tf.variableGrads(loss, this.vars as tf.Variable[]);
    this.t++;
    const { beta1: b1, beta2: b2, epsilon } = this;
    // Bias correction folded into the step size (computed in float64).
    const lr = (this.opts.learningRate * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    tf.tidy(() => {
      this.vars.forEach((x, i) => {
        const g = grads[x.name];
        const m = this.m[i].mul(b1).add(g.mul(1 - b1));
        const v = this.v[i].mul(b2).add(g.square().mul(1 - b2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        x.assign(x.sub(m.mul(lr).div(v.sqrt().add(epsilon))));
      });
    });
    const out = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
