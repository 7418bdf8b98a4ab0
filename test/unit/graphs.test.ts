/**
 * The graph compiler's gradients, written out by hand, against finite differences of the graphs' own
 * losses, on tiny networks with every layer kind the project uses (dense, 'same' convolutions of
 * stride 1 and 2, transposed convolutions, global average pooling, the blur), and the weight layouts
 * against tfjs's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import { Network, describeNetwork, readParameters, toGraphKernel, toModelKernel, writeParameters } from '../../src/engine/graphs/network';
import { Feeds, GraphRuntime } from '../../src/engine/graphs/session';
import { SCALED_EPSILON, STEP_SIZE, adamScalars } from '../../src/engine/graphs/adam';
import { AE_PREFIX, DIS_PREFIX, adversaryStep, autoencoderStep, classifierStep, gradName, nextName, slotNames, stepName } from '../../src/engine/graphs/steps';
import { createRng } from '../../src/engine/random';
import { gaussianKernel } from '../../src/engine/data/gaussian';
import { reconstruct } from '../../src/engine/training/autoencoderModel';

const runtime = new GraphRuntime(ort, 'cpu', 1);
const BATCH = 6;
const SIDE = 8;
const SIZE = SIDE * SIDE;
const blur = { sigma: 0.8, kernelSize: 0 };

const init = (seed: number) => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed }), biasInitializer: tfl.initializers.randomNormal({ stddev: 0.1, seed: seed + 100 }) });

function tinyDense(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ units: 12, activation: 'relu', inputShape: [SIZE], ...init(1) }));
  m.add(tfl.layers.dense({ units: 3, activation: 'linear', name: 'latent', ...init(2) }));
  m.add(tfl.layers.dense({ units: 12, activation: 'relu', ...init(3) }));
  m.add(tfl.layers.dense({ units: SIZE, activation: 'linear', ...init(4) }));
  return m;
}

/** The conv autoencoder's shape in miniature: 8×8 → 4×4×4 → 2×2×6 → latent 3 → 2×2×6 → 4×4×4 → 8×8×1. */
function tinyConv(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.reshape({ targetShape: [SIDE, SIDE, 1], inputShape: [SIZE] }));
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...init(5) }));
  m.add(tfl.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...init(6) }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 3, activation: 'linear', name: 'latent', ...init(7) }));
  m.add(tfl.layers.dense({ units: 24, activation: 'relu', ...init(8) }));
  m.add(tfl.layers.reshape({ targetShape: [2, 2, 6] }));
  m.add(tfl.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...init(9) }));
  m.add(tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'linear', ...init(10) }));
  m.add(tfl.layers.flatten());
  return m;
}

/** dis_net's shape: two stride-2 convolutions, flattened, one logit. */
function tinyDisNet(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.reshape({ targetShape: [SIDE, SIDE, 1], inputShape: [SIZE] }));
  m.add(tfl.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...init(11) }));
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...init(12) }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 1, activation: 'linear', ...init(13) }));
  return m;
}

/** The judge's shape: a 5×5 stride-1 convolution, a stride-2 one, global average pooling, one logit. */
function tinyJudge(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.reshape({ targetShape: [SIDE, SIDE, 1], inputShape: [SIZE] }));
  m.add(tfl.layers.conv2d({ filters: 3, kernelSize: 5, padding: 'same', activation: 'relu', ...init(14) }));
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...init(15) }));
  m.add(tfl.layers.globalAveragePooling2d({}));
  m.add(tfl.layers.dense({ units: 1, activation: 'linear', ...init(16) }));
  return m;
}

function randomImages(rows: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * SIZE }, () => rng());
}

