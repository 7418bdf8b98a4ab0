/**
 * The ONNX Runtime engine against the tfjs engine (the reference): a few steps of every job kind from
 * the same initial weights and batches, through the real trainers; then bit-identical repeats, and the
 * thread count reaching ONNX Runtime.
 *
 * Tolerances: both engines compute in float32 but sum in different orders (MLAS against XNNPACK), so a
 * step's gradients differ in their last bits. Adam divides each gradient by its running magnitude,
 * which keeps those differences relative: after a few steps the losses agree to 1e-4 of their value,
 * and the weights to 5e-3 of how far training moved them (their distance from the start, as a norm).
 * Measured: 1e-5 for the dense model, 1e-4 for conv, dis_net and the judge, 1.2e-3 for (b) frozen,
 * whose L1 signs flip where a reconstruction sits on its pixel and dis_net's gradient then follows.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { AutoencoderConfig, DisNetConfig } from '../../src/shared/jobs/specs';
import { initBackend } from '../../src/engine/backend';
import { graphRuntime, useGraphRuntime } from '../../src/engine/backend/graphRuntime';
import { loadMnist } from '../../src/engine/data/mnist';
import { GraphBuilder } from '../../src/engine/graphs/graph';
import { GraphRuntime } from '../../src/engine/graphs/session';
import { readParameters } from '../../src/engine/graphs/network';
import { buildDenseAutoencoder } from '../../src/engine/training/autoencoderModel';
import { buildConvAutoencoder } from '../../src/engine/training/convAutoencoder';
import { Adversary } from '../../src/engine/training/autoencoderSteps';
import { buildDisNet, buildJudge, trainDisNet } from '../../src/engine/training/disNet';
import { trainAutoencoder } from '../../src/engine/training/trainAutoencoder';

const train = loadMnist('train', undefined, 320);
const test100 = loadMnist('test', undefined, 100);
const blur = { sigma: 1, kernelSize: 0 };
const signal = new AbortController().signal;

const aeConfig = (architecture: 'dense' | 'conv'): AutoencoderConfig => ({ architecture, latent: 16, epochs: 1, batchSize: 64, learningRate: 3e-3, warmupSteps: 2, outputInit: 'meanImage', trainImages: 320, testImages: 100, seed: 5 });
const disConfig: DisNetConfig = { blur, epochs: 1, batchSize: 64, learningRate: 3e-3, trainImages: 320, testImages: 100, seed: 5 };

interface Trace {
  losses: number[];
  weights: Float32Array[];
  start: Float32Array[];
  extra?: Float32Array[];
}

/** Runs `job` on tfjs (no graph runtime) and on ONNX Runtime, each from fresh models. */
async function onBoth(job: () => Promise<Trace>): Promise<{ tfjs: Trace; onnx: Trace }> {
  const runtime = graphRuntime()!;
  useGraphRuntime(undefined);
  const tfjs = await job();
  useGraphRuntime(runtime);
  return { tfjs, onnx: await job() };
}

function assertClose(name: string, { tfjs, onnx }: { tfjs: Trace; onnx: Trace }) {
  assert.equal(onnx.losses.length, tfjs.losses.length);
  onnx.losses.forEach((l, i) => assert.ok(Math.abs(l - tfjs.losses[i]) <= 1e-4 * tfjs.losses[i], `${name}, step ${i + 1}: loss ${l} on ONNX Runtime, ${tfjs.losses[i]} on tfjs`));
  const norm = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0));
  onnx.weights.forEach((w, i) => {
    const moved = norm(tfjs.weights[i], tfjs.start[i]);
    const apart = norm(w, tfjs.weights[i]);
    assert.ok(apart <= 5e-3 * moved + 1e-7, `${name}, weight ${i}: the engines end ${apart} apart, training moved it ${moved}`);
  });
}

