import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { DisNetConfig } from '../../src/shared/jobs/specs';
import { initBackend } from '../../src/engine/backend';
import { blurImages } from '../../src/engine/data/blur';
import { gaussianKernel, kernelSizeOf } from '../../src/engine/data/gaussian';
import { loadMnist } from '../../src/engine/data/mnist';
import { buildDisNet, buildJudge, trainDisNet } from '../../src/engine/training/disNet';

before(async () => {
  await initBackend('wasm');
});

test('the Gaussian kernel: odd size covering 3σ each side, symmetric, summing to 1', () => {
  assert.equal(kernelSizeOf({ sigma: 1, kernelSize: 0 }), 7);
  assert.equal(kernelSizeOf({ sigma: 0.5, kernelSize: 0 }), 5);
  assert.equal(kernelSizeOf({ sigma: 1, kernelSize: 3 }), 3);
  const k = gaussianKernel({ sigma: 1, kernelSize: 0 });
  assert.ok(Math.abs(k.reduce((s, w) => s + w, 0) - 1) < 1e-6);
  for (let i = 0; i < 3; i++) assert.equal(k[i], k[6 - i]);
  assert.ok(Math.abs(k[3] / k[4] - Math.exp(0.5)) < 1e-5, 'neighbouring weights differ by e^(1/2σ²)');
});

test('blurring a single bright pixel draws the kernel’s outer product around it', async () => {
  const delta = new Float32Array(784);
  delta[14 * 28 + 14] = 1;
  const out = tf.tidy(() => blurImages(tf.tensor2d(delta, [1, 784]), { sigma: 1, kernelSize: 0 }));
  const image = (await out.data()) as Float32Array;
  out.dispose();
  const k = gaussianKernel({ sigma: 1, kernelSize: 0 });
  for (let dy = -3; dy <= 3; dy++) {
    for (let dx = -3; dx <= 3; dx++) {
      assert.ok(Math.abs(image[(14 + dy) * 28 + 14 + dx] - k[dy + 3] * k[dx + 3]) < 1e-6, `offset ${dy},${dx}`);
    }
  }
  assert.ok(Math.abs(image.reduce((s, v) => s + v, 0) - 1) < 1e-5, 'blur keeps the total brightness');
  assert.equal(image[14 * 28 + 18], 0, 'nothing beyond the kernel');
});

test('dis_net learns clear from blurred on a small subset: accuracy well above chance, no leaks', async () => {
  const config: DisNetConfig = { blur: { sigma: 1, kernelSize: 0 }, epochs: 2, batchSize: 64, learningRate: 0.003, trainImages: 2048, testImages: 500, seed: 2 };
  const train = loadMnist('train', undefined, config.trainImages);
  const test = loadMnist('test', undefined, config.testImages);
  const tensorsBefore = tf.memory().numTensors;
  const accuracies: number[] = [];
  const result = await trainDisNet(config, train, test, { signal: new AbortController().signal, onBatch: () => undefined, onEpoch: (m) => void accuracies.push(m.testAccuracy) });
  assert.equal(accuracies.length, 2);
  assert.ok(result.summary.testAccuracy! > 0.9, `test accuracy ${result.summary.testAccuracy}`);
  const [[clearAsClear, clearAsBlurred], [blurredAsClear, blurredAsBlurred]] = result.summary.confusion!;
  assert.equal(clearAsClear + clearAsBlurred, 500);
  assert.equal(blurredAsClear + blurredAsBlurred, 500);
  assert.equal((clearAsClear + blurredAsBlurred) / 1000, result.summary.testAccuracy);
  result.model.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore);
});

test('the judge is a different network that also learns clear from blurred', async () => {
  const config: DisNetConfig = { blur: { sigma: 1, kernelSize: 0 }, epochs: 2, batchSize: 64, learningRate: 0.003, trainImages: 2048, testImages: 500, seed: 3 };
  const train = loadMnist('train', undefined, config.trainImages);
  const test = loadMnist('test', undefined, config.testImages);
  const result = await trainDisNet(config, train, test, { signal: new AbortController().signal, onBatch: () => undefined, onEpoch: () => undefined }, buildJudge);
  const disNet = buildDisNet(config.seed);
  assert.notDeepEqual(result.model.layers.map((l) => l.getClassName()), disNet.layers.map((l) => l.getClassName()), 'its own architecture');
  assert.ok(result.summary.testAccuracy! > 0.9, `test accuracy ${result.summary.testAccuracy}`);
  result.model.dispose();
  disNet.dispose();
});
