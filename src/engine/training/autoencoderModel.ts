/**
 * The default dense autoencoder: 784-512-128-L-128-512-784, ReLU inside, sigmoid output.
 * The model itself ends in logits; `reconstruct` applies the sigmoid to logits clipped to ±15. L1 pushes
 * background pixels' logits without bound, and past about −87 the sigmoid's gradient is a subnormal
 * float32, which wasm arithmetic handles about 4× slower. The clip bounds outputs to
 * [3.1e-7, 1 − 3.1e-7] and zeroes only gradients that were below 3.1e-7 times their upstream value.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE, MnistSplit } from '../data/mnist';

export const HIDDEN_UNITS = [512, 128] as const;
export const LOGIT_LIMIT = 15;
export const LATENT_LAYER = 'latent';

export function buildDenseAutoencoder(latent: number, seed: number): tfl.Sequential {
  // Each layer gets its own seed derived from the run's, so initial weights are reproducible.
  let layerIndex = 0;
  const dense = (units: number, activation: 'relu' | 'linear', name: string, inputDim?: number) =>
    tfl.layers.dense({
      units,
      activation,
      name,
      inputShape: inputDim ? [inputDim] : undefined,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: (seed * 131 + ++layerIndex) >>> 0 }),
      biasInitializer: 'zeros',
    });
  const model = tfl.sequential({ name: `autoencoder_L${latent}` });
  model.add(dense(HIDDEN_UNITS[0], 'relu', 'enc_1', IMAGE_SIZE));
  model.add(dense(HIDDEN_UNITS[1], 'relu', 'enc_2'));
  model.add(dense(latent, 'linear', LATENT_LAYER));
  model.add(dense(HIDDEN_UNITS[1], 'relu', 'dec_1'));
  model.add(dense(HIDDEN_UNITS[0], 'relu', 'dec_2'));
  model.add(dense(IMAGE_SIZE, 'linear', 'logits'));
  return model;
}

/**
 * Starts the output at the training images' mean (the logits of each pixel's mean, kept within
 * [0.01, 0.99]) instead of a uniform grey 0.5. From grey, L1's first steps push nearly every pixel
 * towards black at once; the quickest way there is to silence the ReLUs, after which the model draws
 * the per-pixel median image (black) for every input and, with the sigmoid saturated, never recovers
 * (collapse). From the mean image the errors start small and balanced. Works for any model whose last
 * bias is per pixel (dense) or a single value (conv, started at the mean intensity).
 */
export function startAtMeanImage(model: tfl.LayersModel, train: MnistSplit): void {
  const mean = new Float64Array(IMAGE_SIZE);
  for (let i = 0; i < train.count; i++) for (let p = 0; p < IMAGE_SIZE; p++) mean[p] += train.images[i * IMAGE_SIZE + p];
  const logit = (sum: number, count: number) => {
    const m = Math.min(0.99, Math.max(0.01, sum / count));
    return Math.log(m / (1 - m));
  };
  const last = [...model.layers].reverse().find((layer) => layer.getWeights().length === 2)!;
  const [kernel, bias] = last.getWeights();
  const values = bias.size === IMAGE_SIZE ? Array.from(mean, (sum) => logit(sum, train.count)) : [logit(mean.reduce((a, b) => a + b, 0), train.count * IMAGE_SIZE)];
  const start = tf.tensor1d(values);
  last.setWeights([kernel, start]);
  start.dispose();
}

/** Images in [0, 1] from a model that ends in logits. Call inside tf.tidy (or minimize). */
export function reconstruct(model: tfl.LayersModel, x: tf.Tensor, training = false): tf.Tensor {
  return tf.sigmoid(tf.clipByValue(model.apply(x, { training }) as tf.Tensor, -LOGIT_LIMIT, LOGIT_LIMIT));
}

/** The latent code: the model's layers up to and including the one named 'latent'. Call inside tf.tidy. */
export function encode(model: tfl.LayersModel, x: tf.Tensor): tf.Tensor {
  let h = x;
  for (const layer of model.layers) {
    h = layer.apply(h) as tf.Tensor;
    if (layer.name === LATENT_LAYER) return h;
  }
  throw new Error(`the model has no layer named "${LATENT_LAYER}"`);
}

/** Images in [0, 1] from latent codes: the layers after 'latent', then `reconstruct`'s clipped sigmoid. Call inside tf.tidy. */
export function decode(model: tfl.LayersModel, z: tf.Tensor): tf.Tensor {
  const after = model.layers.findIndex((layer) => layer.name === LATENT_LAYER) + 1;
  if (after === 0) throw new Error(`the model has no layer named "${LATENT_LAYER}"`);
  const logits = model.layers.slice(after).reduce((h, layer) => layer.apply(h) as tf.Tensor, z);
  return tf.sigmoid(tf.clipByValue(logits, -LOGIT_LIMIT, LOGIT_LIMIT));
}

/** Layers, output shapes and parameter counts, for the panel and the report. */
export function describeArchitecture(model: tfl.LayersModel): { layers: { name: string; type: string; outputShape: string; params: number }[]; totalParams: number } {
  const layers = model.layers.map((l) => ({
    name: l.name,
    type: l.getClassName(),
    outputShape: JSON.stringify(l.outputShape).replace(/null/g, 'batch'),
    params: l.countParams(),
  }));
  return { layers, totalParams: layers.reduce((s, l) => s + l.params, 0) };
}
