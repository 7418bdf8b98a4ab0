import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

interface Outcome {
  backend: string;
  device?: string;
  losses: number[];
  testL1: number;
}

function trainOn(backend: string): Outcome {
  const fixture = path.join(__dirname, 'fixtures', 'trainFewBatches.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', fixture, backend], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  return JSON.parse(out);
}

// Without a GPU, Dawn runs WebGPU on Mesa's OpenGL ES (llvmpipe): Debian's libegl1, libgles2,
// libegl-mesa0 and libgl1-mesa-dri, which the test set-up installs.
test('the WebGPU backend trains the dense autoencoder to the same losses as wasm, to float32 rounding', { timeout: 300_000 }, () => {
  const webgpu = trainOn('webgpu');
  assert.equal(webgpu.backend, 'webgpu', `no WebGPU adapter: ${JSON.stringify(webgpu)}`);
  const wasm = trainOn('wasm');
  assert.equal(wasm.backend, 'wasm');
  assert.equal(webgpu.losses.length, 4);
  webgpu.losses.forEach((loss, i) => assert.ok(Math.abs(loss - wasm.losses[i]) <= 1e-4 * wasm.losses[i], `batch ${i + 1}: webgpu ${loss}, wasm ${wasm.losses[i]} (${webgpu.device})`));
  assert.ok(Math.abs(webgpu.testL1 - wasm.testL1) <= 1e-4 * wasm.testL1, `test L1: webgpu ${webgpu.testL1}, wasm ${wasm.testL1}`);
  // Training moved the weights: a comparison of two untrained models would prove nothing.
  assert.ok(wasm.losses[3] < wasm.losses[0], `losses ${wasm.losses}`);
});
