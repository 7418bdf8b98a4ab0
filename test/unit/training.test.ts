import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { AutoencoderConfig } from '../../src/shared/jobs/specs';
import { initBackend } from '../../src/engine/backend';
import { loadMnist } from '../../src/engine/data/mnist';
import { loadModel, saveModel } from '../../src/engine/training/modelFiles';
import { TrainHooks, trainAutoencoder } from '../../src/engine/training/trainAutoencoder';

const config: AutoencoderConfig = { architecture: 'dense', latent: 8, epochs: 2, batchSize: 64, learningRate: 0.002, warmupSteps: 0, outputInit: 'meanImage', trainImages: 512, testImages: 256, seed: 5 };
const train = loadMnist('train', undefined, config.trainImages);
const test10 = loadMnist('test', undefined, config.testImages);

before(async () => {
  await initBackend('wasm');
});

function recorder(signal = new AbortController().signal) {
  const losses: number[] = [];
  const epochs: number[] = [];
  const hooks: TrainHooks = { signal, onBatch: (_e, _b, _n, loss) => losses.push(loss), onEpoch: (m) => void epochs.push(m.testL1) };
  return { hooks, losses, epochs };
}

test('L1 falls while training on 512 images, and tensors do not leak between epochs', async () => {
  const r = recorder();
  const tensorsBefore = tf.memory().numTensors;
  const tensorsAtEpochEnd: number[] = [];
  const result = await trainAutoencoder({ ...config, epochs: 3 }, train, test10, { ...r.hooks, onEpoch: (m) => void (r.epochs.push(m.testL1), tensorsAtEpochEnd.push(tf.memory().numTensors)) });
  assert.equal(new Set(tensorsAtEpochEnd).size, 1, `tensors after each epoch: ${tensorsAtEpochEnd}`);
  assert.equal(r.losses.length, 3 * 8);
  const first = r.losses.slice(0, 3).reduce((a, b) => a + b) / 3;
  const last = r.losses.slice(-3).reduce((a, b) => a + b) / 3;
  assert.ok(last < first * 0.8, `loss fell from ${first} to ${last}`);
  // An untrained sigmoid decoder outputs ~0.5 everywhere: test L1 ≈ 0.45.
  assert.ok(r.epochs.every((l1) => l1 < 0.2), `test L1 after each epoch: ${r.epochs}`);
  assert.equal(result.summary.epochsCompleted, 3);
  const weights = result.model.getWeights().length;
  result.model.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, `leaked ${tf.memory().numTensors - tensorsBefore} tensors (model has ${weights} weights)`);
});

test('the same seed gives the same losses; another seed does not', async () => {
  const runs = [];
  for (const seed of [5, 5, 6]) {
    const r = recorder();
    const result = await trainAutoencoder({ ...config, epochs: 1, seed }, train, test10, r.hooks);
    result.model.dispose();
    runs.push(r.losses);
  }
  assert.deepEqual(runs[0], runs[1]);
  assert.notDeepEqual(runs[0], runs[2]);
});

test('cancelling stops within one batch and reports it', async () => {
  const controller = new AbortController();
  let batches = 0;
  const hooks: TrainHooks = {
    signal: controller.signal,
    onBatch: () => {
      if (++batches === 3) controller.abort();
    },
    onEpoch: () => assert.fail('no epoch should complete'),
  };
  const result = await trainAutoencoder({ ...config, epochs: 50 }, train, test10, hooks);
  result.model.dispose();
  assert.equal(result.cancelled, true);
  assert.equal(batches, 3);
  assert.equal(result.summary.epochsCompleted, 0);
});

test('a saved model loads back and reconstructs identically', async () => {
  const r = recorder();
  const { model } = await trainAutoencoder({ ...config, epochs: 1 }, train, test10, r.hooks);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-'));
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  const x = tf.tensor2d(test10.images.subarray(0, 10 * 784), [10, 784]);
  const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
  assert.deepEqual(await a.data(), await b.data());
  assert.equal(loaded.layers.find((l) => l.name === 'latent')?.outputShape.at(-1), config.latent);
  tf.dispose([x, a, b]);
  model.dispose();
  loaded.dispose();
});