/**
 * The graph's gradients (and loss) against two references: tfjs's autodiff of the same loss (float32
 * sums in another order: within 1e-5 of each gradient's largest entry), and central differences of
 * the graph's own float32 loss at random coordinates. A step of 1e-3 keeps rounding (an ulp of the
 * loss over the step, ~3e-5) small against the gradients, while an L1 or ReLU kink crossed within the
 * step bends a difference by O(step); one near a kink is recognised by differences at h and h/2 that
 * disagree and is skipped, and at least half of the coordinates must be away from kinks.
 */
async function checkGradients(name: string, build: () => Uint8Array, model: tfl.LayersModel, prefix: string, fixed: Feeds, tfjsLoss: () => tf.Scalar): Promise<void> {
  const params = readParameters(model);
  const graph = await runtime.graph(`fd:${name}`, build);
  const names = slotNames(prefix, params.length).p;
  const feeds = (values: Float32Array[]): Feeds => ({ ...fixed, ...Object.fromEntries(values.map((v, i) => [names[i], v])) });
  const at = await graph.run(feeds(params));

  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(tfjsLoss, variables);
  assert.ok(Math.abs(value.dataSync()[0] - at.loss0[0]) <= 1e-6 * Math.abs(at.loss0[0]), `${name}: loss ${at.loss0[0]}, tfjs ${value.dataSync()[0]}`);
  variables.forEach((v, i) => {
    const reference = v.rank === 4 ? toGraphKernel(grads[v.name].dataSync() as Float32Array, v.shape) : (grads[v.name].dataSync() as Float32Array);
    const mine = at[gradName(names[i])];
    const scale = reference.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
    const worst = reference.reduce((m, g, k) => Math.max(m, Math.abs(g - mine[k])), 0);
    assert.ok(worst <= 1e-5 * scale + 1e-9, `${name}, parameter ${i}: differs from tfjs's gradient by ${worst} (largest entry ${scale})`);
  });

  // A coordinate whose differences at h and h/2 disagree sits near a kink: it says nothing either way.
  const rng = createRng(7);
  const h = 1e-3;
  const difference = async (i: number, k: number, step: number) => {
    const shifted = (sign: number) => params.map((p, j) => (j === i ? p.map((v, kk) => (kk === k ? v + sign * step : v)) : p));
    const [plus, minus] = [(await graph.run(feeds(shifted(1)), ['loss0'])).loss0[0], (await graph.run(feeds(shifted(-1)), ['loss0'])).loss0[0]];
    return (plus - minus) / (2 * step);
  };
  // Rounding: one ulp of the loss over the step.
  const noise = (step: number) => (Math.abs(at.loss0[0]) * 2 ** -23) / step;
  let smooth = 0;
  let tried = 0;
  for (let i = 0; i < params.length; i++) {
    const grad = at[gradName(names[i])];
    for (let trial = 0; trial < Math.min(6, params[i].length); trial++) {
      const k = Math.floor(rng() * params[i].length);
      const [coarse, fine] = [await difference(i, k, h), await difference(i, k, h / 2)];
      tried++;
      if (Math.abs(coarse - fine) > 0.01 * Math.abs(fine) + 2 * noise(h / 2)) continue;
      smooth++;
      assert.ok(Math.abs(fine - grad[k]) <= 0.01 * Math.abs(fine) + 2 * noise(h / 2), `${name}, parameter ${i}[${k}]: finite difference ${fine} (${coarse} at twice the step), gradient ${grad[k]}`);
    }
  }
  assert.ok(smooth >= tried / 2, `${name}: only ${smooth} of ${tried} coordinates away from a kink`);
}

