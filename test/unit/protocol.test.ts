import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineEvent, EngineRequest } from '../../src/engine/protocol';
import { HostToWebview, WebviewToHost } from '../../src/extension/views/workbench/protocol';
import { HostToReconstructions, ReconstructionsToHost } from '../../src/extension/views/reconstructions/protocol';
import { ExperimentOverrides } from '../../src/shared/experiment/overrides';
import { parseMessage } from '../../src/shared/validation';
import { createRng } from '../../src/engine/random';
import { malformed, seededRng } from '../harness/fuzz';

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

const runItem = {
  ok: true,
  dir: '/w/.assignment2/runs/20261127-000000-ae16-abcd',
  run: { schemaVersion: 3, id: '20261127-000000-ae16-abcd', name: 'Autoencoder L=16', job: { kind: 'trainAutoencoder', config }, seed: 3, versions: {}, status: 'running', createdAt: '2026-11-27T00:00:00.000Z' },
  metrics: [{ epoch: 1, trainL1: 0.3, testL1: 0.25, seconds: 1 }],
};
const details = { runId: '20261127-000000-ae16-abcd', problems: [] };

test('a details request carries a bounded id, and its answer carries it back', () => {
  const runIds = ['20261127-000000-ae16-abcd'];
  assert.equal(parseMessage(WebviewToHost, { type: 'loadRunDetails', requestId: 'compare-3', runIds }).ok, true);
  assert.equal(parseMessage(HostToWebview, { type: 'runDetails', requestId: 'compare-3', details: [details] }).ok, true);
  assert.equal(parseMessage(ReconstructionsToHost, { type: 'selectRun', runId: runIds[0], requestId: 'select-1' }).ok, true);
  assert.equal(parseMessage(HostToReconstructions, { type: 'details', requestId: 'select-1', details }).ok, true);
  for (const requestId of [undefined, '', 'x'.repeat(65), '../x', 'a b', '<b>', 3, null]) {
    const why = `requestId ${JSON.stringify(requestId)}`;
    assert.match((parseMessage(WebviewToHost, { type: 'loadRunDetails', requestId, runIds }) as { error: string }).error, /^requestId: /, why);
    assert.equal(parseMessage(HostToWebview, { type: 'runDetails', requestId, details: [details] }).ok, false, why);
    assert.equal(parseMessage(ReconstructionsToHost, { type: 'selectRun', runId: runIds[0], requestId }).ok, false, why);
    assert.equal(parseMessage(HostToReconstructions, { type: 'details', requestId, details }).ok, false, why);
  }
  assert.equal(parseMessage(WebviewToHost, { type: 'loadRunDetails', requestId: 'x'.repeat(64), runIds }).ok, true, '64 characters is the limit');
});

test('single-run updates carry a whole, valid run', () => {
  assert.equal(parseMessage(HostToWebview, { type: 'run', item: runItem }).ok, true);
  assert.equal(parseMessage(HostToWebview, { type: 'run', item: { ok: false, dir: '/r/x', id: 'x', problem: 'damaged' } }).ok, true);
  assert.equal(parseMessage(HostToWebview, { type: 'runRemoved', dir: runItem.dir }).ok, true);
  assert.equal(parseMessage(HostToWebview, { type: 'run', item: { ...runItem, metrics: [{ epoch: 1, trainL1: NaN, testL1: 0.2, seconds: 1 }] } }).ok, false);
  assert.equal(parseMessage(HostToWebview, { type: 'run', item: { ...runItem, run: { ...runItem.run, status: 'exploded' } } }).ok, false);
  assert.equal(parseMessage(HostToWebview, { type: 'runRemoved' }).ok, false);
  const entry = { id: runItem.run.id, name: runItem.run.name, status: 'running', epochs: 1 };
  assert.equal(parseMessage(HostToReconstructions, { type: 'run', run: entry }).ok, true);
  assert.equal(parseMessage(HostToReconstructions, { type: 'run', run: { ...entry, epochs: -1 } }).ok, false);
  assert.equal(parseMessage(HostToReconstructions, { type: 'runRemoved', id: entry.id }).ok, true);
  assert.equal(parseMessage(HostToReconstructions, { type: 'runRemoved', id: 5 }).ok, false);
});

