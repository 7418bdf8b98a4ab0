import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createProbes } from '../../src/engine/backend';
import { selectBackend } from '../../src/engine/backend/select';
import { installWasmConvKernels } from '../../src/engine/backend/wasmConvKernels';
import { IMAGE_SIZE, loadMnist } from '../../src/engine/data/mnist';
import { reconstruct } from '../../src/engine/training/autoencoderModel';
import { buildConvAutoencoder } from '../../src/engine/training/convAutoencoder';

before(async () => {
  await selectBackend('wasm', createProbes());
  installWasmConvKernels();
  installWasmConvKernels(); // idempotent
});

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  /** conv2dTranspose instead of conv2d: x is then its input and the output is [x, filter] reversed. */
  transpose?: boolean;
}

const cases: ConvCase[] = [
  { name: '3×3 stride 1 same', x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3×3 stride 2 same, odd size', x: [3, 9, 9, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { name: '3×3 stride 2 same, even size', x: [2, 14, 14, 4], filter: [3, 3, 4, 3], strides: 2, pad: 'same' },
  { name: '3×3 stride 2 valid', x: [2, 10, 11, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid' },
  { name: '2×3 stride 1 valid', x: [2, 7, 6, 2], filter: [2, 3, 2, 3], strides: 1, pad: 'valid' },
  { name: '5×5 stride 2 same (filter wider than two strides)', x: [2, 13, 12, 2], filter: [5, 5, 2, 3], strides: 2, pad: 'same' },
  { name: '1×1 stride 2 valid', x: [2, 7, 7, 3], filter: [1, 1, 3, 2], strides: 2, pad: 'valid' },
  { name: '3×3 strides [2, 1], explicit pads', x: [2, 9, 8, 2], filter: [3, 3, 2, 3], strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { name: '4×4 stride 3 same', x: [2, 11, 10, 2], filter: [4, 4, 2, 3], strides: 3, pad: 'same' },
  { name: '2×2 stride 2, pads wider than the filter', x: [2, 6, 7, 3], filter: [2, 2, 3, 2], strides: 2, pad: [[0, 0], [3, 1], [0, 4], [0, 0]] },
  { name: 'batch 1, one channel in and out', x: [1, 6, 6, 1], filter: [3, 3, 1, 1], strides: 2, pad: 'same' },
  { name: 'transposed 3×3 stride 2 same', x: [2, 7, 7, 4], filter: [3, 3, 3, 4], strides: 2, pad: 'same', transpose: true },
  { name: 'transposed 3×3 stride 2 valid', x: [2, 5, 6, 3], filter: [3, 3, 2, 3], strides: 2, pad: 'valid', transpose: true },
];

/** Deterministic values in [-1, 1), the same on every backend. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function outputShape(c: ConvCase): [number, number, number, number] {
  const [b, h, w] = c.x;
  const [sh, sw] = typeof c.strides === 'number' ? [c.strides, c.strides] : c.strides;
  const [fh, fw] = c.filter;
  if (c.transpose) {
    // Inverse of a forward conv from the output: 'same' → in·stride, 'valid' → (in−1)·stride + filter.
    return c.pad === 'same' ? [b, h * sh, w * sw, c.filter[2]] : [b, (h - 1) * sh + fh, (w - 1) * sw + fw, c.filter[2]];
  }
  const probe = tf.backend_util.computeConv2DInfo(c.x, c.filter, [sh, sw], 1, c.pad);
  return [b, probe.outHeight, probe.outWidth, c.filter[3]];
}

/** A weighted sum of the output, so that dy is not constant, and its gradients w.r.t. x and filter. */
function gradients(c: ConvCase, x: tf.Tensor4D, filter: tf.Tensor4D, weights: tf.Tensor4D): tf.Tensor[] {
  const f = (xx: tf.Tensor, ff: tf.Tensor) => {
    const y = c.transpose
      ? tf.conv2dTranspose(xx as tf.Tensor4D, ff as tf.Tensor4D, outputShape(c), c.strides, c.pad as 'same' | 'valid')
      : tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.strides, c.pad);
    return tf.sum(tf.mul(y, weights));
  };
  return tf.grads(f)([x, filter]);
}

async function onBackend(backend: string, c: ConvCase): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(values(tf.util.sizeFromShape(c.x), 1), c.x);
  const filter = tf.tensor4d(values(tf.util.sizeFromShape(c.filter), 2), c.filter);
  const shape = outputShape(c);
  const weights = tf.tensor4d(values(tf.util.sizeFromShape(shape), 3), shape);
  const forward = c.transpose
    ? tf.conv2dTranspose(x, filter, shape, c.strides, c.pad as 'same' | 'valid')
    : tf.conv2d(x, filter, c.strides, c.pad);
  const [dx, dFilter] = gradients(c, x, filter, weights);
  const out = [forward, dx, dFilter].map((t) => t.dataSync() as Float32Array);
  tf.dispose([x, filter, weights, forward, dx, dFilter]);
  return out;
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  assert.ok(worst <= 1e-4 * Math.max(scale, 1e-3), `${what}: largest difference ${worst} against values up to ${scale}`);
}

test('conv2d and conv2dTranspose gradients on wasm equal those on cpu', async () => {
  try {
    for (const c of cases) {
      const cpu = await onBackend('cpu', c);
      const wasm = await onBackend('wasm', c);
      ['output', 'd/dx', 'd/dfilter'].forEach((what, i) => assertClose(wasm[i], cpu[i], `${c.name}, ${what}`));
    }
  } finally {
    await tf.setBackend('wasm');
  }
});

test('the gradient kernels free every intermediate buffer', () => {
  for (const c of cases) {
    const x = tf.tensor4d(values(tf.util.sizeFromShape(c.x), 1), c.x);
    const filter = tf.tensor4d(values(tf.util.sizeFromShape(c.filter), 2), c.filter);
    const shape = outputShape(c);
    const weights = tf.tensor4d(values(tf.util.sizeFromShape(shape), 3), shape);
    // The backend's own count: tf.memory() counts only what the engine tracks, not kernel intermediates.
    const buffersBefore = tf.backend().numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    tf.tidy(() => {
      gradients(c, x, filter, weights);
    });
    assert.equal(tf.backend().numDataIds(), buffersBefore, `${c.name}: wasm buffers left behind`);
    assert.equal(tf.memory().numTensors, tensorsBefore, `${c.name}: tensors left behind`);
    // A kept result is owned by the engine: disposing it frees its buffer.
    const kept = tf.tidy(() => gradients(c, x, filter, weights));
    assert.deepEqual(kept[0].shape, c.x);
    assert.deepEqual(kept[1].shape, c.filter);
    assert.equal(tf.backend().numDataIds(), buffersBefore + 2);
    tf.dispose(kept);
    assert.equal(tf.backend().numDataIds(), buffersBefore, `${c.name}: kept gradients not freed`);
    tf.dispose([x, filter, weights]);
  }
});

test('unsupported gradient requests fail clearly', () => {
  const x = tf.zeros([1, 5, 5, 2]);
  const dy = tf.zeros([1, 5, 5, 3]);
  const filter = tf.zeros([3, 3, 2, 3]);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3], inputShape: [1, 5, 5, 2] };
  const run = (name: string, inputs: tf.NamedTensorMap, extra: object) => () => tf.engine().runKernel(name, inputs, { ...attrs, ...extra });
  const buffersBefore = tf.backend().numDataIds();
  for (const [name, inputs] of [['Conv2DBackpropFilter', { x, dy }], ['Conv2DBackpropInput', { dy, filter }]] as const) {
    assert.throws(run(name, inputs, { dilations: 2 }), new RegExp(`${name} on wasm supports only dilations of 1`));
    assert.throws(run(name, inputs, { dataFormat: 'NCHW' }), /only NHWC/);
    assert.throws(run(name, inputs, { strides: 2 }), /dy has shape \[1,5,5,3\], expected \[1,3,3,3\]/);
  }
  assert.equal(tf.backend().numDataIds(), buffersBefore);
  tf.dispose([x, dy, filter]);
});