/** tfjs's pieces of the graphs' losses, for 8×8 images. */
const tfjsBlur = (x: tf.Tensor2D) => {
  const k = gaussianKernel(blur);
  const v = tf.conv2d(tf.reshape(x, [-1, SIDE, SIDE, 1]) as tf.Tensor4D, tf.tensor4d(k, [k.length, 1, 1, 1]), 1, 'same');
  return tf.reshape(tf.conv2d(v, tf.tensor4d(k, [1, k.length, 1, 1]), 1, 'same'), [-1, SIZE]) as tf.Tensor2D;
};
const bce = (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;

test('network descriptions: shapes and paddings of the project\'s layer kinds', () => {
  const conv = describeNetwork(tinyConv());
  assert.deepEqual(conv.layers.map((l) => l.kind), ['toImage', 'conv', 'conv', 'flatten', 'dense', 'dense', 'toImage', 'deconv', 'deconv', 'flatten']);
  const [c1, c2] = conv.layers.filter((l) => l.kind === 'conv');
  // TensorFlow's 'same' for stride 2 on an even side puts the one padding pixel after.
  assert.deepEqual([c1.kind === 'conv' && c1.pads, c1.kind === 'conv' && c1.outSide], [[0, 0, 1, 1], 4]);
  assert.deepEqual([c2.kind === 'conv' && c2.outSide], [2]);
  assert.equal(conv.latentLayer, 4);
  const judge = describeNetwork(tinyJudge());
  const j1 = judge.layers[1];
  assert.deepEqual(j1.kind === 'conv' && [j1.pads, j1.outSide], [[2, 2, 2, 2], SIDE]);
  assert.throws(() => describeNetwork(tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3], activation: 'tanh' })] })), /activation "tanh"/);
});

test('kernel layouts: tfjs → graph → tfjs is the identity, and a conv kernel lands at [out, in, kh, kw]', () => {
  const shape = [2, 3, 4, 5];
  const values = Float32Array.from({ length: 120 }, (_, i) => i);
  const graph = toGraphKernel(values, shape);
  // tfjs [kh=2, kw=3, in=4, out=5]: element (i=1, j=2, c=3, o=4) → graph [o][c][i][j].
  assert.equal(graph[((4 * 4 + 3) * 2 + 1) * 3 + 2], values[((1 * 3 + 2) * 4 + 3) * 5 + 4]);
  assert.deepEqual(toModelKernel(graph, shape), values);
  const model = tinyConv();
  const before = model.getWeights().map((w) => w.dataSync().slice());
  writeParameters(model, readParameters(model));
  model.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), before[i]));
});

test('autoencoder steps (dense and conv, with and without a frozen dis_net): gradients match tfjs and finite differences', async () => {
  await tf.setBackend('cpu');
  const x = randomImages(BATCH, 1);
  const xt = tf.tensor2d(x, [BATCH, SIZE]);
  for (const [name, model] of [['dense', tinyDense()], ['conv', tinyConv()]] as const) {
    const net = describeNetwork(model);
    const l1 = () => tf.mean(tf.abs(tf.sub(reconstruct(model, xt), xt))) as tf.Scalar;
    await checkGradients(`ae ${name}`, () => autoencoderStep(net, BATCH, undefined, { gradients: true }), model, AE_PREFIX, { x0: x }, l1);
    const disNet = tinyDisNet();
    const disFeeds = Object.fromEntries(readParameters(disNet).map((p, i, all) => [slotNames(DIS_PREFIX, all.length).p[i], p]));
    const withAdversary = () => tf.add(l1(), tf.mul(0.5, bce(tf.ones([BATCH, 1]), disNet.apply(reconstruct(model, xt)) as tf.Tensor))) as tf.Scalar;
    await checkGradients(`ae ${name} + dis_net`, () => autoencoderStep(net, BATCH, { disNet: describeNetwork(disNet), lambda: 0.5 }, { gradients: true }), model, AE_PREFIX, { x0: x, ...disFeeds }, withAdversary);
  }
});