test('command arguments reject unknown keys, NaN and absurd sizes', () => {
  assert.equal(ExperimentOverrides.safeParse({ latents: [2, 16], autoencoder: { epochs: 3 } }).success, true);
  const bad = [{ latents: [] }, { autoencoder: { epochs: 1e9 } }, { autoencoder: { batchSize: 0 } }, { latents: [NaN] }, { latents: [16, 16] }, { latents: [16], rm: true }, { autoencoder: { rm: true } }, { sharpen: { mode: 'frozen', clearLabel: 0.9 } }, { seeds: [1, 1] }];
  for (const args of bad) {
    assert.equal(ExperimentOverrides.safeParse(args).success, false, JSON.stringify(args));
  }
});

/** Random JSON-ish values, biased towards near-valid shapes so validation is probed deeply. */
function randomValue(rng: () => number, depth = 0): unknown {
  const pick = Math.floor(rng() * 9);
  const keys = ['type', 'jobId', 'job', 'kind', 'config', 'epochs', 'runsDir', 'command', 'tab', 'requestId', 'runIds', 'runId', 'item', 'dir', 'id', 'details', 'run', 'ok'];
  const types = ['startJob', 'cancelJob', 'backendInfo', 'shutdown', 'ready', 'runCommand', 'snapshot', 'trainAutoencoder', '', 'run', 'runRemoved', 'loadRunDetails', 'runDetails', 'selectRun', 'details', 'runs', 'explore', 'explored', 'exploreFailed'];
  switch (pick) {
    case 0: return null;
    case 1: return rng() < 0.5 ? NaN : rng() * 1e6 - 5e5;
    case 2: return types[Math.floor(rng() * types.length)];
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

const SCHEMAS = [EngineRequest, EngineEvent, WebviewToHost, HostToWebview, ReconstructionsToHost, HostToReconstructions];

test('10,000 random messages never throw and only well-formed ones pass', () => {
  const rng = createRng(7);
  let accepted = 0;
  for (let i = 0; i < 10_000; i++) {
    const value = randomValue(rng);
    for (const schema of SCHEMAS) {
      const result = parseMessage(schema as never, value);
      if (result.ok) {
        accepted++;
        assert.equal(typeof (result.value as { type: unknown }).type, 'string');
      }
    }
  }
  assert.ok(accepted < 10_000 * SCHEMAS.length, 'most random messages are rejected');
});

test('10,000 near-valid single-run updates, details answers and explorer messages: each broken one is rejected with its field named', () => {
  const entry = { id: runItem.run.id, name: runItem.run.name, status: 'running', epochs: 1 };
  const result = { images: 'AAAA', count: 1, codes: [[0.5, -1]], latent: 2 };
  const query = { kind: 'interpolate', from: 3, to: 40 };
  const cases: [typeof HostToWebview | typeof HostToReconstructions | typeof EngineRequest | typeof EngineEvent | typeof WebviewToHost, Record<string, unknown>[]][] = [
    [HostToWebview, [{ type: 'run', item: runItem }, { type: 'runRemoved', dir: runItem.dir }, { type: 'runDetails', requestId: 'q2a-1', details: [details] }, { type: 'explored', requestId: 'explore-1', answer: { ok: true, result } }]],
    [HostToReconstructions, [{ type: 'run', run: entry }, { type: 'runRemoved', id: entry.id }, { type: 'details', requestId: 'select-1', details }]],
    // The latent explorer's messages on both boundaries.
    [EngineRequest, [{ type: 'explore', requestId: 'r1', runsDir: '/w/runs', runId: runItem.run.id, query: { kind: 'manifold', n: 20, x: [-2, 2], y: [-1, 3] } }, { type: 'explore', requestId: 'r2', runsDir: '/w/runs', runId: runItem.run.id, query: { kind: 'decode', codes: [[0, 1]] } }]],
    [EngineEvent, [{ type: 'explored', requestId: 'r1', result }, { type: 'exploreFailed', requestId: 'r1', message: 'Run x is still training' }]],
    [WebviewToHost, [{ type: 'explore', requestId: 'explore-2', runId: runItem.run.id, query }, { type: 'explore', requestId: 'explore-3', runId: runItem.run.id, query: { kind: 'reconstruct', index: 7 } }]],
  ];
  const rng = seededRng(11);
  let rejected = 0;
  for (let i = 0; i < 10_000; i++) {
    const [schema, valid] = cases[i % cases.length];
    const message = malformed(valid, rng);
    const result = parseMessage(schema as never, message);
    assert.equal(result.ok, schema.safeParse(message).success);
    if (!result.ok) {
      rejected++;
      assert.match(result.error, /^[\w.]+: /);
    }
  }
  assert.ok(rejected > 9_000, `only ${rejected} of 10,000 broken messages were rejected`);
});