test('the conv autoencoder has the expected shapes and names', () => {
  const model = buildConvAutoencoder(16, 1);
  try {
    assert.deepEqual(model.inputs[0].shape, [null, IMAGE_SIZE]);
    assert.deepEqual(model.outputs[0].shape, [null, IMAGE_SIZE]);
    assert.deepEqual(model.getLayer('latent').outputShape, [null, 16]);
    assert.equal(model.layers[model.layers.length - 1].name, 'logits', 'it ends in logits, like the dense model');
    const same = buildConvAutoencoder(16, 1);
    const other = buildConvAutoencoder(16, 2);
    const first = (m: typeof model) => m.getLayer('enc_conv_1').getWeights()[0].dataSync().slice(0, 8).join();
    assert.equal(first(same), first(model), 'the same seed gives the same weights');
    assert.notEqual(first(other), first(model), 'another seed gives other weights');
    same.dispose();
    other.dispose();
  } finally {
    model.dispose();
  }
});

test('the conv autoencoder trains on wasm with L1 loss and its loss falls', async (t) => {
  assert.equal(tf.getBackend(), 'wasm');
  const mnist = loadMnist('train', undefined, 256);
  const x = tf.tensor2d(mnist.images, [mnist.count, IMAGE_SIZE]);
  const model = buildConvAutoencoder(16, 1);
  const optimizer = tf.train.adam(1e-3);
  const wasmHeapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  const losses: number[] = [];
  const times: number[] = [];
  const counts: { tensors: number; buffers: number; heap: number }[] = [];
  const steps = 16;
  for (let step = 0; step < steps; step++) {
    const start = performance.now();
    const loss = optimizer.minimize(() => {
      return tf.mean(tf.abs(tf.sub(reconstruct(model, x, true), x))) as tf.Scalar;
    }, true)!;
    losses.push((await loss.data())[0]);
    times.push(performance.now() - start);
    loss.dispose();
    counts.push({ tensors: tf.memory().numTensors, buffers: tf.backend().numDataIds(), heap: wasmHeapBytes() });
  }
  const sorted = times.slice(1).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  t.diagnostic(`losses: ${losses.map((l) => l.toFixed(4)).join(' ')}`);
  t.diagnostic(`ms per batch of 256: median ${median.toFixed(0)} (first ${times[0].toFixed(0)}); all ${times.map((v) => v.toFixed(0)).join(' ')}`);

  // Adam's moments appear on the first step; after it nothing may accumulate, in the engine, in the
  // backend's buffers, or in the WebAssembly heap (which would betray a leak inside the backend).
  for (const c of counts.slice(1)) assert.deepEqual({ ...c, heap: 0 }, { ...counts[0], heap: 0 }, 'tensors or buffers leaked per training step');
  assert.equal(counts[steps - 1].heap, counts[3].heap, 'the wasm heap kept growing');
  assert.ok(losses.every(Number.isFinite));
  assert.ok(losses[steps - 1] < losses[0] * 0.9, `loss fell from ${losses[0]} to ${losses[steps - 1]}`);
  optimizer.dispose();
  model.dispose();
  x.dispose();
});