async function autoencoderTrace(architecture: 'dense' | 'conv', adversary?: () => Adversary): Promise<Trace> {
  const config = aeConfig(architecture);
  const init = architecture === 'dense' ? buildDenseAutoencoder(16, config.seed) : buildConvAutoencoder(16, config.seed);
  const start = readParameters(init);
  const losses: number[] = [];
  const adv = adversary?.();
  const result = await trainAutoencoder(config, train, test100, { signal, onBatch: (_e, _b, _n, loss) => void losses.push(loss), onEpoch: () => undefined }, { init, adversary: adv });
  const trace = { losses, weights: readParameters(result.model), start, extra: adv && readParameters(adv.disNet) };
  result.model.dispose();
  return trace;
}

test.before(async () => {
  await initBackend('wasm');
  useGraphRuntime(new GraphRuntime(ort, 'cpu', 2));
});

test('dense and conv autoencoders: ONNX Runtime trains like tfjs', async () => {
  for (const architecture of ['dense', 'conv'] as const) assertClose(architecture, await onBoth(() => autoencoderTrace(architecture)));
});

test('Q2b (b), frozen and alternating dis_net: ONNX Runtime trains like tfjs, dis_net included', async () => {
  const frozen = () => ({ disNet: buildDisNet(9), lambda: 0.1, blur });
  assertClose('frozen', await onBoth(() => autoencoderTrace('dense', frozen)));
  const disNetStart = readParameters(buildDisNet(9));
  const alternating = await onBoth(() => autoencoderTrace('dense', () => ({ disNet: buildDisNet(9), lambda: 0.005, blur, updates: { learningRate: 3e-4, clearLabel: 0.9 } })));
  assertClose('alternating', alternating);
  // dis_net learned alongside, alike on both engines.
  assertClose('alternating dis_net', { tfjs: { ...alternating.tfjs, weights: alternating.tfjs.extra!, start: disNetStart }, onnx: { ...alternating.onnx, weights: alternating.onnx.extra! } });
});

test('dis_net and the judge: ONNX Runtime trains like tfjs, and both evaluate alike', async () => {
  for (const [name, build] of [['dis_net', buildDisNet], ['judge', buildJudge]] as const) {
    const accuracies: number[] = [];
    const both = await onBoth(async () => {
      const losses: number[] = [];
      const result = await trainDisNet(disConfig, train, test100, { signal, onBatch: (_e, _b, _n, loss) => void losses.push(loss), onEpoch: (m) => void accuracies.push(m.testAccuracy) }, build);
      const trace = { losses, weights: readParameters(result.model), start: readParameters(build(disConfig.seed)) };
      result.model.dispose();
      return trace;
    });
    assertClose(name, both);
    assert.equal(accuracies[1], accuracies[0], `${name}: test accuracy ${accuracies[1]} on ONNX Runtime, ${accuracies[0]} on tfjs`);
  }
});

test('the same thread count repeats a run bit for bit', async () => {
  const [a, b] = [await autoencoderTrace('conv'), await autoencoderTrace('conv')];
  assert.deepEqual(a.losses, b.losses);
  a.weights.forEach((w, i) => assert.ok(Buffer.from(w.buffer).equals(Buffer.from(b.weights[i].buffer)), `weight ${i} differs between two runs`));
});

test('the thread count reaches ONNX Runtime: its sessions start that many threads', async () => {
  // Linux lists a process's threads under /proc/self/task; a session's intra-op pool adds threads − 1.
  const threadCount = () => fs.readdirSync('/proc/self/task').length;
  const counts: number[] = [];
  for (const threads of [1, 3]) {
    const runtime = new GraphRuntime(ort, 'cpu', threads);
    const before = threadCount();
    await runtime.graph('probe', () => {
      const g = new GraphBuilder('probe');
      g.output('y', g.op('Relu', [g.input('x', [4])]));
      return g.encode();
    });
    counts.push(threadCount() - before);
  }
  assert.deepEqual(counts, [0, 2]);
});
