import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { AutoencoderConfig } from '../../src/shared/protocol';
import { initBackend } from '../../src/engine/backend';
import { loadMnist } from '../../src/engine/data/mnist';
import { buildDenseAutoencoder, reconstruct } from '../../src/engine/training/autoencoderModel';
import { Replica, parameterCount, segmentsOf, transposeKernels } from '../../src/engine/training/parallel/replica';
import { ADAM_BETA1, ADAM_BETA2, adamStep } from '../../src/engine/training/parallel/adam';
import { adamKernel } from '../../src/engine/training/parallel/adamSimd';
import { DataParallelTrainer, dataParallelAvailable } from '../../src/engine/training/parallel/dataParallel';
import { TrainHooks, trainAutoencoder } from '../../src/engine/training/trainAutoencoder';

// 301 images in batches of 64: the last batch has 45 rows, which two threads split 23 + 22. The default
// rate: at twice it, one of Adam's near-zero gradients flips sign by rounding on the last step here.
const config: AutoencoderConfig = { architecture: 'dense', latent: 8, epochs: 2, batchSize: 64, learningRate: 0.001, warmupSteps: 4, outputInit: 'meanImage', trainImages: 301, testImages: 100, seed: 9 };
const train = loadMnist('train', undefined, config.trainImages);
const testSet = loadMnist('test', undefined, config.testImages);

before(async () => {
  await initBackend('wasm');
});

async function losses(threads: 1 | 2) {
  const seen: number[] = [];
  const hooks: TrainHooks = { signal: new AbortController().signal, onBatch: (_e, _b, _n, loss) => seen.push(loss), onEpoch: () => undefined };
  const { model, summary } = await trainAutoencoder(config, train, testSet, hooks, { threads });
  const weights = await Promise.all(model.getWeights().map((w) => w.data()));
  model.dispose();
  return { seen, weights, summary };
}

test('this machine trains the dense model on two threads (the rest of this file depends on it)', () => {
  assert.ok(dataParallelAvailable('wasm'), 'needs the wasm backend and at least two cores');
  assert.equal(dataParallelAvailable('cpu'), false);
});

test('two threads train the same model as one, to float32 rounding', async () => {
  const one = await losses(1);
  const two = await losses(2);
  assert.equal(two.seen.length, one.seen.length);
  two.seen.forEach((loss, i) => assert.ok(Math.abs(loss - one.seen[i]) <= 1e-4 * one.seen[i], `batch ${i + 1}: ${loss} against ${one.seen[i]}`));
  // Adam divides by √v: where a gradient is near zero, rounding can change a step by up to the learning
  // rate. So a few weights move apart by at most that, and almost all agree to rounding.
  let largest = 0;
  let apart = 0;
  let count = 0;
  two.weights.forEach((w, i) =>
    w.forEach((x, j) => {
      const d = Math.abs(x - one.weights[i][j]);
      largest = Math.max(largest, d);
      apart += d > 1e-5 ? 1 : 0;
      count++;
    }),
  );
  const steps = two.seen.length;
  assert.ok(largest <= steps * config.learningRate, `largest weight difference ${largest}`);
  assert.ok(apart / count < 0.01, `${apart} of ${count} weights differ by more than 1e-5`);
  assert.ok(Math.abs(two.summary.finalTestL1! - one.summary.finalTestL1!) < 1e-4);
  // ... and two runs on two threads agree exactly: the split and the order of every sum are fixed.
  assert.deepEqual((await losses(2)).seen, two.seen);
});

test('the written-out backward pass gives the gradient tfjs autodiff gives for the same loss', () => {
  const model = buildDenseAutoencoder(8, 3);
  const replica = new Replica(model);
  const [outputKernel] = replica.variables.slice(-2);
  const rows = 40;
  const input = train.images.slice(0, rows * 784);
  // A scaled-up output layer puts some logits beyond the ±15 clip, so that branch is exercised too.
  outputKernel.assign(tf.mul(outputKernel, 500));
  const beyond = tf.tidy(() => tf.sum(tf.cast(tf.greater(tf.abs(model.apply(tf.tensor2d(input, [rows, 784])) as tf.Tensor), 15), 'float32')).dataSync()[0]);
  assert.ok(beyond > 0 && beyond < rows * 784, `${beyond} logits beyond the clip`);
  const count = parameterCount(replica.segments);
  const params = new Float32Array(count);
  const transposed = new Float32Array(count);
  replica.store(params);
  transposeKernels(replica.segments, params, transposed, 0, count);
  replica.load(params, transposed);
  const ours = new Float32Array(count);
  const loss = replica.gradient(input, rows, 64, ours);
  const x = tf.tensor2d(input, [rows, 784]);
  const { value, grads } = tf.variableGrads(() => tf.div(tf.sum(tf.abs(tf.sub(reconstruct(model, x, true), x))), 64 * 784) as tf.Scalar, replica.variables);
  assert.ok(Math.abs(value.dataSync()[0] - loss) < 1e-6 * loss, `loss ${loss} against ${value.dataSync()[0]}`);
  let largest = 0;
  let scale = 0;
  replica.variables.forEach((v, i) => {
    grads[v.name].dataSync().forEach((g, j) => {
      largest = Math.max(largest, Math.abs(g - ours[replica.segments[i].offset + j]));
      scale = Math.max(scale, Math.abs(g));
    });
  });
  assert.ok(scale > 0 && largest <= 1e-6 * scale, `largest difference ${largest}, largest gradient ${scale}`);
  tf.dispose([x, value, ...Object.values(grads)]);
  replica.dispose();
  model.dispose();
});

