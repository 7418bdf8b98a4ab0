/**
 * Adam on flat float32 arrays, for data-parallel training, where each thread updates its own range of
 * the parameters. It is tfjs's Adam step for step: the same moments, bias correction by β^t and ε
 * outside the square root (tfjs's float32 default 1e-7), so results agree to float32 rounding. The
 * bulk runs in the WebAssembly SIMD kernel, a range's last 0–3 values in the scalar loop.
 */
import { AdamKernel } from './adamSimd';

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;

export interface AdamArrays {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/** Step `t` over [from, to): SIMD four values at a time, the remainder in JavaScript. */
export function adamStep(kernel: AdamKernel, arrays: AdamArrays, [g0, g1]: Float32Array[], from: number, to: number, t: number, learningRate: number): void {
  const lanes = (to - from) & ~3;
  const at = (array: Float32Array) => array.byteOffset + 4 * from;
  kernel(at(arrays.params), at(arrays.m), at(arrays.v), at(g0), at(g1), lanes, ADAM_BETA1, ADAM_BETA2, learningRate / (1 - ADAM_BETA1 ** t), 1 / (1 - ADAM_BETA2 ** t), ADAM_EPSILON);
  adamUpdate(arrays, [g0, g1], from + lanes, to, t, learningRate);
}

/** Step `t` (from 1) over [from, to), with the gradient the sum of the two threads' parts. */
export function adamUpdate({ params, m, v }: AdamArrays, [g0, g1]: Float32Array[], from: number, to: number, t: number, learningRate: number): void {
  const rate1 = learningRate / (1 - ADAM_BETA1 ** t);
  const correction2 = 1 - ADAM_BETA2 ** t;
  for (let i = from; i < to; i++) {
    const g = g0[i] + g1[i];
    const mi = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * g;
    const vi = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] -= (rate1 * mi) / (Math.sqrt(vi / correction2) + ADAM_EPSILON);
  }
}
