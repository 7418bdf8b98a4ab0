/**
 * Adam as plain elementwise nodes (the stock ONNX Runtime loads no optimizer kernels), with tfjs's
 * arithmetic so that both engines train alike: ε = 1e-7 added outside the square root of the
 * bias-corrected second moment. The step's scalars come in as graph inputs (see adamScalars), so one
 * graph serves every step, the warm-up included.
 */
import { GraphBuilder } from './graph';

export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const EPSILON = 1e-7;

/** Graph inputs: lr·√(1 − β2^t) / (1 − β1^t), and ε·√(1 − β2^t). */
export const STEP_SIZE = 'adam_step_size';
export const SCALED_EPSILON = 'adam_epsilon';

/**
 * p' = p − lr·m̂ / (√v̂ + ε) with m̂ = m' / (1 − β1^t), v̂ = v' / (1 − β2^t), rewritten as
 * p − [lr·√(1 − β2^t) / (1 − β1^t)] · m' / (√v' + ε·√(1 − β2^t)): the same value with one pass
 * over the parameters fewer (each elementwise node is a full pass over up to a million values).
 */
export function adamScalars(learningRate: number, step: number): { [STEP_SIZE]: number; [SCALED_EPSILON]: number } {
  const root = Math.sqrt(1 - BETA2 ** step);
  return { [STEP_SIZE]: (learningRate * root) / (1 - BETA1 ** step), [SCALED_EPSILON]: EPSILON * root };
}

export function adamUpdate(g: GraphBuilder, p: string, m: string, v: string, grad: string, stepSize: string, epsilon: string): { p: string; m: string; v: string } {
  const m2 = g.op('Add', [g.op('Mul', [m, g.scalar(BETA1)]), g.op('Mul', [grad, g.scalar(1 - BETA1)])], {}, 'adam_m');
  const v2 = g.op('Add', [g.op('Mul', [v, g.scalar(BETA2)]), g.op('Mul', [g.op('Mul', [grad, grad]), g.scalar(1 - BETA2)])], {}, 'adam_v');
  const denominator = g.op('Add', [g.op('Sqrt', [v2]), epsilon]);
  const p2 = g.op('Sub', [p, g.op('Mul', [g.op('Div', [m2, denominator]), stepSize])], {}, 'adam_p');
  return { p: p2, m: m2, v: v2 };
}
