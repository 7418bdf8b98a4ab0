import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BackendName } from '../../src/shared/backends';
import { createProbes } from '../../src/engine/backend';
import { graphRuntime } from '../../src/engine/backend/graphRuntime';
import { ModuleLoaders } from '../../src/engine/backend/probes';
import { BackendUnavailableError, Probe, ProbeResult, selectBackend } from '../../src/engine/backend/select';

function fake(name: BackendName, result: ProbeResult | Error, calls: string[] = []): Probe {
  return {
    name,
    chosenBecause: `${name} works`,
    async activate() {
      calls.push(name);
      if (result instanceof Error) throw result;
      return result;
    },
  };
}
const missing = (reason = 'not installed'): ProbeResult => ({ ok: false, status: 'unavailable', reason });

test('auto picks the first backend that loads and does not try the rest', async () => {
  const calls: string[] = [];
  const probes = [
    fake('tensorflow-gpu', missing(), calls),
    fake('tensorflow', missing(), calls),
    fake('webgpu', { ok: false, status: 'passed-over', reason: 'software adapter' }, calls),
    fake('wasm', { ok: true }, calls),
    fake('cpu', { ok: true }, calls),
  ];
  const selection = await selectBackend('auto', probes);
  assert.equal(selection.chosen, 'wasm');
  assert.deepEqual(calls, ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm']);
  assert.deepEqual(selection.candidates.map((c) => c.status), ['unavailable', 'unavailable', 'passed-over', 'chosen', 'not-tried']);
  assert.match(selection.candidates[4].reason, /wasm comes first/);
});

test('a probe that throws counts as unavailable, with its message', async () => {
  const selection = await selectBackend('auto', [fake('wasm', new Error('boom')), fake('cpu', { ok: true })]);
  assert.equal(selection.chosen, 'cpu');
  assert.match(selection.candidates[0].reason, /failed to start: boom/);
});

test('an explicitly named backend is the only one tried, and its failure is an error', async () => {
  const calls: string[] = [];
  const probes = [fake('webgpu', missing('no adapter'), calls), fake('wasm', { ok: true }, calls), fake('cpu', { ok: true }, calls)];
  await assert.rejects(selectBackend('webgpu', probes), (err: Error) => err instanceof BackendUnavailableError && /"webgpu".*no adapter/.test(err.message));
  assert.deepEqual(calls, ['webgpu']);
  const cpu = await selectBackend('cpu', probes);
  assert.equal(cpu.chosen, 'cpu');
  assert.match(cpu.candidates.find((c) => c.name === 'wasm')!.reason, /set to "cpu"/);
});

test('no backend at all is a clear error', async () => {
  await assert.rejects(selectBackend('auto', [fake('cpu', missing())]), /No backend could be started/);
});

function loadersWhere(failures: Record<string, Error>): ModuleLoaders {
  const fail = (name: string) => {
    if (failures[name]) throw failures[name];
  };
  return {
    requireModule: (name) => (fail(name), require(name)),
    importModule: async (name) => (fail(name), import(name)),
  };
}
const notFound = (name: string) => Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });

