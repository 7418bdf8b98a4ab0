/**
 * dis_net: a small convolutional network giving the probability that a 28×28 image is clear (not
 * blurred). Trained on the training images, each batch half clear and half blurred, with a fresh
 * random choice of which half per batch; judged on every test image both clear and blurred.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DisNetConfig, DisNetEpoch, DisNetSummary } from '../../shared/protocol';
import { IMAGE_SIDE, IMAGE_SIZE, MnistSplit } from '../data/mnist';
import { blurImages } from '../data/blur';
import { createRng, shuffledIndices } from '../random';

export interface DisNetHooks {
  signal: AbortSignal;
  onBatch(epoch: number, batch: number, batches: number, loss: number): void;
  onEpoch(metrics: DisNetEpoch): void | Promise<void>;
}

export function buildDisNet(seed: number): tfl.Sequential {
  let layerIndex = 0;
  const init = () => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed: (seed * 977 + ++layerIndex) >>> 0 }), biasInitializer: 'zeros' as const });
  const model = tfl.sequential({ name: 'dis_net' });
  model.add(tfl.layers.reshape({ targetShape: [IMAGE_SIDE, IMAGE_SIDE, 1], inputShape: [IMAGE_SIZE], name: 'to_image' }));
  model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv_1', ...init() }));
  model.add(tfl.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv_2', ...init() }));
  model.add(tfl.layers.flatten({ name: 'flat' }));
  model.add(tfl.layers.dense({ units: 1, activation: 'linear', name: 'clear_logit', ...init() }));
  return model;
}

/**
 * The judge of Q2b: told clear from blurred like dis_net, but with its own architecture (5×5 filters at
 * full resolution, then a 3×3 stride-2 layer, averaged over the whole image) and seed, and never used in
 * training, so that artefacts that fool dis_net need not fool it.
 */
export function buildJudge(seed: number): tfl.Sequential {
  let layerIndex = 0;
  const init = () => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed: (seed * 613 + ++layerIndex) >>> 0 }), biasInitializer: 'zeros' as const });
  const model = tfl.sequential({ name: 'judge' });
  model.add(tfl.layers.reshape({ targetShape: [IMAGE_SIDE, IMAGE_SIDE, 1], inputShape: [IMAGE_SIZE], name: 'to_image' }));
  model.add(tfl.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', name: 'conv_1', ...init() }));
  model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv_2', ...init() }));
  model.add(tfl.layers.globalAveragePooling2d({ name: 'pool' }));
  model.add(tfl.layers.dense({ units: 1, activation: 'linear', name: 'clear_logit', ...init() }));
  return model;
}

/** Probability that each image is clear. Call inside tf.tidy. */
export function clearProbability(model: tfl.LayersModel, x: tf.Tensor): tf.Tensor {
  return tf.sigmoid(tf.reshape(model.apply(x) as tf.Tensor, [-1]));
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Confusion counts on every test image, clear and blurred: rows truth (clear, blurred), columns prediction. */
export async function evaluateDisNet(model: tfl.LayersModel, test: MnistSplit, config: DisNetConfig): Promise<{ accuracy: number; confusion: [[number, number], [number, number]] }> {
  let clearAsClear = 0;
  let blurredAsClear = 0;
  for (let start = 0; start < test.count; start += 1000) {
    const n = Math.min(1000, test.count - start);
    const counts = tf.tidy(() => {
      const x = tf.tensor2d(test.images.subarray(start * IMAGE_SIZE, (start + n) * IMAGE_SIZE), [n, IMAGE_SIZE]);
      const saysClear = (images: tf.Tensor) => tf.sum(tf.cast(tf.greaterEqual(clearProbability(model, images), 0.5), 'float32'));
      return tf.stack([saysClear(x), saysClear(blurImages(x, config.blur))]);
    });
    const [c, b] = await counts.data();
    counts.dispose();
    clearAsClear += c;
    blurredAsClear += b;
    await yieldToEventLoop();
  }
  const confusion: [[number, number], [number, number]] = [
    [clearAsClear, test.count - clearAsClear],
    [blurredAsClear, test.count - blurredAsClear],
  ];
  return { accuracy: (clearAsClear + test.count - blurredAsClear) / (2 * test.count), confusion };
}

export interface DisNetResult {
  model: tfl.LayersModel;
  summary: DisNetSummary;
  cancelled: boolean;
}

/** Trains dis_net, or with `build` = buildJudge the judge. */
export async function trainDisNet(config: DisNetConfig, train: MnistSplit, test: MnistSplit, hooks: DisNetHooks, build = buildDisNet): Promise<DisNetResult> {
  const model = build(config.seed);
  const optimizer = tf.train.adam(config.learningRate);
  const rng = createRng(config.seed);
  const batches = Math.ceil(train.count / config.batchSize);
  const buffer = new Float32Array(config.batchSize * IMAGE_SIZE);
  let epochsCompleted = 0;
  let last: Awaited<ReturnType<typeof evaluateDisNet>> | undefined;
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const started = performance.now();
      const order = shuffledIndices(train.count, rng);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (hooks.signal.aborted) return { model, summary: { kind: 'disnet', epochsCompleted }, cancelled: true };
        const indices = order.subarray(b * config.batchSize, Math.min((b + 1) * config.batchSize, train.count));
        const n = indices.length;
        for (let i = 0; i < n; i++) buffer.set(train.images.subarray(indices[i] * IMAGE_SIZE, (indices[i] + 1) * IMAGE_SIZE), i * IMAGE_SIZE);
        // Which half of this batch is blurred: a fresh random choice every batch.
        const blurredFirst = shuffledIndices(n, rng);
        const isClear = new Float32Array(n).fill(1);
        for (let i = 0; i < Math.floor(n / 2); i++) isClear[blurredFirst[i]] = 0;
        const loss = tf.tidy(() => {
          const x = tf.tensor2d(buffer.subarray(0, n * IMAGE_SIZE), [n, IMAGE_SIZE]);
          const clear = tf.tensor2d(isClear, [n, 1]);
          const input = tf.add(tf.mul(x, clear), tf.mul(blurImages(x, config.blur), tf.sub(1, clear)));
          return optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(clear, model.apply(input, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
        });
        const value = (await loss.data())[0];
        loss.dispose();
        lossSum += value * n;
        hooks.onBatch(epoch, b + 1, batches, value);
        await yieldToEventLoop();
      }
      last = await evaluateDisNet(model, test, config);
      epochsCompleted = epoch;
      await hooks.onEpoch({ epoch, trainLoss: lossSum / train.count, testAccuracy: last.accuracy, seconds: (performance.now() - started) / 1000 });
    }
    return { model, summary: { kind: 'disnet', epochsCompleted, testAccuracy: last?.accuracy, confusion: last?.confusion }, cancelled: false };
  } finally {
    optimizer.dispose();
  }
}