test('the kernels are transposed by whichever thread owns their range, biases and the first kernel not at all', () => {
  const shapes = [[3, 4], [4], [4, 2], [2]];
  const variables = shapes.map((shape) => tf.variable(tf.reshape(tf.range(0, shape.reduce((a, b) => a * b)), shape)));
  const segments = segmentsOf(variables);
  const params = new Float32Array(parameterCount(segments));
  params.set(variables.flatMap((v) => [...v.dataSync()]));
  const transposed = new Float32Array(params.length).fill(-1);
  transposeKernels(segments, params, transposed, 0, 16); // the first two variables only: nothing to do
  assert.ok(transposed.every((t) => t === -1));
  transposeKernels(segments, params, transposed, 16, params.length);
  assert.deepEqual([...transposed.subarray(16, 24)], [0, 2, 4, 6, 1, 3, 5, 7]);
  tf.dispose(variables);
});

test('the shared Adam step (SIMD kernel and scalar tail) is tfjs Adam step for step', () => {
  // 1,003 values from an odd offset: unaligned SIMD lanes plus a scalar remainder of 2.
  const n = 1003;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const [params, m, v, g0, g1] = [0, 1, 2, 3, 4].map((k) => new Float32Array(memory.buffer, 4 * (1 + k * n), n));
  const start = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  params.set(start);
  const variable = tf.variable(tf.tensor1d(start));
  const optimizer = tf.train.adam(0.01, ADAM_BETA1, ADAM_BETA2);
  const kernel = adamKernel(memory);
  for (let t = 1; t <= 5; t++) {
    g0.set(Float32Array.from({ length: n }, (_, i) => Math.cos(i * t) / 2));
    g1.set(Float32Array.from({ length: n }, (_, i) => Math.sin(i + t) / 3));
    adamStep(kernel, { params, m, v }, [g0, g1], 0, n, t, 0.01);
    optimizer.applyGradients({ [variable.name]: tf.add(tf.tensor1d(g0), tf.tensor1d(g1)) });
  }
  const expected = variable.dataSync();
  let largest = 0;
  params.forEach((x, i) => (largest = Math.max(largest, Math.abs(x - expected[i]))));
  assert.ok(largest < 1e-6, `largest difference ${largest}`);
  assert.ok(Math.abs(params[n - 1] - start[n - 1]) > 0.01, 'the scalar tail was updated too');
  variable.dispose();
  optimizer.dispose();
});

test('a worker that cannot build the model fails the start with its reason', async () => {
  const model = buildDenseAutoencoder(16, 1);
  await assert.rejects(DataParallelTrainer.start(model, 8, 64), /gradient worker did not start: the replica has \d+ parameters, the trainer \d+/);
  model.dispose();
});

test('when the worker cannot start, training goes on on one thread and says why', async () => {
  const warnings: string[] = [];
  const original = DataParallelTrainer.start;
  DataParallelTrainer.start = () => Promise.reject(new Error('no worker here'));
  try {
    const hooks: TrainHooks = { signal: new AbortController().signal, onBatch: () => undefined, onEpoch: () => undefined, onWarning: (m) => warnings.push(m) };
    const { model, summary } = await trainAutoencoder({ ...config, epochs: 1 }, train, testSet, hooks);
    model.dispose();
    assert.equal(summary.epochsCompleted, 1);
  } finally {
    DataParallelTrainer.start = original;
  }
  assert.deepEqual(warnings.filter((w) => !w.includes('collapsed')), ['Training on one thread: no worker here']);
});
