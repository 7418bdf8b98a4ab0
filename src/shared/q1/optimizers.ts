/**
 * The four optimizers of the Q1 study, in float64, one x at a time. Adam follows Algorithm 1 of the
 * assignment (bias-corrected m̂ and v̂). With eps = 0 a history of zero gradients makes m̂/√v̂ = 0/0:
 * the guard takes that step as 0 (m̂ is 0 too, so it is the limit eps → 0) and counts it.
 */
import { Q1Optimizers } from './params';

export const OPTIMIZER_NAMES = ['gd', 'adam', 'momentum', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  gd: 'Gradient descent',
  adam: 'Adam',
  momentum: 'Momentum SGD',
  rmsprop: 'RMSProp',
};

export interface Optimizer {
  /** Consumes the gradient at the current x and returns the change of x. */
  step(g: number): number;
  /** The optimizer's state besides x (for cycle detection): a repeat of x and this means a cycle. */
  state(): number[];
  /** Steps where eps = 0 met a zero denominator and the guard stepped by 0. */
  guardHits: number;
}

export function createOptimizer(name: OptimizerName, p: Q1Optimizers): Optimizer {
  switch (name) {
    case 'gd':
      return { guardHits: 0, step: (g) => -p.lr * g, state: () => [] };
    case 'momentum': {
      // PyTorch's form: u ← μu + g, x ← x − a·u.
      let u = 0;
      return {
        guardHits: 0,
        step: (g) => {
          u = p.momentum * u + g;
          return -p.lr * u;
        },
        state: () => [u],
      };
    }
    case 'rmsprop': {
      let v = 0;
      const opt: Optimizer = {
        guardHits: 0,
        step: (g) => {
          v = p.rho * v + (1 - p.rho) * g * g;
          const denominator = Math.sqrt(v) + p.eps;
          if (denominator === 0) {
            opt.guardHits++;
            return 0;
          }
          return (-p.lr * g) / denominator;
        },
        state: () => [v],
      };
      return opt;
    }
    case 'adam': {
      let m = 0;
      let v = 0;
      let t = 0;
      let mHat = 0;
      let vHat = 0;
      const opt: Optimizer = {
        guardHits: 0,
        step: (g) => {
          t++;
          m = p.beta1 * m + (1 - p.beta1) * g;
          v = p.beta2 * v + (1 - p.beta2) * g * g;
          mHat = m / (1 - p.beta1 ** t);
          vHat = v / (1 - p.beta2 ** t);
          const denominator = Math.sqrt(vHat) + p.eps;
          if (denominator === 0) {
            opt.guardHits++;
            return 0;
          }
          return (-p.lr * mHat) / denominator;
        },
        // The bias-corrected moments: once β1^t has faded they follow an autonomous map.
        state: () => [mHat, vHat],
      };
      return opt;
    }
  }
}
