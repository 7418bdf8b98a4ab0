import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineEvent, EngineRequest } from '../../src/engine/protocol';
import { HostToWebview, WebviewToHost } from '../../src/extension/views/workbench/protocol';
import { TrainAutoencoderArgs } from '../../src/extension/commands/args';
import { parseMessage } from '../../src/shared/validation';
import { createRng } from '../../src/engine/random';

const config = { architecture: 'dense', latent: 16, epochs: 2, batchSize: 256, learningRate: 0.001, warmupSteps: 0, outputInit: 'meanImage', trainImages: 512, testImages: 256, seed: 3 };

test('valid requests and events parse unchanged', () => {
  const request = { type: 'startJob', jobId: 'j1', runsDir: '/tmp/runs', job: { kind: 'trainAutoencoder', config } };
  assert.deepEqual(parseMessage(EngineRequest, request), { ok: true, value: request });
  const event = { type: 'progress', jobId: 'j1', epoch: 1, epochs: 2, batch: 3, batches: 4, loss: 0.2 };
  assert.deepEqual(parseMessage(EngineEvent, event), { ok: true, value: event });
  assert.equal(parseMessage(WebviewToHost, { type: 'runCommand', command: 'assignment2.trainAutoencoder' }).ok, true);
  assert.equal(parseMessage(HostToWebview, { type: 'showTab', tab: 'q2a' }).ok, true);
});

test('a malformed message is rejected with the offending field named', () => {
  const bad = parseMessage(EngineRequest, { type: 'startJob', jobId: 'j1', runsDir: '/r', job: { kind: 'trainAutoencoder', config: { ...config, epochs: 0 } } });
  assert.equal(bad.ok, false);
  assert.match((bad as { error: string }).error, /^job\.config\.epochs: /);
  assert.equal(parseMessage(EngineRequest, { type: 'rm -rf' }).ok, false);
  assert.equal(parseMessage(EngineEvent, { type: 'progress', jobId: 'j', epoch: 1, epochs: 1, batch: 0, batches: 1, loss: NaN }).ok, false);
});

test('the webview may only ask for allow-listed commands', () => {
  for (const command of ['workbench.action.terminal.new', 'assignment2.deleteRun', '', 42]) {
    assert.equal(parseMessage(WebviewToHost, { type: 'runCommand', command }).ok, false, String(command));
  }
});

test('command arguments reject unknown keys, NaN and absurd sizes', () => {
  assert.equal(TrainAutoencoderArgs.safeParse({ latents: [2, 16], epochs: 3 }).success, true);
  for (const args of [{ latents: [] }, { latents: [16], epochs: 1e9 }, { latents: [16], batchSize: 0 }, { latents: [NaN] }, { latents: [16], rm: true }]) {
    assert.equal(TrainAutoencoderArgs.safeParse(args).success, false, JSON.stringify(args));
  }
});

/** Random JSON-ish values, biased towards near-valid shapes so validation is probed deeply. */
function randomValue(rng: () => number, depth = 0): unknown {
  const pick = Math.floor(rng() * 9);
  const keys = ['type', 'jobId', 'job', 'kind', 'config', 'epochs', 'runsDir', 'command', 'tab', 'requestId'];
  switch (pick) {
    case 0: return null;
    case 1: return rng() < 0.5 ? NaN : rng() * 1e6 - 5e5;
    case 2: return ['startJob', 'cancelJob', 'backendInfo', 'shutdown', 'ready', 'runCommand', 'snapshot', 'trainAutoencoder', ''][Math.floor(rng() * 9)];
    case 3: return rng() < 0.5;
    case 4: return depth > 3 ? 1 : Array.from({ length: Math.floor(rng() * 4) }, () => randomValue(rng, depth + 1));
    default: {
      if (depth > 3) return {};
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(rng() * 5); i > 0; i--) obj[keys[Math.floor(rng() * keys.length)]] = randomValue(rng, depth + 1);
      return obj;
    }
  }
}

test('10,000 random messages never throw and only well-formed ones pass', () => {
  const rng = createRng(7);
  let accepted = 0;
  for (let i = 0; i < 10_000; i++) {
    const value = randomValue(rng);
    for (const schema of [EngineRequest, EngineEvent, WebviewToHost, HostToWebview]) {
      const result = parseMessage(schema as never, value);
      if (result.ok) {
        accepted++;
        assert.equal(typeof (result.value as { type: unknown }).type, 'string');
      }
    }
  }
  assert.ok(accepted < 10_000 * 4, 'most random messages are rejected');
});
