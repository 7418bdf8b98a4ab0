/** What every thread of a data-parallel trainer does with its own tfjs model: load weights, take a gradient. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE } from '../../data/mnist';
import { reconstruct } from '../autoencoderModel';

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

/**
 * The gradient of this thread's share of the batch's mean L1: the sum over its `rows` divided by the
 * whole batch's pixel count, so the threads' gradients add up to the gradient of the batch's mean.
 * Writes it flat into `out` and returns this share of the loss.
 */
export function partialGradient(model: tfl.LayersModel, variables: tf.Variable[], input: Float32Array, rows: number, batchRows: number, out: Float32Array): number {
  const x = tf.tensor2d(input.subarray(0, rows * IMAGE_SIZE), [rows, IMAGE_SIZE]);
  const { value, grads } = tf.variableGrads(() => tf.div(tf.sum(tf.abs(tf.sub(reconstruct(model, x, true), x))), batchRows * IMAGE_SIZE) as tf.Scalar, variables);
  let offset = 0;
  for (const v of variables) {
    out.set(grads[v.name].dataSync() as Float32Array, offset);
    offset += v.size;
  }
  const loss = value.dataSync()[0];
  tf.dispose([x, value, ...Object.values(grads)]);
  return loss;
}