test('with every optional package missing, the real probes say so and fall to wasm', async () => {
  const loaders = loadersWhere({
    'onnxruntime-node': notFound('onnxruntime-node'),
    '@tensorflow/tfjs-node-gpu': notFound('@tensorflow/tfjs-node-gpu'),
    '@tensorflow/tfjs-node': notFound('@tensorflow/tfjs-node'),
    webgpu: notFound('webgpu'),
  });
  const selection = await selectBackend('auto', createProbes(loaders));
  assert.equal(selection.chosen, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  const reason = (name: string) => selection.candidates.find((c) => c.name === name)!.reason;
  assert.match(reason('onnxruntime'), /onnxruntime-node is not installed/);
  assert.match(reason('tensorflow-gpu'), /tfjs-node-gpu is not installed.*CUDA 11\.2/);
  assert.match(reason('tensorflow'), /tfjs-node is not installed/);
  assert.match(reason('webgpu'), /"webgpu" is not installed/);
});

test('a package that is present but broken is reported as failing to load, not as missing', async () => {
  const loaders = loadersWhere({ '@tensorflow/tfjs-node-gpu': new Error('libcudart.so.11.0: cannot open shared object file\nstack…') });
  const gpu = createProbes(loaders).find((p) => p.name === 'tensorflow-gpu')!;
  const result = await gpu.activate('auto');
  assert.deepEqual(result, { ok: false, status: 'unavailable', reason: '@tensorflow/tfjs-node-gpu failed to load: libcudart.so.11.0: cannot open shared object file' });
});

test('a broken ONNX Runtime library falls back to the tfjs backends, with the loader\'s reason', async () => {
  const loaders = loadersWhere({
    'onnxruntime-node': new Error('libonnxruntime.so.1: cannot open shared object file: No such file or directory\nRequire stack: …'),
    '@tensorflow/tfjs-node-gpu': notFound('@tensorflow/tfjs-node-gpu'),
    '@tensorflow/tfjs-node': notFound('@tensorflow/tfjs-node'),
    webgpu: notFound('webgpu'),
  });
  const selection = await selectBackend('auto', createProbes(loaders));
  assert.equal(selection.chosen, 'wasm');
  assert.equal(selection.onnx, undefined);
  assert.deepEqual(selection.candidates[0], { name: 'onnxruntime', status: 'unavailable', reason: 'its native library failed to load: libonnxruntime.so.1: cannot open shared object file: No such file or directory' });
  // Named explicitly, the same failure is an error that says what to do.
  await assert.rejects(selectBackend('onnxruntime-cpu', createProbes(loaders)), /"onnxruntime" set in assignment2\.backend cannot be used: its native library failed to load: libonnxruntime.so.1.*Set it to "auto"/);
});

test('ONNX Runtime starts on its CPU provider here, says why each other provider was passed over, and keeps the thread count', async () => {
  const selection = await selectBackend('auto', createProbes(loadersWhere({ webgpu: notFound('webgpu') }), { threads: 1 }));
  assert.equal(selection.chosen, 'onnxruntime');
  const onnx = selection.onnx!;
  assert.deepEqual([onnx.provider, onnx.threads], ['cpu', 1]);
  const reason = (name: string) => onnx.providers.find((c) => c.name === name)!;
  assert.match(reason('cuda').reason, /CUDA 12 provider is not installed.*ONNXRUNTIME_NODE_INSTALL=cuda12/);
  assert.match(reason('dml').reason, /Windows only/);
  assert.match(reason('webgpu').reason, /"webgpu" is not installed/);
  assert.equal(reason('cpu').status, 'chosen');
  assert.equal(graphRuntime()?.threads, 1);
});

test('the wasm transposed-matmul fix gives the same products as the cpu backend', async () => {
  await selectBackend('wasm', createProbes());
  const a = tf.randomUniform([3, 5, 7], -1, 1, 'float32', 1);
  const b = tf.randomUniform([3, 5, 7], -1, 1, 'float32', 2);
  const bias = tf.randomUniform([7], -1, 1, 'float32', 3);
  const cases = async () => [
    await tf.matMul(a, b, true, false).array(), // [3,7,7]
    await tf.matMul(a, b, false, true).array(), // [3,5,5]
    await tf.matMul(tf.reshape(a, [15, 7]), tf.reshape(b, [15, 7]), true, false).array(),
    await tf.fused.matMul({ a: tf.reshape(a, [15, 7]), b: tf.reshape(b, [15, 7]), transposeA: true, bias, activation: 'relu' }).array(),
  ];
  // The backend's own count: tf.memory() counts only what the engine tracks, not kernel intermediates.
  const liveBuffers = () => tf.backend().numDataIds();
  const buffersBefore = liveBuffers();
  tf.tidy(() => {
    tf.matMul(a, b, true, false);
    tf.fused.matMul({ a: tf.reshape(a, [15, 7]), b: tf.reshape(b, [15, 7]), transposeA: true, transposeB: false, bias });
  });
  assert.equal(liveBuffers(), buffersBefore, 'the materialised transposes are freed');
  const onWasm = await cases();
  await tf.setBackend('cpu');
  const onCpu = await cases();
  await tf.setBackend('wasm');
  const flat = (x: unknown) => (x as number[]).flat(3) as number[];
  for (let i = 0; i < onCpu.length; i++) {
    const [w, c] = [flat(onWasm[i]), flat(onCpu[i])];
    assert.equal(w.length, c.length);
    w.forEach((v, j) => assert.ok(Math.abs(v - c[j]) < 1e-5, `case ${i} element ${j}: ${v} vs ${c[j]}`));
  }
});
