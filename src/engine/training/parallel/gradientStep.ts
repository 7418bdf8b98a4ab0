/** What every thread of a data-parallel trainer does with its own tfjs model: load weights, take a gradient. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE } from '../../data/mnist';
import { LOGIT_LIMIT } from '../autoencoderModel';

export function variablesOf(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

export function parameterCount(variables: tf.Variable[]): number {
  return variables.reduce((sum, v) => sum + v.size, 0);
}

export function storeParams(variables: tf.Variable[], params: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    params.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
}

export function loadParams(variables: tf.Variable[], params: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    tf.tidy(() => v.assign(tf.tensor(params.subarray(offset, offset + v.size), v.shape)));
    offset += v.size;
  }
}

/** Which dense layers end in ReLU; the gradient below is written for a stack of dense layers only. */
export function reluLayers(model: tfl.LayersModel): boolean[] {
  return model.layers.map((layer) => {
    const config = layer.getConfig();
    if (layer.getClassName() !== 'Dense' || !['relu', 'linear'].includes(String(config.activation))) {
      throw new Error(`data-parallel training handles dense ReLU/linear layers only, not ${layer.getClassName()} "${layer.name}"`);
    }
    return config.activation === 'relu';
  });
}

/**
 * The gradient of this thread's share of the batch's mean L1: the sum over its `rows` divided by the
 * whole batch's pixel count, so the threads' gradients add up to the gradient of the batch's mean.
 * Backpropagation is written out for the dense stack (no tape: about 10% faster per step) and
 * follows tfjs's own gradients exactly: d|u| = step(u, −1), sigmoid' = y(1 − y), the clip passes the
 * gradient only inside [−15, 15], ReLU's only where its output is positive. Writes the gradient flat
 * into `out` in the order of `variables` (kernel, bias per layer) and returns this share of the loss.
 */
export function partialGradient(variables: tf.Variable[], relu: boolean[], input: Float32Array, rows: number, batchRows: number, out: Float32Array): number {
  const kernels = variables.filter((_, i) => i % 2 === 0) as tf.Tensor2D[];
  const biases = variables.filter((_, i) => i % 2 === 1) as tf.Tensor1D[];
  const { loss, grads } = tf.tidy(() => {
    const x = tf.tensor2d(input.subarray(0, rows * IMAGE_SIZE), [rows, IMAGE_SIZE]);
    const inputs: tf.Tensor[] = [x];
    kernels.forEach((kernel, l) => inputs.push(tf.fused.matMul({ a: inputs[l] as tf.Tensor2D, b: kernel, bias: biases[l], activation: relu[l] ? 'relu' : 'linear' })));
    const logits = inputs.pop()!;
    const reconstruction = tf.sigmoid(tf.clipByValue(logits, -LOGIT_LIMIT, LOGIT_LIMIT));
    const error = tf.sub(reconstruction, x);
    const scale = 1 / (batchRows * IMAGE_SIZE);
    const inside = tf.logicalAnd(tf.greaterEqual(logits, -LOGIT_LIMIT), tf.lessEqual(logits, LOGIT_LIMIT));
    let delta: tf.Tensor = tf.where(inside, tf.mul(tf.mul(tf.step(error, -1), scale), tf.mul(reconstruction, tf.sub(1, reconstruction))), tf.zerosLike(logits));
    const grads: tf.Tensor[] = [];
    for (let l = kernels.length - 1; l >= 0; l--) {
      grads[2 * l] = tf.matMul(inputs[l], delta, true, false);
      grads[2 * l + 1] = tf.sum(delta, 0);
      if (l === 0) break; // nobody needs the gradient with respect to the images
      const back: tf.Tensor = tf.matMul(delta, kernels[l], false, true);
      delta = relu[l - 1] ? tf.mul(back, tf.step(inputs[l])) : back;
    }
    return { loss: tf.mul(tf.sum(tf.abs(error)), scale), grads };
  });
  let offset = 0;
  for (const g of grads) {
    out.set(g.dataSync() as Float32Array, offset);
    offset += g.size;
  }
  const value = loss.dataSync()[0];
  tf.dispose([loss, ...grads]);
  return value;
}
