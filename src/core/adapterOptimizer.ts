/** Adam and SGD with momentum (PyTorch's update rules) over the adapter's parameters W_v, W_t and ℓ. */
import type { Floats } from './adapterLinear';
import type { AdapterParameters } from './adapterObjective';
import type { AdapterOptions } from './adapterTypes';

export interface Optimizer {
  step(params: AdapterParameters, gradient: AdapterParameters): void;
}

function withDecay(g: number, p: number, decay: number): number {
  return decay === 0 ? g : g + decay * p;
}

class Adam implements Optimizer {
  private readonly first: Float32Array[];
  private readonly second: Float32Array[];
  private firstScale = 0;
  private secondScale = 0;
  private steps = 0;
  private readonly beta1 = 0.9;
  private readonly beta2 = 0.999;
  private readonly epsilon = 1e-8;

  constructor(
    d: number,
    private readonly learningRate: number,
    private readonly decay: number,
  ) {
    this.first = [new Float32Array(d * d), new Float32Array(d * d)];
    this.second = [new Float32Array(d * d), new Float32Array(d * d)];
  }

  step(params: AdapterParameters, gradient: AdapterParameters): void {
    this.steps++;
    const { beta1, beta2, epsilon } = this;
    const correction1 = 1 - beta1 ** this.steps;
    const correction2 = 1 - beta2 ** this.steps;
    const update = (p: Floats, g: Floats, m: Float32Array, v: Float32Array) => {
      for (let k = 0; k < p.length; k++) {
        const grad = withDecay(g[k], p[k], this.decay);
        m[k] = beta1 * m[k] + (1 - beta1) * grad;
        v[k] = beta2 * v[k] + (1 - beta2) * grad * grad;
        p[k] -= (this.learningRate * (m[k] / correction1)) / (Math.sqrt(v[k] / correction2) + epsilon);
      }
    };
    update(params.W_v, gradient.W_v, this.first[0], this.second[0]);
    update(params.W_t, gradient.W_t, this.first[1], this.second[1]);
    const grad = withDecay(gradient.logScale, params.logScale, this.decay);
    this.firstScale = beta1 * this.firstScale + (1 - beta1) * grad;
    this.secondScale = beta2 * this.secondScale + (1 - beta2) * grad * grad;
    params.logScale -=
      (this.learningRate * (this.firstScale / correction1)) / (Math.sqrt(this.secondScale / correction2) + epsilon);
  }
}

class MomentumSgd implements Optimizer {
  private readonly velocity: Float32Array[];
  private velocityScale = 0;
  private started = false;

  constructor(
    d: number,
    private readonly learningRate: number,
    private readonly momentum: number,
    private readonly decay: number,
  ) {
    this.velocity = [new Float32Array(d * d), new Float32Array(d * d)];
  }

  step(params: AdapterParameters, gradient: AdapterParameters): void {
    // PyTorch: the first step's buffer is the gradient itself, later ones b = μb + g
    const keep = this.started ? this.momentum : 0;
    this.started = true;
    const update = (p: Floats, g: Floats, b: Float32Array) => {
      for (let k = 0; k < p.length; k++) {
        b[k] = keep * b[k] + withDecay(g[k], p[k], this.decay);
        p[k] -= this.learningRate * b[k];
      }
    };
    update(params.W_v, gradient.W_v, this.velocity[0]);
    update(params.W_t, gradient.W_t, this.velocity[1]);
    this.velocityScale = keep * this.velocityScale + withDecay(gradient.logScale, params.logScale, this.decay);
    params.logScale -= this.learningRate * this.velocityScale;
  }
}

export function createOptimizer(d: number, options: AdapterOptions): Optimizer {
  return options.optimizer === 'sgd'
    ? new MomentumSgd(d, options.learningRate, options.momentum, options.weightDecay)
    : new Adam(d, options.learningRate, options.weightDecay);
}
