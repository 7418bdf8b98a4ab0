/**
 * Forward passes over many images for evaluation and analysis: the autoencoder's reconstructions,
 * latents and error sums, and a classifier's clear probabilities. On ONNX Runtime's evaluation graphs
 * when that engine runs (the weights are read from the tfjs model, the saved form), else on tfjs; in
 * chunks, yielding to the event loop between them so heartbeats and cancels go through.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BlurConfig } from '../../shared/jobs/specs';
import { graphRuntime } from '../backend/graphRuntime';
import { blurImages } from '../data/blur';
import { IMAGE_SIZE } from '../data/mnist';
import { Feeds } from '../graphs/session';
import { AE_PREFIX, DIS_PREFIX, autoencoderEval, classifierEval, slotNames } from '../graphs/steps';
import { describeNetwork, readParameters } from '../graphs/network';
import { encode, reconstruct } from './autoencoderModel';
import { yieldToEventLoop } from '../eventLoop';

const CHUNK = 1000;

export interface AutoencoderPass {
  /** Reconstructions, [count, 784], when asked for. */
  images?: Float32Array;
  /** Latent codes, [count, latent], when asked for. */
  latents?: Float32Array;
  /** Σ |reconstruction − original| over every pixel of every image. */
  l1Sum: number;
  /** Per pixel, the sum over images of the reconstruction and of its square. */
  pixelSum: Float64Array;
  pixelSquares: Float64Array;
}

function parameterFeeds(model: tfl.LayersModel, prefix: string): Feeds {
  const names = slotNames(prefix, model.getWeights().length).p;
  const feeds: Feeds = {};
  readParameters(model).forEach((p, i) => (feeds[names[i]] = p));
  return feeds;
}

export async function runAutoencoder(model: tfl.LayersModel, data: Float32Array, count: number, want: { images?: boolean; latents?: boolean } = {}): Promise<AutoencoderPass> {
  const runtime = graphRuntime();
  const net = runtime && describeNetwork(model);
  const latentSize = want.latents ? (model.getLayer('latent').outputShape as number[])[1] : 0;
  const pass: AutoencoderPass = {
    images: want.images ? new Float32Array(count * IMAGE_SIZE) : undefined,
    latents: want.latents ? new Float32Array(count * latentSize) : undefined,
    l1Sum: 0,
    pixelSum: new Float64Array(IMAGE_SIZE),
    pixelSquares: new Float64Array(IMAGE_SIZE),
  };
  const params = runtime && parameterFeeds(model, AE_PREFIX);
  const key = runtime && JSON.stringify(net);
  const fetch = ['l1Sum', 'pixelSum', 'pixelSquares', ...(want.images ? ['image'] : []), ...(want.latents ? ['latent'] : [])];
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const x = data.subarray(start * IMAGE_SIZE, (start + n) * IMAGE_SIZE);
    let chunk: { l1Sum: number; pixelSum: ArrayLike<number>; pixelSquares: ArrayLike<number>; image?: Float32Array; latent?: Float32Array };
    if (runtime) {
      const graph = await runtime.graph(`ae_eval:${n}:${key}`, () => autoencoderEval(net!, n));
      const out = await graph.run({ ...params, x }, fetch);
      chunk = { l1Sum: out.l1Sum[0], pixelSum: out.pixelSum, pixelSquares: out.pixelSquares, image: out.image, latent: out.latent };
    } else {
      chunk = await tfjsChunk(model, x, n, want);
    }
    pass.l1Sum += chunk.l1Sum;
    for (let p = 0; p < IMAGE_SIZE; p++) {
      pass.pixelSum[p] += chunk.pixelSum[p];
      pass.pixelSquares[p] += chunk.pixelSquares[p];
    }
    if (chunk.image) pass.images!.set(chunk.image, start * IMAGE_SIZE);
    if (chunk.latent) pass.latents!.set(chunk.latent, start * latentSize);
    await yieldToEventLoop();
  }
  return pass;
}

async function tfjsChunk(model: tfl.LayersModel, x: Float32Array, n: number, want: { images?: boolean; latents?: boolean }) {
  const [r, z, l1, pixelSum, pixelSquares] = tf.tidy(() => {
    const input = tf.tensor2d(x, [n, IMAGE_SIZE]);
    const recon = reconstruct(model, input);
    return [recon, want.latents ? encode(model, input) : tf.zeros([0]), tf.sum(tf.abs(tf.sub(recon, input))), tf.sum(recon, 0), tf.sum(tf.square(recon), 0)];
  });
  try {
    return {
      l1Sum: (await l1.data())[0],
      pixelSum: await pixelSum.data(),
      pixelSquares: await pixelSquares.data(),
      image: want.images ? ((await r.data()) as Float32Array) : undefined,
      latent: want.latents ? ((await z.data()) as Float32Array) : undefined,
    };
  } finally {
    tf.dispose([r, z, l1, pixelSum, pixelSquares]);
  }
}

/** Probability that each image is clear. Call inside tf.tidy. */
function clearProbability(model: tfl.LayersModel, x: tf.Tensor): tf.Tensor {
  return tf.sigmoid(tf.reshape(model.apply(x) as tf.Tensor, [-1]));
}

/** The mean of clearProbabilities: how clear `model` (dis_net or the judge) finds the images. */
export async function meanClearScore(model: tfl.LayersModel, images: Float32Array, count: number): Promise<number> {
  const { clear } = await clearProbabilities(model, images, count);
  return clear.reduce((s, p) => s + p, 0) / count;
}

/** The classifier's probability that each image is clear and, with a blur, that its blurred copy is. */
export async function clearProbabilities(model: tfl.LayersModel, data: Float32Array, count: number, blur?: BlurConfig): Promise<{ clear: Float32Array; blurredClear?: Float32Array }> {
  const runtime = graphRuntime();
  const net = runtime && describeNetwork(model);
  const params = runtime && parameterFeeds(model, DIS_PREFIX);
  const key = runtime && JSON.stringify([net, blur]);
  const clear = new Float32Array(count);
  const blurredClear = blur ? new Float32Array(count) : undefined;
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const x = data.subarray(start * IMAGE_SIZE, (start + n) * IMAGE_SIZE);
    if (runtime) {
      const graph = await runtime.graph(`cls_eval:${n}:${key}`, () => classifierEval(net!, n, blur));
      const out = await graph.run({ ...params, x }, blur ? ['clear', 'blurredClear'] : ['clear']);
      clear.set(out.clear, start);
      blurredClear?.set(out.blurredClear, start);
    } else {
      const [c, b] = tf.tidy(() => {
        const input = tf.tensor2d(x, [n, IMAGE_SIZE]);
        return [clearProbability(model, input), blur ? clearProbability(model, blurImages(input, blur)) : tf.zeros([0])];
      });
      clear.set(await c.data(), start);
      if (blurredClear) blurredClear.set(await b.data(), start);
      tf.dispose([c, b]);
    }
    await yieldToEventLoop();
  }
  return { clear, blurredClear };
}