test('dis_net and judge steps on clear and blurred images, and dis_net\'s alternating step: gradients match tfjs and finite differences', async () => {
  await tf.setBackend('cpu');
  const x = randomImages(BATCH, 2);
  const xt = tf.tensor2d(x, [BATCH, SIZE]);
  const clear = Float32Array.from({ length: BATCH }, (_, i) => i % 2);
  const c = tf.tensor2d(clear, [BATCH, 1]);
  for (const [name, model] of [['dis_net', tinyDisNet()], ['judge', tinyJudge()]] as const) {
    const mixed = () => tf.add(tf.mul(xt, c), tf.mul(tfjsBlur(xt), tf.sub(1, c)));
    await checkGradients(`classifier ${name}`, () => classifierStep(describeNetwork(model), BATCH, blur, { gradients: true }), model, DIS_PREFIX, { x0: x, clear0: clear }, () => bce(c, model.apply(mixed()) as tf.Tensor));
  }
  const ae = tinyConv();
  const aeFeeds = Object.fromEntries(readParameters(ae).map((p, i, all) => [slotNames(AE_PREFIX, all.length).p[i], p]));
  const disNet = tinyDisNet();
  const rows = BATCH / 2;
  const half = tf.slice(xt, 0, rows) as tf.Tensor2D;
  const labels = tf.concat([tf.fill([rows, 1], 0.9), tf.zeros([2 * rows, 1])]);
  const alternating = () => bce(labels, disNet.apply(tf.concat([half, tfjsBlur(half), reconstruct(ae, half)])) as tf.Tensor);
  await checkGradients('alternating dis_net', () => adversaryStep(describeNetwork(ae), describeNetwork(disNet), rows, blur, 0.9, { gradients: true }), disNet, DIS_PREFIX, { x0: x.subarray(0, rows * SIZE), ...aeFeeds }, alternating);
});

test('a network the compiler cannot express is refused by name', () => {
  const pooled = tfl.sequential({ layers: [tfl.layers.reshape({ targetShape: [4, 4, 1], inputShape: [16] }), tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }), tfl.layers.flatten()] });
  assert.throws(() => describeNetwork(pooled), /pool: MaxPooling2D is not supported/);
  const net: Network = describeNetwork(tinyDense());
  assert.equal(net.inputSize, SIZE);
});

test('four steps unrolled into one graph train exactly as four one-step runs', async () => {
  const model = tinyConv();
  const net = describeNetwork(model);
  const params = readParameters(model);
  const names = slotNames(AE_PREFIX, params.length);
  const start: Feeds = {};
  params.forEach((p, i) => Object.assign(start, { [names.p[i]]: p, [names.m[i]]: new Float32Array(p.length), [names.v[i]]: new Float32Array(p.length) }));
  const batches = [0, 1, 2, 3].map((k) => randomImages(BATCH, 10 + k));
  const rates = [1e-3, 2e-3, 3e-3, 3e-3];
  const scalars = (k: number, step: number) => {
    const s = adamScalars(rates[step - 1], step);
    return { [stepName(STEP_SIZE, k)]: s[STEP_SIZE], [stepName(SCALED_EPSILON, k)]: s[SCALED_EPSILON] };
  };
  const slots = [...names.p, ...names.m, ...names.v];
  const one = await runtime.graph('unroll1', () => autoencoderStep(net, BATCH));
  let state = { ...start };
  const single: number[] = [];
  for (let step = 1; step <= 4; step++) {
    const out = await one.run({ ...state, x0: batches[step - 1], ...scalars(0, step) });
    single.push(out.loss0[0]);
    state = { ...state, ...Object.fromEntries(slots.map((n) => [n, out[nextName(n)]])) };
  }
  const four = await runtime.graph('unroll4', () => autoencoderStep(net, BATCH, undefined, { steps: 4 }));
  const feeds: Feeds = { ...start };
  for (let k = 0; k < 4; k++) Object.assign(feeds, { [stepName('x', k)]: batches[k], ...scalars(k, k + 1) });
  const out = await four.run(feeds);
  assert.deepEqual([0, 1, 2, 3].map((k) => out[stepName('loss', k)][0]), single);
  for (const n of slots) assert.deepEqual(out[nextName(n)], state[n], `${n} after four steps`);
});
