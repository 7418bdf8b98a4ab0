/**
 * A tfjs model and its Adam optimizer as a checkpoint's network state, and back: the state's tensors
 * are in the graphs' layout, so a checkpoint is the same whichever engine wrote it. The optimizer's
 * moments follow the order of the variables it minimizes, which must be the model's trainable weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readParameters, toGraphKernel, toModelKernel, writeParameters } from '../graphs/network';
import { NetworkState } from '../../runs/checkpoints';

/** tfjs keeps β1^t and β2^t as products; its setWeights recomputes them as powers, which differ in the last bits. */
type AdamInternals = { accBeta1: tf.Variable; accBeta2: tf.Variable };

export async function exportTfjsAdam(model: tfl.LayersModel, optimizer: tf.Optimizer): Promise<NetworkState> {
  const params = readParameters(model);
  const shapes = model.trainableWeights.map((w) => w.shape as number[]);
  const [iterations, ...moments] = await optimizer.getWeights();
  const toGraph = (t: tf.Tensor, i: number) => {
    const values = Float32Array.from(t.dataSync() as Float32Array);
    return shapes[i].length === 4 ? toGraphKernel(values, shapes[i]) : values;
  };
  // Before the first step the optimizer has no moments yet: zeros, as it would start them.
  const half = moments.length / 2;
  const m = half ? moments.slice(0, half).map((w, i) => toGraph(w.tensor, i)) : params.map((p) => new Float32Array(p.length));
  const v = half ? moments.slice(half).map((w, i) => toGraph(w.tensor, i)) : params.map((p) => new Float32Array(p.length));
  if (m.length !== params.length) throw new Error(`${model.name}: the optimizer holds moments for ${m.length} tensors, the model has ${params.length}`);
  const steps = (await iterations.tensor.data())[0];
  iterations.tensor.dispose(); // made for this call; the moments are the optimizer's own variables
  const { accBeta1, accBeta2 } = optimizer as unknown as AdamInternals;
  return { params, m, v, steps, accBeta: [accBeta1.dataSync()[0], accBeta2.dataSync()[0]] };
}

/** Sets the model's weights and the (fresh) optimizer's moments, steps and running powers. */
export async function importTfjsAdam(model: tfl.LayersModel, optimizer: tf.Optimizer, state: NetworkState): Promise<void> {
  writeParameters(model, state.params);
  const variables = model.trainableWeights;
  const toModel = (values: Float32Array, i: number) => {
    const shape = variables[i].shape as number[];
    return tf.tensor(shape.length === 4 ? toModelKernel(values, shape) : values, shape);
  };
  const weights: { name: string; tensor: tf.Tensor }[] = [
    { name: 'iter', tensor: tf.scalar(state.steps, 'int32') },
    ...state.m.map((m, i) => ({ name: `${variables[i].name}/m`, tensor: toModel(m, i) })),
    ...state.v.map((v, i) => ({ name: `${variables[i].name}/v`, tensor: toModel(v, i) })),
  ];
  await optimizer.setWeights(weights);
  tf.dispose(weights.map((w) => w.tensor));
  if (state.accBeta) {
    const internals = optimizer as unknown as AdamInternals;
    tf.tidy(() => {
      internals.accBeta1.assign(tf.scalar(state.accBeta![0]));
      internals.accBeta2.assign(tf.scalar(state.accBeta![1]));
    });
  }
}
