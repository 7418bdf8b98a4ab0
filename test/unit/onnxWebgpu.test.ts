/**
 * ONNX Runtime's WebGPU provider on the software adapter CI installs: Mesa 25's lavapipe (Vulkan, from
 * Debian's bookworm-backports; Debian 12's own Mesa 22 is refused by the Dawn inside ONNX Runtime,
 * which has no OpenGL ES backend). Slow (shaders compile for seconds), so for correctness only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ort from 'onnxruntime-node';
import { createProbes } from '../../src/engine/backend';
import { selectBackend } from '../../src/engine/backend/select';
import { loadMnist } from '../../src/engine/data/mnist';
import { adamScalars } from '../../src/engine/graphs/adam';
import { describeNetwork, readParameters } from '../../src/engine/graphs/network';
import { Feeds, GraphRuntime, Outputs } from '../../src/engine/graphs/session';
import { AE_PREFIX, autoencoderStep, slotNames } from '../../src/engine/graphs/steps';
import { buildDenseAutoencoder } from '../../src/engine/training/autoencoderModel';
import { buildConvAutoencoder } from '../../src/engine/training/convAutoencoder';

test('auto passes a software adapter over for the CPU provider; named, the WebGPU provider is used', { timeout: 120_000 }, async () => {
  const auto = await selectBackend('auto', createProbes(undefined, { threads: 2 }));
  const webgpu = auto.onnx!.providers.find((c) => c.name === 'webgpu')!;
  assert.deepEqual([auto.onnx!.provider, webgpu.status], ['cpu', 'passed-over'], JSON.stringify(auto.onnx));
  assert.match(webgpu.reason, /software adapter \(.*(llvmpipe|lavapipe)/i);
  const named = await selectBackend('onnxruntime-webgpu', createProbes(undefined, { threads: 2, provider: 'webgpu' }));
  assert.equal(named.onnx!.provider, 'webgpu');
});

test('one training step of the dense and the conv autoencoder on WebGPU matches the CPU provider', { timeout: 300_000 }, async () => {
  await tf.setBackend('cpu');
  const x = loadMnist('train', undefined, 32).images;
  for (const model of [buildDenseAutoencoder(16, 2), buildConvAutoencoder(16, 2)]) {
    const net = describeNetwork(model);
    const params = readParameters(model);
    const names = slotNames(AE_PREFIX, params.length);
    const feeds: Feeds = { x0: x, adam_step_size0: adamScalars(1e-3, 1).adam_step_size, adam_epsilon0: adamScalars(1e-3, 1).adam_epsilon };
    params.forEach((p, i) => Object.assign(feeds, { [names.p[i]]: p, [names.m[i]]: new Float32Array(p.length), [names.v[i]]: new Float32Array(p.length) }));
    const run = async (provider: 'cpu' | 'webgpu'): Promise<Outputs> => (await new GraphRuntime(ort, provider, 2).graph(model.name, () => autoencoderStep(net, 32))).run(feeds);
    const [cpu, gpu] = [await run('cpu'), await run('webgpu')];
    for (const [name, values] of Object.entries(cpu)) {
      const scale = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
      const worst = values.reduce((m, v, i) => Math.max(m, Math.abs(v - gpu[name][i])), 0);
      // float32 on both, in other orders: within 1e-3 of each output's largest entry.
      assert.ok(worst <= 1e-3 * scale, `${model.name}, ${name}: WebGPU differs by ${worst} (largest entry ${scale})`);
    }
    assert.ok(Math.abs(cpu.loss0[0] - 0.47) < 0.1, `loss ${cpu.loss0[0]}`);
  }
});
